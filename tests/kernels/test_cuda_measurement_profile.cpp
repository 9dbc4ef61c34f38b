// The measurement profile on the GPU (per-op breakdown, efficiency, energy): the cuda:* profiling
// forward (every category present, parts near the plain forward, graphs on), the GEMM probe, the
// PCI bus id NVML needs, and one sweep through the runner with real NVML. Without a GPU every case
// skips, naming why.
#include <QtTest>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <atomic>

#include "core/batch/Batch.h"
#include "core/energy/Nvml.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/CudaTestSupport.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/runtime/KernelOptions.h"

using namespace bertbench;

namespace {
struct Quiet : SweepObserver {};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}
} // namespace

class CudaMeasurementProfileTest : public QObject {
    Q_OBJECT
private slots:
    void profileForwardCoversTheForward() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("bert-base"), 5);
        for (bool packed : {false, true}) {
            cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(packed), 0, cuda::KernelOptions{});
            backend.setUseCudaGraphs(true);
            backend.loadModel(weights, DType::Float16);
            backend.prepare(Task::Encoder, makeBatch({32, 256, 0.5, 10, weights.config.vocabSize, 7}));
            std::vector<double> plain;
            for (int i = 0; i < 12; ++i) plain.push_back(backend.forward());
            const std::optional<OpBreakdown> b = backend.profileForward();
            QVERIFY(b && b->measured());
            for (OpCategory c : {OpCategory::Embeddings, OpCategory::QkvGemm, OpCategory::Attention,
                                 OpCategory::AttnOutLayerNorm, OpCategory::FfnUpGelu, OpCategory::FfnDownLayerNorm}) {
                QVERIFY2(b->part(c)->calls > 0, categoryName(c).c_str());
                QVERIFY2(b->part(c)->ms > 0, categoryName(c).c_str());
            }
            QCOMPARE(b->part(OpCategory::Attention)->calls, weights.config.numLayers);
            QCOMPARE(b->part(OpCategory::Padding)->calls, packed ? 1 : 0);
            const double ratio = b->sumMs / median(plain);
            QVERIFY2(ratio > 0.8 && ratio < 1.25, qPrintable(QString("parts / graph forward = %1").arg(ratio)));
            // The profiling forward leaves the timed path as it was.
            QVERIFY(backend.forward() > 0);
            backend.releaseCell();
        }
    }

    void gemmProbeAndPciId() {
        BB_REQUIRE_GPU();
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, cuda::KernelOptions{});
        const double tflops = backend.gemmPeakTflops(DType::Float16);
        QVERIFY2(tflops > 10 && tflops < 5000, qPrintable(QString::number(tflops)));
        QCOMPARE(backend.gemmPeakTflops(DType::Float16), tflops);   // probed once per process
        QCOMPARE(backend.peakMemoryBytes(), int64_t(0));             // outside the backend's accounting
        const std::string pci = backend.pciBusId();
        QVERIFY2(pci.size() >= 7 && pci.find(':') != std::string::npos, pci.c_str());
    }

    // fp8 rows are judged against the fp8 GEMM's rate (cuBLASLt, e4m3 in): on a GPU with fp8 it
    // must beat the fp16 rate (Hopper: about twice); before compute capability 8.9 it says why not.
    void fp8GemmProbe() {
        BB_REQUIRE_GPU();
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, cuda::KernelOptions{});
        cudaDeviceProp prop{};
        QCOMPARE(cudaGetDeviceProperties(&prop, 0), cudaSuccess);
        if (prop.major * 10 + prop.minor < 89) {
            try {
                backend.gemmPeakTflops(DType::Float8);
                QFAIL("the fp8 probe ran before compute capability 8.9");
            } catch (const BackendError& e) {
                QVERIFY2(std::string(e.what()).find("8.9") != std::string::npos, e.what());
            }
            return;
        }
        const double fp8 = backend.gemmPeakTflops(DType::Float8), fp16 = backend.gemmPeakTflops(DType::Float16);
        QVERIFY2(fp8 > fp16 && fp8 < 10000, qPrintable(QString("fp8 %1, fp16 %2 TFLOP/s").arg(fp8).arg(fp16)));
        QCOMPARE(backend.gemmPeakTflops(DType::Float8), fp8);   // probed once per process
    }

    void sweepRecordsEnergyOrSaysWhyNot() {
        BB_REQUIRE_GPU();
        const BackendRegistry registry = testing::cpuAndCudaRegistry();
        SweepSpec spec;
        spec.models = {"tiny"};
        spec.tasks = {Task::Encoder};
        spec.baseline = "cuda:eager";
        spec.candidates = {"cuda:eager"};
        spec.dtype = DType::Float16;
        spec.batchSizes = {8};
        spec.seqLens = {128};
        spec.pads = {0.5};
        spec.numBatches = 5;
        SweepRunner runner(registry);
        Quiet quiet;
        std::atomic<bool> cancel{false};
        const Run run = runner.run(spec, quiet, cancel);
        QCOMPARE(run.rows.size(), size_t(1));
        const Measurement& m = run.rows[0].candidate;
        QVERIFY(run.environment.gemmPeakTflops > 0);
        QVERIFY(m.efficiency.pctOfPeak > 0);
        QVERIFY(m.breakdown && m.breakdown->measured());
        std::string why;
        if (openNvmlMeter(kNvmlLibrary, "", why) == nullptr && why.find("could not load") != std::string::npos) {
            QVERIFY(!m.energy.available);   // a GPU without NVML: recorded as not available
            return;
        }
        QVERIFY2(m.energy.available, m.energy.note.c_str());
        QVERIFY(m.energy.windowExtended);   // five forwards of the tiny model are far below 200 ms
        QVERIFY(m.energy.timedWindowMs >= kMinEnergyWindowMs);
        QVERIFY(m.energy.joulesPer1kTokens > 0);
        QVERIFY(m.energy.meanPowerW > 10);
    }
};

QTEST_GUILESS_MAIN(CudaMeasurementProfileTest)
#include "test_cuda_measurement_profile.moc"

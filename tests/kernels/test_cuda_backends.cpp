// Registration and the Backend contract on the GPU: what registerCudaBackends offers (nothing,
// with a reason, without a GPU), peak memory, the memory limit → OutOfMemoryError → recovery,
// CUDA graphs, the kernel options, missing heads, inputs out of range, the forward's profiler
// categories.
#include <QtTest>

#include <algorithm>
#include <map>
#include <string>

#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/Run.h"
#include "core/util/Errors.h"
#include "kernels/CudaBackends.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/attention/FusedAttentionStrategy.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/runtime/KernelOptions.h"
#include "kernels/runtime/OpProfiler.h"
#include "kernels/CudaTestSupport.h"

using namespace bertbench;

class CudaBackendsTest : public QObject {
    Q_OBJECT
private slots:
    void registrationMatchesTheMachine() {
        BackendRegistry registry;
        registerCudaBackends(registry);
        const auto lines = cudaInfoLines();
        QVERIFY(!lines.empty());
        Environment env;
        fillCudaEnvironment(env);
        if (!testing::missingGpuReason().isEmpty()) {
            QVERIFY(registry.all().empty());
            QVERIFY(env.gpu.empty());
            const bool explained = std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
                return l.find("none registered") != std::string::npos;
            });
            QVERIFY2(explained, "info must say why no CUDA backend is offered");
            return;
        }
        const BackendInfo* eager = registry.find("cuda:eager");
        QVERIFY(eager);
        QCOMPARE(eager->device, std::string("cuda"));
        QCOMPARE(eager->dtypes.size(), size_t(3));
        QVERIFY(!env.gpu.empty());
        QVERIFY(!env.cudaRuntime.empty());
    }

    void memoryLimitThrowsAndTheNextCellRuns() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("tiny"), 3);
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, cuda::KernelOptions{});
        backend.loadModel(weights, DType::Float16);
        const int64_t weightsBytes = backend.peakMemoryBytes();
        QVERIFY(weightsBytes >= weights.parameterBytes() / 2);
        const Batch batch = makeBatch({16, 512, 0.0, 10, weights.config.vocabSize, 9});

        backend.setMemoryLimitBytes(weightsBytes + (int64_t(1) << 20));
        QVERIFY_THROWS_EXCEPTION(OutOfMemoryError, backend.prepare(Task::Mlm, batch));
        QCOMPARE(backend.currentMemoryBytes(), weightsBytes);   // the failed cell gave its memory back

        backend.setMemoryLimitBytes(0);
        backend.resetPeakMemory();
        backend.prepare(Task::Mlm, batch);
        QVERIFY(backend.forward() > 0);
        const int64_t peak = backend.peakMemoryBytes();
        // The MLM logits alone are B·S·V fp16 values.
        QVERIFY(peak > weightsBytes + int64_t(16) * 512 * weights.config.vocabSize * 2);
        const TaskOutput out = backend.output();
        QCOMPARE(out.shape, (std::vector<int64_t>{16, 512, weights.config.vocabSize}));
        backend.releaseCell();
        QCOMPARE(backend.currentMemoryBytes(), weightsBytes);
    }

    void cudaGraphReplayGivesTheSameOutput() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("tiny"), 4);
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, cuda::KernelOptions{});
        backend.loadModel(weights, DType::Float32);
        const Batch batch = makeBatch({3, 77, 0.3, 10, weights.config.vocabSize, 11});
        backend.prepare(Task::Qa, batch);
        backend.forward();
        const TaskOutput plain = backend.output();
        backend.setUseCudaGraphs(true);
        backend.forward();
        backend.forward();
        const TaskOutput replayed = backend.output();
        QCOMPARE(replayed.values, plain.values);   // same kernels, same order: bit-identical
    }

    // The kernel options are read by one rule, in one place (no GPU needed).
    void kernelOptionsReadTheEnvironmentByOneRule() {
        qunsetenv("BERTBENCH_HOPPER_ATTENTION");
        qunsetenv("BERTBENCH_GEMM_AUTOTUNE");
        qunsetenv("BERTBENCH_FP8_FAST_ACCUM");
        const cuda::KernelOptions defaults = cuda::KernelOptions::fromEnvironment();
        QVERIFY(defaults.hopperAttention);
        QVERIFY(defaults.gemmAutotune);
        QVERIFY(!defaults.fp8FastAccumulate);   // fp32 accumulate unless asked
        qputenv("BERTBENCH_FP8_FAST_ACCUM", "1");
        QVERIFY(cuda::KernelOptions::fromEnvironment().fp8FastAccumulate);
        qunsetenv("BERTBENCH_FP8_FAST_ACCUM");
        for (const char* off : {"0", "off", "false"}) {
            qputenv("BERTBENCH_GEMM_AUTOTUNE", off);
            QVERIFY(!cuda::KernelOptions::fromEnvironment().gemmAutotune);
        }
        qputenv("BERTBENCH_GEMM_AUTOTUNE", "");
        QVERIFY(cuda::KernelOptions::fromEnvironment().gemmAutotune);   // empty = the default
        qputenv("BERTBENCH_HOPPER_ATTENTION", "0");
        QVERIFY(!cuda::KernelOptions::fromEnvironment().hopperAttention);
        qunsetenv("BERTBENCH_HOPPER_ATTENTION");
        qunsetenv("BERTBENCH_GEMM_AUTOTUNE");
    }

    // What a backend reports it ran with follows its options and the cell it ran: two backends
    // made with different options never report the same thing.
    void kernelOptionsReportTheChoicesMade() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("tiny"), 5);
        const Batch batch = makeBatch({2, 64, 0.2, 10, weights.config.vocabSize, 13});
        auto reported = [&](bool autotune) {
            cuda::KernelOptions options;
            options.gemmAutotune = autotune;
            cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, options);
            backend.loadModel(weights, DType::Float16);
            backend.prepare(Task::Encoder, batch);
            backend.forward();
            std::map<std::string, std::string> byName;
            for (const KernelOption& o : backend.kernelOptions()) byName[o.name] = o.value;
            return byName;
        };
        const auto tuned = reported(true), heuristic = reported(false);
        QCOMPARE(QString::fromStdString(tuned.at("gemm_autotune")), QString("on"));
        QCOMPARE(QString::fromStdString(heuristic.at("gemm_autotune")), QString("off"));
        QVERIFY(std::stoi(tuned.at("gemm_autotuned_shapes")) > 0);
        QCOMPARE(QString::fromStdString(heuristic.at("gemm_autotuned_shapes")), QString("0"));
        QCOMPARE(QString::fromStdString(tuned.at("attention_kernel")), QString("eager"));
        QVERIFY(tuned.count("linear_ffn_up") == 1);
    }

    // The categories are a contract (kernels/README.md): exactly these names at the top level,
    // the attention strategy's own steps nested under "attention.".
    void profilerCategoriesTileTheForward() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("tiny"), 6);
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(true), 0, cuda::KernelOptions{});
        backend.loadModel(weights, DType::Float32);
        const Batch batch = makeBatch({3, 40, 0.3, 5, weights.config.vocabSize, 12});
        backend.prepare(Task::TokenClassification, batch);
        backend.forward();
        cuda::OpProfiler profiler;
        backend.setProfiler(&profiler);
        backend.forward();
        profiler.collect();
        backend.setProfiler(nullptr);
        std::vector<std::string> names;
        for (const auto& [name, total] : profiler.totals()) names.push_back(name);
        QCOMPARE(names, (std::vector<std::string>{"attention", "attn_out_ln", "embeddings", "ffn_down_ln", "ffn_up_gelu",
                                                  "head", "padding", "qkv_gemm"}));
        QCOMPARE(profiler.totals().at("qkv_gemm").calls, weights.config.numLayers);
        QVERIFY(profiler.details().count("attention.softmax") == 1);
        for (const auto& [name, total] : profiler.details()) QVERIFY(name.rfind("attention.", 0) == 0);
    }

    // ModernBERT: the local layers' attention is its own category (attention_local), the global
    // layers' stays "attention"; RoPE, like the QKV GEMM, is in qkv_gemm for the fused strategies.
    void modernBertAttentionCategoriesAreApart() {
        BB_REQUIRE_GPU();
        const BertWeights weights = randomWeights(presetConfig("modernbert-base"), 6);
        for (auto& info : cuda::fusedAttentionStrategies()) {
            cuda::CudaBertBackend backend(info.create(cuda::KernelOptions{}), 0, cuda::KernelOptions{});
            backend.loadModel(weights, DType::Float16);
            backend.prepare(Task::Encoder, makeBatch({2, 1024, 0.2, 5, weights.config.vocabSize, 12}));
            backend.forward();
            cuda::OpProfiler profiler;
            backend.setProfiler(&profiler);
            backend.forward();
            profiler.collect();
            backend.setProfiler(nullptr);
            const auto& totals = profiler.totals();
            int globals = 0;
            for (bool g : weights.config.modernBert.globalLayers) globals += g ? 1 : 0;
            QCOMPARE(totals.at("attention").calls, globals);
            QCOMPARE(totals.at("attention_local").calls, weights.config.numLayers - globals);
            QCOMPARE(totals.at("qkv_gemm").calls, weights.config.numLayers);
        }
    }

    void badInputsAreRefused() {
        BB_REQUIRE_GPU();
        BertWeights weights = randomWeights(presetConfig("tiny"), 5);
        weights.qaW = Tensor();
        weights.qaB = Tensor();
        cuda::CudaBertBackend backend(std::make_unique<cuda::EagerAttention>(), 0, cuda::KernelOptions{});
        backend.loadModel(weights, DType::BFloat16);
        Batch batch = makeBatch({2, 16, 0.0, 2, weights.config.vocabSize, 1});
        QVERIFY_THROWS_EXCEPTION(BackendError, backend.prepare(Task::Qa, batch));
        batch.inputIds[3] = weights.config.vocabSize;
        QVERIFY_THROWS_EXCEPTION(InputError, backend.prepare(Task::Encoder, batch));
        const Batch tooLong = makeBatch({1, weights.config.maxPositions + 1, 0.0, 1, weights.config.vocabSize, 1});
        QVERIFY_THROWS_EXCEPTION(InputError, backend.prepare(Task::Encoder, tooLong));
    }
};

QTEST_GUILESS_MAIN(CudaBackendsTest)
#include "test_cuda_backends.moc"

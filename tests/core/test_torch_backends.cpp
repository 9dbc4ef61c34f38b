// The torch:* backends around the worker: the probe's verdicts, every variant registered with
// the reason it cannot run, and worker failures as rows in a sweep (against the fake worker).
#include <QtTest>

#include <QTemporaryDir>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/HfCheckpointWriter.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "core/torch/TorchBackend.h"
#include "core/torch/TorchBackends.h"
#include "core/torch/TorchFiles.h"
#include "core/torch/TorchProbe.h"
#include "core/torch/TorchWorkerProcess.h"

#include "core/ErrorOf.h"
#include "core/FakeTorchWorker.h"

using namespace bertbench;
using namespace bertbench::torch;
using namespace bertbench::testing;

class TestTorchBackends : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!pythonCanRunTheFake()) QSKIP("python3 (3.8 or newer) is not available to run the fake worker");
    }

    void missingInterpreter() {
        TorchWorkerProcess worker;
        VERIFY_CONTAINS(errorOf<WorkerFailure>([&] { worker.start("/nonexistent/python3", {kFake}); }),
                        "cannot run '/nonexistent/python3': No such file or directory");
        const TorchProbeResult probe = runTorchProbe("bertbench-no-such-python", kFake, 10);
        VERIFY_CONTAINS(torchUnavailableReason(probe, "sdpa", "cpu"), "the Python worker did not start: cannot run");
    }

    void probeVerdicts() {
        {
            FakeMode fake("no_torch");
            const TorchProbeResult p = runTorchProbe("python3", kFake, 30);
            QVERIFY2(p.problem.empty(), p.problem.c_str());
            VERIFY_CONTAINS(torchUnavailableReason(p, "eager", "cpu"), "has no torch: ModuleNotFoundError");
        }
        {
            FakeMode fake("");
            const TorchProbeResult p = runTorchProbe("python3", kFake, 30);
            QCOMPARE(p.torchVersion, std::string("2.11.0-fake"));
            QCOMPARE(p.transformersVersion, std::string("5.17.0-fake"));
            QVERIFY(!p.pythonVersion.empty());
            QCOMPARE(torchUnavailableReason(p, "sdpa", "cpu"), std::string());
            QCOMPARE(torchUnavailableReason(p, "eager", "cpu"), std::string());
            VERIFY_CONTAINS(torchUnavailableReason(p, "sdpa", "cuda"), "sees no CUDA device");
            VERIFY_CONTAINS(torchUnavailableReason(p, "flash_attention_2", "cpu"), "CUDA only");
            TorchProbeResult old = p;
            old.torchVersion = "1.13.1+cu117";
            VERIFY_CONTAINS(torchUnavailableReason(old, "sdpa", "cpu"), "torch 1.13.1+cu117 is too old");
            old = p;
            old.transformersVersion = "4.30.2";
            VERIFY_CONTAINS(torchUnavailableReason(old, "sdpa", "cpu"), "transformers 4.30.2 is too old");
            old = p;
            old.transformersVersion.clear();
            VERIFY_CONTAINS(torchUnavailableReason(old, "sdpa", "cpu"), "has no transformers");
        }
        {
            FakeMode fake("cuda");
            const TorchProbeResult p = runTorchProbe("python3", kFake, 30);
            QVERIFY(p.cudaAvailable);
            QCOMPARE(torchUnavailableReason(p, "sdpa", "cuda"), std::string());
            VERIFY_CONTAINS(torchUnavailableReason(p, "flash_attention_2", "cuda"), "no flash_attn package");
            TorchProbeResult withFlash = p;
            withFlash.flashAttnVersion = "2.7.4";
            QCOMPARE(torchUnavailableReason(withFlash, "flash_attention_2", "cuda"), std::string());
        }
        QVERIFY(versionAtLeast("2.11.0+cu128", "2.0"));
        QVERIFY(versionAtLeast("4.36", "4.36.0"));
        QVERIFY(!versionAtLeast("4.9.1", "4.36"));
        QVERIFY(!versionAtLeast("1.13.1", "2.0"));
    }

    void registrationListsEveryVariantWithItsReason() {
        FakeMode fake("");
        BackendRegistry registry;
        TorchRegistration options;
        options.workerScript = kFake;
        options.device = "cuda";   // the fake reports no GPU: every variant says why
        registerTorchBackends(registry, options);
        QCOMPARE(registry.names(), (std::vector<std::string>{"torch:eager", "torch:sdpa", "torch:flash_attention_2",
                                                             "torch:sdpa+compile"}));
        for (const BackendInfo& info : registry.all()) {
            QCOMPARE(info.device, std::string("cuda"));
            VERIFY_CONTAINS(info.unavailableReason, "sees no CUDA device");
            VERIFY_CONTAINS(info.description, "transformers 5.17.0-fake");
            QCOMPARE(info.dtypes.size(), size_t(3));
        }
        BackendRegistry onCpu;
        options.device = "";   // auto: no GPU → cpu
        options.python = "python3";
        registerTorchBackends(onCpu, options);
        QCOMPARE(onCpu.find("torch:sdpa")->device, std::string("cpu"));
        QCOMPARE(onCpu.find("torch:sdpa")->unavailableReason, std::string());
        QCOMPARE(onCpu.find("torch:sdpa")->create()->name(), std::string("torch:sdpa"));
    }

    // Failures are rows: the worker crashing in one cell makes that row `error` with its stderr in the
    // message; the next cell gets a fresh worker and is measured; the compile time reaches the row.
    void sweepTurnsWorkerFailuresIntoRows() {
        QTemporaryDir dir;
        FakeMode fake("crash_forward=3", dir.filePath("fired").toStdString());
        BackendRegistry registry;
        registerCpuBackends(registry);
        TorchRegistration options;
        options.workerScript = kFake;
        options.device = "cpu";
        registerTorchBackends(registry, options);

        SweepSpec spec;
        spec.models = {"tiny"};
        spec.tasks = {Task::Encoder};
        spec.baseline = "cpu:eager";
        spec.candidates = {"torch:sdpa", "torch:sdpa+compile"};
        spec.batchSizes = {1, 2};
        spec.seqLens = {16};
        spec.pads = {0};
        spec.warmup = 1;
        spec.numBatches = 2;
        SweepRunner runner(registry);
        struct Quiet : SweepObserver {} observer;
        const std::atomic<bool> cancel{false};
        const Run run = runner.run(spec, observer, cancel);
        QCOMPARE(run.rows.size(), size_t(4));
        // Cell 1: torch:sdpa's third forward (warm-up + 2 timed) crashes.
        QCOMPARE(int(run.rows[0].status), int(RowStatus::Error));
        VERIFY_CONTAINS(run.rows[0].message, "torch:sdpa: torch worker exited with status 3");
        VERIFY_CONTAINS(run.rows[0].message, "simulated crash");
        // The other backend (its own worker) and the next cell are measured.
        QCOMPARE(int(run.rows[1].status), int(RowStatus::Ok));
        QCOMPARE(run.rows[1].candidate.compileMs, 12.5);
        QCOMPARE(run.rows[1].baseline.compileMs, -1.0);
        QCOMPARE(int(run.rows[2].status), int(RowStatus::Ok));
        QCOMPARE(run.rows[2].candidate.latency.medianMs, 0.52);
        QCOMPARE(run.rows[2].candidate.peakMemMb, (1000.0 * 2 * 16 + 4096) / 1e6);
        QVERIFY(run.rows[2].relError > 0);   // arithmetic, not BERT: compared like any output
        QVERIFY(!run.rows[2].isCuda);
    }

    void unavailableBackendIsAnErrorRow() {
        FakeMode fake("no_torch");
        BackendRegistry registry;
        registerCpuBackends(registry);
        TorchRegistration options;
        options.workerScript = kFake;
        options.python = "python3";
        options.device = "cpu";
        // probeTorch caches per (python, script): this script path spelled differently gets its own probe.
        options.workerScript = std::string(BERTBENCH_SOURCE_DIR) + "/tests/tools/../tools/fake_torch_worker.py";
        registerTorchBackends(registry, options);
        SweepSpec spec;
        spec.models = {"tiny"};
        spec.tasks = {Task::Encoder};
        spec.baseline = "cpu:eager";
        spec.candidates = {"torch:eager"};
        spec.batchSizes = {1};
        spec.seqLens = {8};
        spec.pads = {0};
        spec.warmup = 0;
        spec.numBatches = 1;
        SweepRunner runner(registry);
        struct Quiet : SweepObserver {} observer;
        const std::atomic<bool> cancel{false};
        const Run run = runner.run(spec, observer, cancel);
        QCOMPARE(run.rows.size(), size_t(1));
        QCOMPARE(int(run.rows[0].status), int(RowStatus::Error));
        VERIFY_CONTAINS(run.rows[0].message, "unavailable on this machine: ");
        VERIFY_CONTAINS(run.rows[0].message, "has no torch");
    }
};

QTEST_GUILESS_MAIN(TestTorchBackends)
#include "test_torch_backends.moc"

// The C++ side of the torch:* backends against tests/tools/fake_torch_worker.py, a worker that
// speaks the protocol (docs/TORCH_WORKER_PROTOCOL.md) with plain arithmetic: cells, crash mid-cell,
// hang past the cell timeout, garbage, stray stdout lines, slow start, out of memory, clean shutdown
// and the SIGKILL after the grace period. Only python3 and its standard library are needed.
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

class TestTorchWorker : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!pythonCanRunTheFake()) QSKIP("python3 (3.8 or newer) is not available to run the fake worker");
    }

    // The worker names its GPU's PCI bus id on load; the sweep's energy meter (NVML) is opened with it.
    void aCudaWorkerReportsItsPciBusId() {
        FakeMode mode("");
        TorchBackendOptions o = fakeOptions();
        o.device = "cuda";
        TorchBackend backend(o);
        backend.loadModel(tinyWeights(), DType::Float16);
        QCOMPARE(backend.pciBusId(), std::string("0000:19:00.0"));
    }

    void cellsThroughTheProtocol() {
        FakeMode mode("");
        pid_t pid = -1;
        {
            TorchBackend backend(fakeOptions());
            QCOMPARE(backend.name(), std::string("torch:sdpa"));
            backend.loadModel(tinyWeights(), DType::Float16);
            pid = backend.workerPid();
            QVERIFY(pid > 0);
            // Its own process group: a terminal's Ctrl-C reaches bertbench only, which stops it in order.
            QCOMPARE(::getpgid(pid), pid);
            VERIFY_CONTAINS(backend.deviceName(), "Fake cpu (sdpa)");
            QCOMPARE(backend.pciBusId(), std::string());   // on the CPU: no NVML energy for this row

            const Batch batch = batchOf(3, 16, 0.5);
            backend.resetPeakMemory();
            backend.prepare(Task::Encoder, batch);
            QCOMPARE(backend.compileTimeMs(), -1.0);
            for (int i = 0; i < 3; ++i) QCOMPARE(backend.forward(), 0.5 + 0.01 * 3);
            QCOMPARE(backend.peakMemoryBytes(), int64_t(1000 * 3 * 16 + 4096));
            const TaskOutput out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{3, 16, 128}));
            QVERIFY(out.perPosition);
            for (size_t t = 0; t < batch.inputIds.size(); t += 7)
                for (int64_t j = 0; j < 128; j += 13)
                    QCOMPARE(out.values[t * 128 + size_t(j)], fakeValue(batch.inputIds[t], j));
            backend.releaseCell();

            // A second cell, another task, the same worker.
            const Batch small = batchOf(2, 8, 0);
            backend.prepare(Task::Classification, small);
            backend.forward();
            const TaskOutput cls = backend.output();
            QCOMPARE(cls.shape, (std::vector<int64_t>{2, 2}));
            QVERIFY(!cls.perPosition);
            int64_t total = 0;
            for (int p = 0; p < 8; ++p) total += small.inputIds[size_t(p)];
            QCOMPARE(cls.values[1], float((total % 97) + 1) / 100.0f);
            backend.releaseCell();
            QCOMPARE(backend.workerPid(), pid);

            // qa and token classification (its head from the extra checkpoint file).
            backend.prepare(Task::Qa, small);
            backend.forward();
            QCOMPARE(backend.output().shape, (std::vector<int64_t>{2, 8, 2}));
            backend.releaseCell();
            backend.prepare(Task::TokenClassification, small);
            backend.forward();
            QCOMPARE(backend.output().shape, (std::vector<int64_t>{2, 8, 2}));
            backend.releaseCell();
        }
        QVERIFY2(reaped(pid), "the worker outlived its backend (or is a zombie)");
    }

    // The user's checkpoint folder goes to from_pretrained as it is; preset weights are written to a
    // temporary checkpoint (removed with the backend).
    void checkpointFolderIsUsedAsItIs() {
        QTemporaryDir dir;
        const std::string folder = dir.filePath("user-ckpt").toStdString();
        writeHfCheckpoint(randomWeights(presetConfig("tiny"), 4), folder);
        const std::string log = dir.filePath("fake.log").toStdString();
        qputenv("BERTBENCH_FAKE_LOG", QByteArray::fromStdString(log));
        FakeMode mode("");
        std::string temporary;
        {
            TorchBackend fromFolder(fakeOptions());
            fromFolder.loadModel(loadHfCheckpoint(folder), DType::Float32);
            TorchBackend fromPreset(fakeOptions());
            fromPreset.loadModel(tinyWeights(), DType::Float32);
        }
        qunsetenv("BERTBENCH_FAKE_LOG");
        std::ifstream in(log);
        std::vector<std::string> loads;
        for (std::string line; std::getline(in, line);)
            if (contains(line, " load ")) loads.push_back(line.substr(line.find(" load ") + 6));
        QCOMPARE(loads.size(), size_t(2));
        QCOMPARE(loads[0], std::filesystem::absolute(folder).string());
        VERIFY_CONTAINS(loads[1], "bertbench-torch-");
        QVERIFY2(!std::filesystem::exists(loads[1]), "the temporary checkpoint outlived its backend");
        QVERIFY(std::filesystem::exists(folder + "/model.safetensors"));   // the user's folder is untouched
    }

    void misuseIsRefused() {
        FakeMode mode("");
        TorchBackend backend(fakeOptions());
        VERIFY_CONTAINS(errorOf<BackendError>([&] { backend.prepare(Task::Encoder, batchOf(1, 8, 0)); }),
                        "prepare before loadModel");
        backend.loadModel(tinyWeights(), DType::Float32);
        VERIFY_CONTAINS(errorOf<BackendError>([&] { backend.forward(); }), "forward before prepare");
        backend.prepare(Task::Encoder, batchOf(1, 8, 0));
        VERIFY_CONTAINS(errorOf<BackendError>([&] { backend.output(); }), "output before forward");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TorchBackend(fakeOptions("flash")));
    }

    // A bad batch is refused before the worker sees it, as every backend refuses it (validateBatch),
    // and the worker stays usable for the next cell.
    void aBadBatchIsAnInputErrorBeforeTheWorker() {
        FakeMode mode("");
        TorchBackend backend(fakeOptions());
        backend.loadModel(tinyWeights(), DType::Float32);
        const pid_t pid = backend.workerPid();
        Batch bad = batchOf(2, 8, 0);
        bad.inputIds[3] = 30522;
        VERIFY_CONTAINS(errorOf<InputError>([&] { backend.prepare(Task::Encoder, bad); }),
                        "batch input_ids at row 0, position 3: token id 30522 is outside the vocabulary 0..30521");
        QCOMPARE(backend.workerPid(), pid);
        backend.prepare(Task::Encoder, batchOf(2, 8, 0));
        QVERIFY(backend.forward() >= 0);
    }

    // What the backend ran with: its settings, then the versions the worker's hello reported.
    void kernelOptionsNameTheImplementationAndVersions() {
        FakeMode mode("");
        TorchBackend backend(fakeOptions("sdpa", true));
        backend.loadModel(tinyWeights(), DType::Float32);
        const std::string line = kernelOptionsLine(backend.kernelOptions());
        VERIFY_CONTAINS(line, "attn_implementation=sdpa; compile=on (torch.compile, mode=reduce-overhead); device=cpu");
        VERIFY_CONTAINS(line, "torch=2.11.0-fake; transformers=5.17.0-fake");
        QVERIFY2(!contains(line, "flash_attn"), line.c_str());   // only for flash_attention_2
    }

    void compileTimeIsReportedApart() {
        FakeMode mode("");
        TorchBackend backend(fakeOptions("sdpa", true));
        QCOMPARE(backend.name(), std::string("torch:sdpa+compile"));
        backend.loadModel(tinyWeights(), DType::Float16);
        backend.prepare(Task::Encoder, batchOf(2, 8, 0));
        QCOMPARE(backend.compileTimeMs(), 12.5);
    }

    void crashMidCellThenFreshWorker() {
        QTemporaryDir dir;
        FakeMode mode("crash_forward=2", dir.filePath("fired").toStdString());
        TorchBackend backend(fakeOptions());
        backend.loadModel(tinyWeights(), DType::Float32);
        const pid_t first = backend.workerPid();
        backend.prepare(Task::Encoder, batchOf(2, 8, 0));
        backend.forward();
        const std::string msg = errorOf<WorkerFailure>([&] { backend.forward(); });
        VERIFY_CONTAINS(msg, "exited with status 3 while answering 'forward'");
        VERIFY_CONTAINS(msg, "fake worker: simulated crash in forward 2");   // its stderr, in the message
        QVERIFY(reaped(first));
        backend.releaseCell();   // nothing to release in a dead worker: no throw

        backend.prepare(Task::Encoder, batchOf(2, 8, 0));
        QVERIFY(backend.workerPid() > 0 && backend.workerPid() != first);
        QCOMPARE(backend.forward(), 0.52);
        QCOMPARE(backend.output().shape, (std::vector<int64_t>{2, 8, 128}));
    }

    void hangPastTheCellTimeout() {
        QTemporaryDir dir;
        FakeMode mode("hang_forward=1", dir.filePath("fired").toStdString());
        TorchBackend backend(fakeOptions());
        backend.setCellTimeoutS(0.5);
        backend.loadModel(tinyWeights(), DType::Float32);
        const pid_t first = backend.workerPid();
        backend.prepare(Task::Encoder, batchOf(1, 8, 0));
        const auto t0 = std::chrono::steady_clock::now();
        const std::string msg = errorOf<WorkerFailure>([&] { backend.forward(); });
        const double waited = secondsSince(t0);
        VERIFY_CONTAINS(msg, "did not answer 'forward' within");
        VERIFY_CONTAINS(msg, "fake worker: hanging in forward 1");
        QVERIFY2(waited >= 0.5 && waited < 6, qPrintable(QString::number(waited)));
        QVERIFY(reaped(first));

        backend.prepare(Task::Encoder, batchOf(1, 8, 0));
        QVERIFY(backend.workerPid() != first);
        QCOMPARE(backend.forward(), 0.51);
    }

    void garbageReplies_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << "garbage_forward=1" << "with a reply that is not JSON: this is {not json";
        QTest::newRow("out of step") << "wrong_id_forward=1" << "out of step";
    }
    void garbageReplies() {
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        FakeMode fake(mode.toStdString(), dir.filePath("fired").toStdString());
        TorchBackend backend(fakeOptions());
        backend.loadModel(tinyWeights(), DType::Float32);
        const pid_t first = backend.workerPid();
        backend.prepare(Task::Encoder, batchOf(1, 8, 0));
        VERIFY_CONTAINS(errorOf<WorkerFailure>([&] { backend.forward(); }), expected.toStdString());
        QVERIFY(reaped(first));
        backend.prepare(Task::Encoder, batchOf(1, 8, 0));
        QCOMPARE(backend.forward(), 0.51);
    }

    void badOutputShapeIsAnError() {
        FakeMode fake("bad_shape");
        TorchBackend backend(fakeOptions());
        backend.loadModel(tinyWeights(), DType::Float32);
        backend.prepare(Task::Encoder, batchOf(2, 8, 0));
        backend.forward();
        VERIFY_CONTAINS(errorOf<BackendError>([&] { backend.output(); }),
                        "encoder output has shape [1,8,128], expected [2,8,128]");
    }

    void strayStdoutLinesAreIgnored() {
        FakeMode fake("stray");
        TorchWorkerProcess worker;
        worker.start("python3", {"-u", kFake});
        const nlohmann::json hello = worker.request({{"cmd", "hello"}}, 30);
        QCOMPARE(hello["protocol"].get<int>(), 1);
        VERIFY_CONTAINS(worker.stderrTail(), "[stdout] a library's stray line on the protocol channel");
        VERIFY_CONTAINS(worker.stderrTail(), "a library's print(), redirected to stderr");
        worker.stop(1);
        QVERIFY(WIFEXITED(worker.lastWaitStatus()) && WEXITSTATUS(worker.lastWaitStatus()) == 0);
    }

    void slowStart() {
        FakeMode fake("slow_start=1.0");
        TorchBackendOptions patient = fakeOptions();
        patient.startTimeoutS = 20;
        TorchBackend backend(patient);
        backend.loadModel(tinyWeights(), DType::Float32);   // waits out the slow import
        QVERIFY(backend.workerPid() > 0);

        TorchBackendOptions hasty = fakeOptions();
        hasty.startTimeoutS = 0.3;
        TorchBackend impatient(hasty);
        VERIFY_CONTAINS(errorOf<WorkerFailure>([&] { impatient.loadModel(tinyWeights(), DType::Float32); }),
                        "did not answer 'hello' within 0.3 s");
    }

    void outOfMemoryIsOomAndKeepsTheWorker() {
        QTemporaryDir dir;
        FakeMode fake("oom_prepare", dir.filePath("fired").toStdString());
        TorchBackend backend(fakeOptions());
        backend.loadModel(tinyWeights(), DType::Float32);
        const pid_t pid = backend.workerPid();
        VERIFY_CONTAINS(errorOf<OutOfMemoryError>([&] { backend.prepare(Task::Encoder, batchOf(4, 8, 0)); }),
                        "CUDA out of memory");
        backend.releaseCell();
        backend.prepare(Task::Encoder, batchOf(1, 8, 0));   // the worker is still fine
        QCOMPARE(backend.workerPid(), pid);
        QCOMPARE(backend.forward(), 0.51);
    }

    void cleanShutdownLeavesNoZombie() {
        FakeMode fake("");
        TorchWorkerProcess worker;
        worker.start("python3", {"-u", kFake});
        worker.request({{"cmd", "hello"}}, 30);
        const pid_t pid = worker.pid();
        const auto t0 = std::chrono::steady_clock::now();
        worker.stop(5);
        QVERIFY(secondsSince(t0) < 3);   // it left on the shutdown request, no signal needed
        QVERIFY(WIFEXITED(worker.lastWaitStatus()));
        QCOMPARE(WEXITSTATUS(worker.lastWaitStatus()), 0);
        QVERIFY(reaped(pid));
        worker.stop();   // twice is fine
        VERIFY_CONTAINS(errorOf<WorkerFailure>([&] { worker.request({{"cmd", "hello"}}, 1); }), "not running");
    }

    void stubbornWorkerIsKilledAfterTheGrace() {
        FakeMode fake("ignore_term");
        TorchWorkerProcess worker;
        worker.start("python3", {"-u", kFake});
        worker.request({{"cmd", "hello"}}, 30);
        const pid_t pid = worker.pid();
        const auto t0 = std::chrono::steady_clock::now();
        worker.stop(0.3);   // shutdown ignored, SIGTERM ignored → SIGKILL
        const double took = secondsSince(t0);
        QVERIFY2(took >= 0.55 && took < 3, qPrintable(QString::number(took)));
        QVERIFY(WIFSIGNALED(worker.lastWaitStatus()));
        QCOMPARE(WTERMSIG(worker.lastWaitStatus()), SIGKILL);
        QVERIFY(reaped(pid));
    }
};

QTEST_GUILESS_MAIN(TestTorchWorker)
#include "test_torch_worker.moc"

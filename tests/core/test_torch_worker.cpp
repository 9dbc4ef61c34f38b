// The C++ side of the torch:* backends against tests/tools/fake_torch_worker.py, a worker that
// speaks the protocol (docs/TORCH_WORKER_PROTOCOL.md) with plain arithmetic: cells, crash mid-cell,
// hang past the cell timeout, garbage, stray stdout lines, slow start, out of memory, clean shutdown
// and the SIGKILL after the grace period, the probe's verdicts, and failures as rows in a sweep.
// Only python3 and its standard library are needed.
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

#include "core/ErrorOf.h"
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

using namespace bertbench;
using namespace bertbench::torch;
using bertbench::testing::errorOf;

namespace {

const std::string kFake = std::string(BERTBENCH_SOURCE_DIR) + "/tests/tools/fake_torch_worker.py";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
#define VERIFY_CONTAINS(text, part) QVERIFY2(contains((text), (part)), qPrintable(QString::fromStdString( \
                                                 std::string("'") + (part) + "' not in: " + (text))))

// The fake's fault switches, set for one test and cleared after it.
struct FakeMode {
    explicit FakeMode(const std::string& mode, const std::string& onceFile = "") {
        qputenv("BERTBENCH_FAKE_MODE", QByteArray::fromStdString(mode));
        if (onceFile.empty()) qunsetenv("BERTBENCH_FAKE_ONCE");
        else qputenv("BERTBENCH_FAKE_ONCE", QByteArray::fromStdString(onceFile));
    }
    ~FakeMode() {
        qunsetenv("BERTBENCH_FAKE_MODE");
        qunsetenv("BERTBENCH_FAKE_ONCE");
    }
};

TorchBackendOptions fakeOptions(const std::string& attention = "sdpa", bool compile = false) {
    TorchBackendOptions o;
    o.python = "python3";
    o.workerScript = kFake;
    o.attention = attention;
    o.compile = compile;
    o.device = "cpu";
    o.stopGraceS = 1;
    return o;
}

BertWeights tinyWeights() { return randomWeights(presetConfig("tiny"), 3); }

Batch batchOf(int b, int s, double pad, uint64_t seed = 1) {
    BatchSpec spec;
    spec.batchSize = b;
    spec.maxSeqLen = s;
    spec.padFraction = pad;
    spec.seqlenStdev = 2;
    spec.seed = seed;
    return makeBatch(spec);
}

// The fake's per-position formula (see its docstring).
float fakeValue(int32_t id, int64_t j) { return float(((int64_t(id) * 31 + j * 7) % 101)) / 100.0f; }

// The process is gone and reaped: no zombie left behind.
bool reaped(pid_t pid) {
    errno = 0;
    const bool noProcess = ::kill(pid, 0) == -1 && errno == ESRCH;
    errno = 0;
    const bool noChild = ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
    return noProcess && noChild;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

class TestTorchWorker : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (std::system("python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)'") != 0)
            QSKIP("python3 (3.8 or newer) is not available to run the fake worker");
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

    // The real worker (the script compiled into core), where no torch is installed: it still speaks
    // the protocol, says why it cannot load, and stays usable until shut down.
    void realWorkerWithoutTorch() {
        if (std::system("python3 -c 'import torch' >/dev/null 2>&1") == 0)
            QSKIP("torch is installed here: test_torch_real covers the real worker");
        QTemporaryDir dir;
        const std::string script = writeWorkerScript(dir.path().toStdString());
        TorchWorkerProcess worker;
        worker.start("python3", {"-u", script});
        const nlohmann::json hello = worker.request({{"cmd", "hello"}}, 60);
        QCOMPARE(hello["protocol"].get<int>(), 1);
        QVERIFY(hello["torch"].is_null());
        VERIFY_CONTAINS(hello["torch_error"].get<std::string>(), "No module named 'torch'");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] {
                            worker.request({{"cmd", "load"}, {"checkpoint", dir.path().toStdString()}}, 60);
                        }),
                        "'load' failed: ModuleNotFoundError: No module named 'torch'");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { worker.request({{"cmd", "forward"}}, 10); }),
                        "forward before prepare");
        VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { worker.request({{"cmd", "teleport"}}, 10); }),
                        "unknown command 'teleport'");
        const pid_t pid = worker.pid();
        worker.stop(5);
        QVERIFY(WIFEXITED(worker.lastWaitStatus()) && WEXITSTATUS(worker.lastWaitStatus()) == 0);
        QVERIFY(reaped(pid));
        QVERIFY(embeddedWorkerScript().find("REPLY_MARKER = \"@bertbench-reply \"") != std::string::npos);
    }

    // The real worker end to end, against tests/tools/mock_torch (a stand-in torch + transformers with
    // arithmetic outputs): load, a model per task, the token classifier's own file, the batch files,
    // forwards, outputs back through the array fallback, release, shutdown.
    void realWorkerAgainstMockTorch() {
        const QByteArray oldPath = qgetenv("PYTHONPATH");
        qputenv("PYTHONPATH", QByteArray(BERTBENCH_SOURCE_DIR) + "/tests/tools/mock_torch");
        const TorchProbeResult probe = runTorchProbe("python3", "", 60);
        QCOMPARE(probe.torchVersion, std::string("2.11.0-mock"));
        QCOMPARE(torchUnavailableReason(probe, "sdpa", "cpu"), std::string());

        TorchBackendOptions o;
        o.device = "cpu";
        o.attention = "sdpa";
        const BertWeights w = tinyWeights();
        pid_t pid = -1;
        {
            TorchBackend backend(o);   // the embedded worker script
            backend.loadModel(w, DType::Float32);
            pid = backend.workerPid();
            VERIFY_CONTAINS(backend.deviceName(), "torch 2.11.0-mock");
            const Batch batch = batchOf(2, 8, 0.5);
            const int64_t labels = w.config.numLabels, hidden = w.config.hiddenSize;

            backend.prepare(Task::Encoder, batch);
            QVERIFY(backend.forward() >= 0);
            TaskOutput out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, hidden}));
            for (size_t t = 0; t < batch.inputIds.size(); ++t)
                QCOMPARE(out.values[t * size_t(hidden) + 5], fakeValue(batch.inputIds[t], 5));
            backend.releaseCell();

            backend.prepare(Task::Qa, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, 2}));
            QCOMPARE(out.values[2 * 3 + 0], float(batch.inputIds[3] % 13) / 10.0f);   // start, then end
            QCOMPARE(out.values[2 * 3 + 1], float(batch.inputIds[3] % 7) / 10.0f);
            backend.releaseCell();

            // The sequence classifier from model.safetensors, the token classifier from its own file.
            backend.prepare(Task::Classification, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, labels}));
            QVERIFY(!out.perPosition);
            int64_t total = 0;
            for (int p = 0; p < batch.lengths[1]; ++p) total += batch.inputIds[size_t(8 + p)];
            QCOMPARE(out.values[size_t(labels + 1)], w.classifierW.data[size_t(hidden)] + float(total % 97) / 100.0f);
            backend.releaseCell();

            backend.prepare(Task::TokenClassification, batch);
            backend.forward();
            out = backend.output();
            QCOMPARE(out.shape, (std::vector<int64_t>{2, 8, labels}));
            QCOMPARE(out.values[size_t(4 * labels + 1)],
                     w.tokenClassifierW.data[size_t(hidden)] + float(batch.inputIds[4] % 7) / 10.0f);
            backend.releaseCell();

            // A head the mock cannot run fails as an error row's message, and the worker stays.
            backend.prepare(Task::Mlm, batch);
            VERIFY_CONTAINS(errorOf<WorkerRequestError>([&] { backend.forward(); }), "no masked-LM head");
            backend.releaseCell();
            QCOMPARE(backend.workerPid(), pid);
        }
        if (oldPath.isEmpty()) qunsetenv("PYTHONPATH");
        else qputenv("PYTHONPATH", oldPath);
        QVERIFY(reaped(pid));
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
        spec.model = "tiny";
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
        spec.model = "tiny";
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

QTEST_GUILESS_MAIN(TestTorchWorker)
#include "test_torch_worker.moc"

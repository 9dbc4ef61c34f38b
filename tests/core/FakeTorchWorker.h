#pragma once
// Test support for the torch:* suites: tests/tools/fake_torch_worker.py (a worker that speaks
// the protocol with plain arithmetic), its fault switches, tiny weights and batches, and the
// checks that a worker process is gone.
#include <QtTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/torch/TorchBackend.h"

namespace bertbench::testing {

inline const std::string kFake = std::string(BERTBENCH_SOURCE_DIR) + "/tests/tools/fake_torch_worker.py";

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
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

inline torch::TorchBackendOptions fakeOptions(const std::string& attention = "sdpa", bool compile = false) {
    torch::TorchBackendOptions o;
    o.python = "python3";
    o.workerScript = kFake;
    o.attention = attention;
    o.compile = compile;
    o.device = "cpu";
    o.stopGraceS = 1;
    return o;
}

inline BertWeights tinyWeights() { return randomWeights(presetConfig("tiny"), 3); }

inline Batch batchOf(int b, int s, double pad, uint64_t seed = 1) {
    BatchSpec spec;
    spec.batchSize = b;
    spec.maxSeqLen = s;
    spec.padFraction = pad;
    spec.seqlenStdev = 2;
    spec.seed = seed;
    return makeBatch(spec);
}

// The fake's per-position formula (see its docstring).
inline float fakeValue(int32_t id, int64_t j) { return float(((int64_t(id) * 31 + j * 7) % 101)) / 100.0f; }

// The process is gone and reaped: no zombie left behind.
inline bool reaped(pid_t pid) {
    errno = 0;
    const bool noProcess = ::kill(pid, 0) == -1 && errno == ESRCH;
    errno = 0;
    const bool noChild = ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
    return noProcess && noChild;
}

inline double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Skips a suite where python3 (3.8 or newer) cannot run the fake worker.
inline bool pythonCanRunTheFake() {
    return std::system("python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)'") == 0;
}

} // namespace bertbench::testing

#pragma once
// One Python worker process and the transport of the torch worker protocol
// (docs/TORCH_WORKER_PROTOCOL.md): JSON requests a line on its stdin, replies a line on its stdout
// behind a marker, stderr kept as the last lines of its log. POSIX only (posix_spawn, poll).
//
// Every wait has a deadline; a worker that dies, hangs or answers garbage is killed and reported
// with a WorkerFailure naming what happened and the worker's last stderr lines.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/util/Errors.h"

namespace bertbench::torch {

// The worker can no longer be trusted (died, hung, broke the protocol) and has been killed.
struct WorkerFailure : BackendError {
    using BackendError::BackendError;
};
// The worker answered "ok": false with kind "error": the request failed, the worker is fine.
struct WorkerRequestError : BackendError {
    using BackendError::BackendError;
};

// The marker before every reply line; other lines on stdout are a library's stray output.
inline constexpr const char* kReplyMarker = "@bertbench-reply ";

class TorchWorkerProcess {
public:
    explicit TorchWorkerProcess(size_t stderrLinesKept = 30);
    ~TorchWorkerProcess();   // stop()
    TorchWorkerProcess(const TorchWorkerProcess&) = delete;
    TorchWorkerProcess& operator=(const TorchWorkerProcess&) = delete;

    // Starts `program args...` (PATH is searched when program has no '/'), with `extraEnv` added to
    // this process's environment. Throws WorkerFailure when it cannot be started ("no such file").
    void start(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& extraEnv = {});
    bool started() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }

    // Sends `request` plus a fresh "id" and waits at most timeoutS for its reply. Returns the reply
    // when "ok" is true. Throws OutOfMemoryError (kind "oom") or WorkerRequestError (other kinds)
    // for a refusal, WorkerFailure (the worker is killed first) for death, timeout or garbage.
    nlohmann::json request(nlohmann::json request, double timeoutS);

    // Asks the worker to shut down, then SIGTERM after graceS, then SIGKILL after graceS more; reaps
    // it (no zombie). Safe to call twice and on a worker that already died.
    void stop(double graceS = 3.0);
    // SIGKILL now, and reap.
    void kill();

    // The exit status as waitpid reported it once reaped; -1 while running or never started.
    int lastWaitStatus() const { return lastWaitStatus_; }
    // "exit status 3", "killed by signal 9".
    std::string describeExit() const;
    // The last stderr lines (and stray stdout lines, marked), oldest first, one a line.
    // lines = 0: all kept lines.
    std::string stderrTail(size_t lines = 0) const;

private:
    using Clock = std::chrono::steady_clock;
    // Reads whatever stdout/stderr hold until `until`; returns a complete reply line when one came.
    bool pump(Clock::time_point until, std::string& replyLine);
    void consumeStderr(const char* data, size_t n);
    void keepLine(std::string line);
    bool reapNoHang();
    void closeFds();
    [[noreturn]] void fail(const std::string& what);

    size_t keep_;
    pid_t pid_ = -1;
    int stdinFd_ = -1, stdoutFd_ = -1, stderrFd_ = -1;
    std::string stdoutBuf_, stderrBuf_;
    std::deque<std::string> tail_;
    int64_t nextId_ = 1;
    int lastWaitStatus_ = -1;
};

} // namespace bertbench::torch

#include "core/torch/TorchWorkerProcess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace bertbench::torch {

namespace {

constexpr size_t kMaxLineBytes = size_t(16) << 20;   // a reply is small; more is garbage
constexpr size_t kMaxKeptLineChars = 400;

double secondsLeft(std::chrono::steady_clock::time_point until) {
    return std::chrono::duration<double>(until - std::chrono::steady_clock::now()).count();
}

int pollMs(std::chrono::steady_clock::time_point until) {
    const double left = secondsLeft(until);
    if (left <= 0) return 0;
    return int(std::min(left * 1000.0 + 1, 1000.0));
}

std::string errnoText(int e) { return std::strerror(e); }

} // namespace

TorchWorkerProcess::TorchWorkerProcess(size_t stderrLinesKept) : keep_(stderrLinesKept) {}

TorchWorkerProcess::~TorchWorkerProcess() {
    try {
        stop();
    } catch (...) {
        kill();   // never leave a process behind, whatever stop() ran into
    }
}

void TorchWorkerProcess::start(const std::string& program, const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& extraEnv) {
    if (started()) stop();
    tail_.clear();
    stdoutBuf_.clear();
    stderrBuf_.clear();
    lastWaitStatus_ = -1;
    if (program.empty()) throw WorkerFailure("no Python interpreter given (empty path)");

    // stdin is a socket so that writing to a dead worker fails with EPIPE instead of SIGPIPE
    // (send with MSG_NOSIGNAL); stdout and stderr are plain pipes. Our ends are close-on-exec.
    int in[2], out[2], err[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
        throw WorkerFailure("cannot create the worker's stdin: " + errnoText(errno));
    if (pipe2(out, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in[0]);
        ::close(in[1]);
        throw WorkerFailure("cannot create the worker's stdout: " + errnoText(e));
    }
    if (pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        for (int fd : {in[0], in[1], out[0], out[1]}) ::close(fd);
        throw WorkerFailure("cannot create the worker's stderr: " + errnoText(e));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[1], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // A process group of its own: Ctrl-C in a terminal goes to bertbench alone, which finishes the
    // forward in flight (the worker's too) and then stops the worker in order. Default signal
    // handling and an empty mask in the child, whatever the parent installed.
    posix_spawnattr_setpgroup(&attr, 0);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

    std::vector<std::string> argStrings{program};
    argStrings.insert(argStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argStrings) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStrings;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (extraEnv.count(key) == 0) envStrings.push_back(entry);
    }
    for (const auto& [key, value] : extraEnv) envStrings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (std::string& e : envStrings) envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(in[1]);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        for (int fd : {in[0], out[0], err[0]}) ::close(fd);
        throw WorkerFailure("cannot run '" + program + "': " + errnoText(rc) +
                            (rc == ENOENT ? " (no such interpreter; give its path with --python PATH)" : ""));
    }
    pid_ = pid;
    stdinFd_ = in[0];
    stdoutFd_ = out[0];
    stderrFd_ = err[0];
    for (int fd : {stdoutFd_, stderrFd_}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void TorchWorkerProcess::keepLine(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > kMaxKeptLineChars) line = line.substr(0, kMaxKeptLineChars) + "...";
    tail_.push_back(std::move(line));
    while (tail_.size() > keep_) tail_.pop_front();
}

void TorchWorkerProcess::consumeStderr(const char* data, size_t n) {
    stderrBuf_.append(data, n);
    size_t nl;
    while ((nl = stderrBuf_.find('\n')) != std::string::npos) {
        keepLine(stderrBuf_.substr(0, nl));
        stderrBuf_.erase(0, nl + 1);
    }
    if (stderrBuf_.size() > kMaxLineBytes) {   // a line without end: keep its start, drop the rest
        keepLine(stderrBuf_);
        stderrBuf_.clear();
    }
}

std::string TorchWorkerProcess::stderrTail(size_t lines) const {
    std::string s;
    const size_t skip = lines > 0 && tail_.size() > lines ? tail_.size() - lines : 0;
    for (size_t i = skip; i < tail_.size(); ++i) s += tail_[i] + "\n";
    if (!stderrBuf_.empty()) s += stderrBuf_.substr(0, kMaxKeptLineChars) + "\n";
    return s;
}

bool TorchWorkerProcess::pump(Clock::time_point until, std::string& replyLine) {
    char buf[65536];
    while (true) {
        // A complete line already buffered?
        size_t nl;
        while ((nl = stdoutBuf_.find('\n')) != std::string::npos) {
            std::string line = stdoutBuf_.substr(0, nl);
            stdoutBuf_.erase(0, nl + 1);
            if (line.rfind(kReplyMarker, 0) == 0) {
                replyLine = line.substr(std::strlen(kReplyMarker));
                return true;
            }
            keepLine("[stdout] " + line);   // a library's stray print: logged, not a reply
        }
        if (stdoutBuf_.size() > kMaxLineBytes) fail("printed a line of more than 16 MiB on stdout");
        if (stdoutFd_ < 0) return false;

        pollfd fds[2] = {{stdoutFd_, POLLIN, 0}, {stderrFd_, POLLIN, 0}};
        const nfds_t count = stderrFd_ >= 0 ? 2 : 1;
        const int ms = pollMs(until);
        const int ready = ::poll(fds, count, ms);
        if (ready < 0) {
            if (errno == EINTR) continue;
            fail("poll failed: " + errnoText(errno));
        }
        if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            const ssize_t n = ::read(stderrFd_, buf, sizeof buf);
            if (n > 0) consumeStderr(buf, size_t(n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                ::close(stderrFd_);
                stderrFd_ = -1;
            }
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::read(stdoutFd_, buf, sizeof buf);
            if (n > 0) {
                stdoutBuf_.append(buf, size_t(n));
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                ::close(stdoutFd_);   // EOF: the worker exited (or closed its protocol channel)
                stdoutFd_ = -1;
                return false;
            }
        }
        if (ready == 0 && secondsLeft(until) <= 0) return false;
    }
}

bool TorchWorkerProcess::reapNoHang() {
    if (pid_ <= 0) return true;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
        lastWaitStatus_ = r == pid_ ? status : -1;
        pid_ = -1;
        return true;
    }
    return false;
}

std::string TorchWorkerProcess::describeExit() const {
    if (lastWaitStatus_ < 0) return "exited";
    if (WIFEXITED(lastWaitStatus_)) return "exited with status " + std::to_string(WEXITSTATUS(lastWaitStatus_));
    if (WIFSIGNALED(lastWaitStatus_)) {
        const int sig = WTERMSIG(lastWaitStatus_);
        return "was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    }
    return "stopped";
}

void TorchWorkerProcess::fail(const std::string& what) {
    kill();
    std::string message = "torch worker " + what;
    const std::string tail = stderrTail();
    if (!tail.empty()) message += "; its last output:\n" + tail;
    throw WorkerFailure(message);
}

nlohmann::json TorchWorkerProcess::request(nlohmann::json request, double timeoutS) {
    const std::string cmd = request.value("cmd", std::string("?"));
    if (!started()) throw WorkerFailure("torch worker is not running (asked to '" + cmd + "')");
    const int64_t id = nextId_++;
    request["id"] = id;
    const std::string line = request.dump() + "\n";
    size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = ::send(stdinFd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            // Gone already: collect what it printed and how it ended.
            std::string ignored;
            pump(Clock::now() + std::chrono::milliseconds(200), ignored);
            for (int i = 0; i < 50 && !reapNoHang(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
            fail(describeExit() + " before '" + cmd + "' could be sent");
        }
        sent += size_t(n);
    }

    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeoutS));
    std::string replyLine;
    if (!pump(until, replyLine)) {
        if (stdoutFd_ < 0) {
            // EOF: drain stderr for the traceback, then reap for the exit status.
            std::string ignored;
            const auto drainUntil = Clock::now() + std::chrono::seconds(1);
            while (stderrFd_ >= 0 && Clock::now() < drainUntil) pump(drainUntil, ignored);
            for (int i = 0; i < 100 && !reapNoHang(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
            fail(describeExit() + " while answering '" + cmd + "'");
        }
        char limit[32];
        std::snprintf(limit, sizeof limit, "%.3g", timeoutS);
        fail("did not answer '" + cmd + "' within " + limit + " s; it was killed");
    }
    nlohmann::json reply;
    try {
        reply = nlohmann::json::parse(replyLine);
    } catch (const nlohmann::json::exception&) {
        fail("answered '" + cmd + "' with a reply that is not JSON: " + replyLine.substr(0, 200));
    }
    if (!reply.is_object() || !reply.contains("ok") || !reply["ok"].is_boolean())
        fail("answered '" + cmd + "' without a boolean \"ok\": " + replyLine.substr(0, 200));
    if (!reply.contains("id") || !reply["id"].is_number_integer() || reply["id"].get<int64_t>() != id)
        fail("answered '" + cmd + "' (request id " + std::to_string(id) + ") with id " +
             (reply.contains("id") ? reply["id"].dump() : std::string("missing")) + ": out of step");
    if (!reply["ok"].get<bool>()) {
        const std::string kind = reply.value("kind", std::string("error"));
        std::string message = reply.contains("error") && reply["error"].is_string() ? reply["error"].get<std::string>()
                                                                                     : std::string("(no message)");
        message = "torch worker: '" + cmd + "' failed: " + message;
        const std::string tail = stderrTail(5);
        if (!tail.empty()) message += "\nits last output:\n" + tail;
        if (kind == "oom") throw OutOfMemoryError(message);
        throw WorkerRequestError(message);
    }
    return reply;
}

void TorchWorkerProcess::closeFds() {
    for (int* fd : {&stdinFd_, &stdoutFd_, &stderrFd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

void TorchWorkerProcess::kill() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        pid_t r;
        do {
            r = ::waitpid(pid_, &status, 0);
        } while (r < 0 && errno == EINTR);
        lastWaitStatus_ = r == pid_ ? status : -1;
        pid_ = -1;
    }
    closeFds();
}

void TorchWorkerProcess::stop(double graceS) {
    if (pid_ <= 0) {
        closeFds();
        return;
    }
    auto waitExit = [&](double seconds) {
        const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        std::string ignored;
        while (Clock::now() < until) {
            if (reapNoHang()) return true;
            if (stdoutFd_ >= 0) pump(std::min(until, Clock::now() + std::chrono::milliseconds(20)), ignored);
            else std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return reapNoHang();
    };
    // 1. Ask politely: a shutdown request, then stdin closed (the worker also ends at EOF).
    if (stdinFd_ >= 0) {
        const std::string line = "{\"cmd\":\"shutdown\",\"id\":" + std::to_string(nextId_++) + "}\n";
        (void)!::send(stdinFd_, line.data(), line.size(), MSG_NOSIGNAL);
        ::shutdown(stdinFd_, SHUT_WR);
    }
    if (waitExit(graceS)) {
        closeFds();
        return;
    }
    // 2. SIGTERM, 3. SIGKILL.
    ::kill(pid_, SIGTERM);
    if (waitExit(graceS)) {
        closeFds();
        return;
    }
    kill();
}

} // namespace bertbench::torch

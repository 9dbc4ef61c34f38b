#include "app/cli/WorkerPool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <optional>

#include "app/cli/CliSupport.h"
#include "app/cli/WorkerProtocol.h"
#include "core/results/RowJson.h"

extern char** environ;

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

enum class State { Starting, Idle, Busy, Stopping, Gone };

struct Worker {
    WorkerSlot slot;
    pid_t pid = -1;
    int toFd = -1;     // its stdin
    int fromFd = -1;   // its protocol pipe
    std::string buffer;
    State state = State::Starting;
    int inFlight = -1;                 // cell number it measures, -1 = none
    std::vector<ResultRow> pending;    // rows of the cell in flight, released on "done"
    std::string fatal;                 // what it said before it gave up
};

// SIGPIPE off while the pool runs: writing to a worker that just died must be an error to
// handle, not the end of the parent.
class IgnoreSigpipe {
public:
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, &previous_);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &previous_, nullptr); }
    IgnoreSigpipe(const IgnoreSigpipe&) = delete;
    IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

private:
    struct sigaction previous_ {};
};

// Rough cost of a cell, only to order the queue (the attention part grows with seq²).
double cellCost(const Cell& c) { return double(c.batchSize) * c.seqLen * (1.0 + c.seqLen / 512.0); }

std::string describeExit(int status) {
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    }
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    return "ended";
}

std::string cellText(const Cell& c) {
    return toString(c.task) + " batch " + std::to_string(c.batchSize) + ", seq " + std::to_string(c.seqLen) +
           ", pad " + fixed(c.pad, 2);
}

// The worker's environment: ours, with its GPU alone visible, in nvidia-smi's (PCI) numbering.
std::vector<std::string> workerEnvironment(const WorkerSlot& slot) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry = *e;
        if (entry.rfind("CUDA_VISIBLE_DEVICES=", 0) == 0 || entry.rfind("CUDA_DEVICE_ORDER=", 0) == 0) continue;
        env.push_back(entry);
    }
    env.push_back("CUDA_DEVICE_ORDER=PCI_BUS_ID");
    env.push_back("CUDA_VISIBLE_DEVICES=" + slot.visibleDevices);
    return env;
}

std::vector<std::string> workerArguments(const WorkerPoolConfig& config, const WorkerSlot& slot) {
    std::vector<std::string> args{config.executable, worker::kCommand,
                                  "--spec", config.specPath,
                                  "--dir", (fs::path(config.runDir) / slot.label).string(),
                                  "--workers", config.workersText};
    if (config.appendJournals) args.push_back("--append");
    if (!config.shard.empty()) args.insert(args.end(), {"--shard", config.shard});
    if (slot.gpuIndex >= 0) args.insert(args.end(), {"--gpu-index", std::to_string(slot.gpuIndex)});
    if (!slot.cpus.empty()) args.insert(args.end(), {"--cpus", joinInts(slot.cpus)});
    if (slot.threads > 0) args.insert(args.end(), {"--threads", std::to_string(slot.threads)});
    return args;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Starts the worker with its stdin and protocol pipe connected to us. Throws on failure.
void spawnWorker(Worker& w, const WorkerPoolConfig& config) {
    int toChild[2], fromChild[2];
    if (pipe2(toChild, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(fromChild, O_CLOEXEC) != 0) {
        close(toChild[0]);
        close(toChild[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO);
    std::vector<std::string> args = workerArguments(config, w.slot);
    std::vector<std::string> env = workerEnvironment(w.slot);
    std::vector<char*> argv = cStrings(args), envp = cStrings(env);
    const int rc = posix_spawn(&w.pid, config.executable.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(toChild[0]);
    close(fromChild[1]);
    if (rc != 0) {
        close(toChild[1]);
        close(fromChild[0]);
        throw std::runtime_error("cannot start worker " + w.slot.label + " (" + config.executable + "): " +
                                 std::strerror(rc));
    }
    w.toFd = toChild[1];
    w.fromFd = fromChild[0];
}

bool sendLine(Worker& w, const std::string& line) {
    if (w.toFd < 0) return false;
    const std::string text = line + "\n";
    size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = write(w.toFd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;   // it died: its end of the pipe will report it
        done += size_t(n);
    }
    return true;
}

class Pool {
public:
    Pool(const WorkerPoolConfig& config, const SweepSpec& spec, const std::vector<Cell>& cells,
         SweepObserver& observer, const std::atomic<bool>& cancel)
        : config_(config), all_(cellsOf(spec)), candidates_(int(spec.candidates.size())), observer_(observer),
          cancel_(cancel),
          total_(int(cells.size())), start_(Clock::now()) {
        for (const Cell& c : cells)
            queue_.push_back(int(std::find(all_.begin(), all_.end(), c) - all_.begin()));
        std::stable_sort(queue_.begin(), queue_.end(),
                         [&](int a, int b) { return cellCost(all_[size_t(a)]) > cellCost(all_[size_t(b)]); });
    }

    // Whatever ended the pool early (an exception), no worker outlives it.
    ~Pool() {
        for (Worker& w : workers_) {
            if (w.state == State::Gone) continue;
            kill(w.pid, SIGKILL);
            if (w.toFd >= 0) close(w.toFd);
            if (w.fromFd >= 0) close(w.fromFd);
            while (waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
            }
        }
    }
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    WorkerPoolResult run(const std::vector<WorkerSlot>& slots) {
        for (const WorkerSlot& slot : slots) {
            Worker w;
            w.slot = slot;
            spawnWorker(w, config_);
            workers_.push_back(std::move(w));
            const Worker& started = workers_.back();
            observer_.log("worker " + slot.label + " started (pid " + std::to_string(started.pid) + ")");
        }
        observer_.progress({0, total_, 0, -1});
        while (std::any_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.state != State::Gone; })) {
            if (cancel_.load() && !cancelForwarded_) forwardCancel();
            pollOnce();
        }
        if (!queue_.empty()) {
            result_.failure = std::to_string(queue_.size()) + " cells were not measured: every worker stopped";
            if (!firstFatal_.empty()) result_.failure += " (" + firstFatal_ + ")";
        }
        result_.workerFailedToStart = !anyReady_;
        return std::move(result_);
    }

private:
    void forwardCancel() {
        cancelForwarded_ = true;
        queue_.clear();
        for (Worker& w : workers_) {
            if (w.state == State::Gone) continue;
            kill(w.pid, SIGINT);
            if (w.state == State::Idle) stop(w);
        }
    }

    void stop(Worker& w) {
        sendLine(w, "stop");
        if (w.toFd >= 0) close(w.toFd);
        w.toFd = -1;
        w.state = State::Stopping;
    }

    // Gives `w` the next cell; with none left it waits while another worker's cell may still come
    // back (that worker could die), and is stopped once none can.
    void assign(Worker& w) {
        if (cancel_.load() || (queue_.empty() && !anyBusy())) {
            stop(w);
            stopIdleWorkersIfDone();
            return;
        }
        if (queue_.empty()) {
            w.state = State::Idle;
            return;
        }
        const int cell = queue_.front();
        queue_.pop_front();
        w.inFlight = cell;
        w.state = State::Busy;
        observer_.cellStarted(all_[size_t(cell)], started_++, total_);
        if (!sendLine(w, "cell " + std::to_string(cell))) {
            // Dead already: its pipe's end-of-file gives the cell back.
        }
    }

    bool anyBusy() const {
        return std::any_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.state == State::Busy; });
    }

    void stopIdleWorkersIfDone() {
        if (!queue_.empty() || anyBusy()) return;
        for (Worker& w : workers_)
            if (w.state == State::Idle) stop(w);
    }

    void pollOnce() {
        std::vector<pollfd> fds;
        std::vector<Worker*> who;
        for (Worker& w : workers_)
            if (w.state != State::Gone) {
                fds.push_back({w.fromFd, POLLIN, 0});
                who.push_back(&w);
            }
        const int n = poll(fds.data(), fds.size(), 100);
        if (n <= 0) return;   // timeout or EINTR (Ctrl-C): the loop checks the cancel flag
        for (size_t i = 0; i < fds.size(); ++i)
            if (fds[i].revents != 0) readFrom(*who[i]);
    }

    void readFrom(Worker& w) {
        char chunk[65536];
        const ssize_t n = read(w.fromFd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
        if (n <= 0) {
            ended(w);
            return;
        }
        w.buffer.append(chunk, size_t(n));
        size_t newline;
        while (w.state != State::Gone && (newline = w.buffer.find('\n')) != std::string::npos) {
            const std::string line = w.buffer.substr(0, newline);
            w.buffer.erase(0, newline + 1);
            handle(w, line);
        }
    }

    void handle(Worker& w, const std::string& line) {
        const auto [word, payload] = worker::splitMessage(line);
        if (word == "ready") {
            anyReady_ = true;
            assign(w);
        } else if (word == "gpu") {
            GpuIdentity gpu;
            const size_t tab1 = payload.find('\t'), tab2 = payload.find('\t', tab1 + 1);
            gpu.index = w.slot.gpuIndex;
            if (tab1 != std::string::npos && tab2 != std::string::npos) {
                gpu.name = payload.substr(tab1 + 1, tab2 - tab1 - 1);
                gpu.uuid = payload.substr(tab2 + 1);
            }
            result_.gpus.push_back(gpu);
            observer_.log("worker " + w.slot.label + " measures on GPU " + std::to_string(gpu.index) + ": " + gpu.name +
                          " (" + gpu.uuid + ")");
        } else if (word == "row") {
            w.pending.push_back(rowFromJsonLine(payload, "worker " + w.slot.label));
        } else if (word == "done") {
            finishCell(w, payload);
        } else if (word == "log") {
            observer_.log(w.slot.label + ": " + payload);
        } else if (word == "fatal") {
            w.fatal = payload;
            if (firstFatal_.empty()) firstFatal_ = "worker " + w.slot.label + ": " + payload;
            observer_.log("worker " + w.slot.label + " failed: " + payload);
        } else {
            observer_.log("worker " + w.slot.label + " sent an unknown line; stopping it: " + line.substr(0, 80));
            kill(w.pid, SIGKILL);
        }
    }

    void finishCell(Worker& w, const std::string& payload) {
        if (payload != std::to_string(w.inFlight)) {
            observer_.log("worker " + w.slot.label + " finished cell " + payload + " but was given " +
                          std::to_string(w.inFlight) + "; stopping it");
            kill(w.pid, SIGKILL);
            return;
        }
        acceptCell(w);
        w.state = State::Idle;   // before assign(): it must not count itself as busy
        assign(w);
    }

    // The rows of `w`'s cell join the run.
    void acceptCell(Worker& w) {
        for (const ResultRow& row : w.pending) {
            result_.rows.push_back(row);
            observer_.rowReady(row);
        }
        w.pending.clear();
        w.inFlight = -1;
        ++done_;
        const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
        observer_.progress({done_, total_, elapsed, elapsed / done_ * (total_ - done_)});
    }

    // Its protocol pipe closed: the worker exited or died. A cell in flight goes back to the
    // front of the queue (measured again in full, by a worker still alive).
    void ended(Worker& w) {
        close(w.fromFd);
        w.fromFd = -1;
        if (w.toFd >= 0) close(w.toFd);
        w.toFd = -1;
        int status = 0;
        while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
        }
        const State was = w.state;
        w.state = State::Gone;
        const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        const bool cellComplete =
            w.inFlight >= 0 && int(w.pending.size()) == candidates_ &&
            std::none_of(w.pending.begin(), w.pending.end(), [](const ResultRow& r) { return r.status == RowStatus::Cancelled; });
        if (cellComplete) {
            // Every row of its cell arrived (each journaled before it was sent): only the "done" was
            // lost, so the cell counts as measured rather than being measured again.
            acceptCell(w);
        } else if (w.inFlight >= 0) {
            const Cell& cell = all_[size_t(w.inFlight)];
            w.pending.clear();
            if (!cancel_.load()) {
                queue_.push_front(w.inFlight);
                incident("worker " + w.slot.label + " (pid " + std::to_string(w.pid) + ") " + describeExit(status) +
                         " in cell " + cellText(cell) + ": the cell goes back to the queue, " +
                         std::to_string(queue_.size()) + " cells left for the other workers");
            }
            w.inFlight = -1;
        } else if (!clean || was != State::Stopping) {
            incident("worker " + w.slot.label + " (pid " + std::to_string(w.pid) + ") " + describeExit(status) +
                     (w.fatal.empty() ? std::string() : ": " + w.fatal));
        }
        // Idle workers waiting for a cell that might come back: give it to them, or stop them.
        for (Worker& other : workers_)
            if (other.state == State::Idle) assign(other);
        stopIdleWorkersIfDone();
    }

    // Shown now (progress) and again after the run, even with --quiet.
    void incident(const std::string& text) {
        observer_.log(text);
        result_.incidents.push_back(text);
    }

    const WorkerPoolConfig& config_;
    const std::vector<Cell> all_;
    const int candidates_;   // rows per cell
    SweepObserver& observer_;
    const std::atomic<bool>& cancel_;
    std::vector<Worker> workers_;
    std::deque<int> queue_;
    const int total_;
    int started_ = 0;
    int done_ = 0;
    bool cancelForwarded_ = false;
    bool anyReady_ = false;
    std::string firstFatal_;
    Clock::time_point start_;
    WorkerPoolResult result_;
};

} // namespace

std::string workerExecutable() {
    if (const char* exe = std::getenv("BERTBENCH_WORKER_EXE"); exe != nullptr && *exe != '\0') return exe;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) throw std::runtime_error("cannot find this program's path (/proc/self/exe): " + ec.message());
    return self.string();
}

WorkerPoolResult runWorkerPool(const WorkerPoolConfig& config, const std::vector<WorkerSlot>& slots,
                               const SweepSpec& spec, const std::vector<Cell>& cells, SweepObserver& observer,
                               const std::atomic<bool>& cancel) {
    IgnoreSigpipe guard;
    Pool pool(config, spec, cells, observer, cancel);
    return pool.run(slots);
}

} // namespace bertbench::cli

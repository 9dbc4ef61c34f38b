// The pool of `run --gpus` workers: the queue of cells (costliest first), the poll loop over
// their pipes, rows released per completed cell, and a dead worker's cell put back in front.
#include "app/cli/WorkerPool.h"

#include <poll.h>
#include <signal.h>
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
#include "app/cli/WorkerProcess.h"
#include "app/cli/WorkerProtocol.h"
#include "core/results/RowJson.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

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

std::string cellText(const Cell& c) {
    return (c.model.empty() ? std::string() : modelLabel(c.model) + " ") + toString(c.task) + " batch " + std::to_string(c.batchSize) + ", seq " + std::to_string(c.seqLen) +
           ", pad " + fixed(c.pad, 2);
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
        // Model by model (a worker reloads when its model changes), costliest cells first within one.
        auto modelIndex = [&](const Cell& c) {
            return std::find(spec.models.begin(), spec.models.end(), c.model) - spec.models.begin();
        };
        std::stable_sort(queue_.begin(), queue_.end(), [&](int a, int b) {
            const Cell& ca = all_[size_t(a)];
            const Cell& cb = all_[size_t(b)];
            if (modelIndex(ca) != modelIndex(cb)) return modelIndex(ca) < modelIndex(cb);
            return cellCost(ca) > cellCost(cb);
        });
    }

    // Whatever ended the pool early (an exception), no worker outlives it.
    ~Pool() {
        for (WorkerProcess& w : workers_) {
            if (w.state == WorkerState::Gone) continue;
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
            WorkerProcess w;
            w.slot = slot;
            spawnWorker(w, config_);
            workers_.push_back(std::move(w));
            const WorkerProcess& started = workers_.back();
            observer_.log("worker " + slot.label + " started (pid " + std::to_string(started.pid) + ")");
        }
        observer_.progress({0, total_, 0, -1});
        while (std::any_of(workers_.begin(), workers_.end(), [](const WorkerProcess& w) { return w.state != WorkerState::Gone; })) {
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
        for (WorkerProcess& w : workers_) {
            if (w.state == WorkerState::Gone) continue;
            kill(w.pid, SIGINT);
            if (w.state == WorkerState::Idle) stop(w);
        }
    }

    void stop(WorkerProcess& w) {
        sendLine(w, "stop");
        if (w.toFd >= 0) close(w.toFd);
        w.toFd = -1;
        w.state = WorkerState::Stopping;
    }

    // Gives `w` the next cell; with none left it waits while another worker's cell may still come
    // back (that worker could die), and is stopped once none can.
    void assign(WorkerProcess& w) {
        if (cancel_.load() || (queue_.empty() && !anyBusy())) {
            stop(w);
            stopIdleWorkersIfDone();
            return;
        }
        if (queue_.empty()) {
            w.state = WorkerState::Idle;
            return;
        }
        const int cell = queue_.front();
        queue_.pop_front();
        w.inFlight = cell;
        w.state = WorkerState::Busy;
        observer_.cellStarted(all_[size_t(cell)], started_++, total_);
        if (!sendLine(w, "cell " + std::to_string(cell))) {
            // Dead already: its pipe's end-of-file gives the cell back.
        }
    }

    bool anyBusy() const {
        return std::any_of(workers_.begin(), workers_.end(), [](const WorkerProcess& w) { return w.state == WorkerState::Busy; });
    }

    void stopIdleWorkersIfDone() {
        if (!queue_.empty() || anyBusy()) return;
        for (WorkerProcess& w : workers_)
            if (w.state == WorkerState::Idle) stop(w);
    }

    void pollOnce() {
        std::vector<pollfd> fds;
        std::vector<WorkerProcess*> who;
        for (WorkerProcess& w : workers_)
            if (w.state != WorkerState::Gone) {
                fds.push_back({w.fromFd, POLLIN, 0});
                who.push_back(&w);
            }
        const int n = poll(fds.data(), fds.size(), 100);
        if (n <= 0) return;   // timeout or EINTR (Ctrl-C): the loop checks the cancel flag
        for (size_t i = 0; i < fds.size(); ++i)
            if (fds[i].revents != 0) readFrom(*who[i]);
    }

    void readFrom(WorkerProcess& w) {
        char chunk[65536];
        const ssize_t n = read(w.fromFd, chunk, sizeof chunk);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
        if (n <= 0) {
            ended(w);
            return;
        }
        w.buffer.append(chunk, size_t(n));
        size_t newline;
        while (w.state != WorkerState::Gone && (newline = w.buffer.find('\n')) != std::string::npos) {
            const std::string line = w.buffer.substr(0, newline);
            w.buffer.erase(0, newline + 1);
            handle(w, line);
        }
    }

    void handle(WorkerProcess& w, const std::string& line) {
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
        } else if (word == "options") {
            try {
                for (auto& [backend, options] : kernelOptionsFromJsonLine(payload, "worker " + w.slot.label))
                    result_.kernelOptions[backend] = std::move(options);
            } catch (const std::exception& e) {   // a description must not cost the measured rows
                observer_.log("worker " + w.slot.label + " sent unreadable kernel options: " + e.what());
            }
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

    void finishCell(WorkerProcess& w, const std::string& payload) {
        if (payload != std::to_string(w.inFlight)) {
            observer_.log("worker " + w.slot.label + " finished cell " + payload + " but was given " +
                          std::to_string(w.inFlight) + "; stopping it");
            kill(w.pid, SIGKILL);
            return;
        }
        acceptCell(w);
        w.state = WorkerState::Idle;   // before assign(): it must not count itself as busy
        assign(w);
    }

    // The rows of `w`'s cell join the run.
    void acceptCell(WorkerProcess& w) {
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
    void ended(WorkerProcess& w) {
        close(w.fromFd);
        w.fromFd = -1;
        if (w.toFd >= 0) close(w.toFd);
        w.toFd = -1;
        int status = 0;
        while (waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
        }
        const WorkerState was = w.state;
        w.state = WorkerState::Gone;
        const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        // "worker gpu1 (pid 4242) killed by signal 9 (Killed)": how every incident below starts.
        const std::string ended = "worker " + w.slot.label + " (pid " + std::to_string(w.pid) + ") " + describeExit(status);
        const bool cellComplete =
            w.inFlight >= 0 && int(w.pending.size()) == candidates_ &&
            std::none_of(w.pending.begin(), w.pending.end(), [](const ResultRow& r) { return r.status == RowStatus::Cancelled; });
        if (cellComplete) {
            // Every row of its cell arrived (each journaled before it was sent): only the "done" was
            // lost, so the cell counts as measured rather than being measured again. A death there is
            // still an incident: the user must hear that a worker died, whatever it cost.
            const std::string text = cellText(all_[size_t(w.inFlight)]);
            acceptCell(w);
            if (!clean)
                incident(ended + " after reporting every row of cell " + text + ": the cell counts as measured");
        } else if (w.inFlight >= 0) {
            const Cell& cell = all_[size_t(w.inFlight)];
            w.pending.clear();
            if (!cancel_.load()) {
                queue_.push_front(w.inFlight);
                incident(ended + " in cell " + cellText(cell) + ": the cell goes back to the queue, " +
                         std::to_string(queue_.size()) + " cells left for the other workers");
            }
            w.inFlight = -1;
        } else if (!clean || was != WorkerState::Stopping) {
            incident(ended + (w.fatal.empty() ? std::string() : ": " + w.fatal));
        }
        // Idle workers waiting for a cell that might come back: give it to them, or stop them.
        for (WorkerProcess& other : workers_)
            if (other.state == WorkerState::Idle) assign(other);
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
    std::vector<WorkerProcess> workers_;
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

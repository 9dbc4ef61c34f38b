// The hidden `__worker` command: one worker process of `run --gpus`. It loads the model and
// backends once, then measures the cells its parent hands it, one at a time, appending every
// row to its own journal (fsynced) before sending it up. See WorkerProtocol.h for the lines.
#include <sched.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <utility>

#include "app/cli/CliSupport.h"
#include "app/cli/WorkerProtocol.h"
#include "app/common/Backends.h"
#include "app/common/Gpus.h"
#include "core/cpu/CpuBackends.h"
#include "core/results/RowJson.h"
#include "core/results/RunJournal.h"
#include "core/sweep/Shard.h"
#include "core/sweep/SpecJson.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

// Ctrl-C reaches the whole process group, and the parent forwards its own: either way the
// worker stops after the forward in flight, like a single-process run. Never escalates: the
// parent decides when to give up on a worker.
std::atomic<bool> g_workerCancel{false};
extern "C" void onWorkerInterrupt(int) { g_workerCancel.store(true); }

const CommandHelp& workerHelp() {
    static const CommandHelp help{
        std::string("bertbench-cli ") + worker::kCommand + " [options]",
        "A worker process of `run --gpus` (started by it, not by hand): reads \"cell <k>\" lines on\n"
        "stdin, measures them, answers on stdout.",
        {
            {"--spec", "FILE", "the sweep (spec JSON written by the parent)"},
            {"--dir", "DIR", "its folder: run.journal and worker.pid"},
            {"--append", "", "append to an existing journal (resume)"},
            {"--gpu-index", "K", "the machine's index of its GPU, recorded in rows"},
            {"--cpus", "LIST", "cores to pin itself to"},
            {"--threads", "N", "CPU backend threads"},
            {"--workers", "TEXT", "the parent's --gpus value, recorded in the journal"},
            {"--shard", "I/N", "the parent's --shard, recorded in the journal (for --resume)"},
        },
        ""};
    return help;
}

// Writes protocol lines to the parent; a write that fails means the parent is gone.
class ParentLink {
public:
    explicit ParentLink(std::FILE* file) : file_(file) {}
    void send(const std::string& word, const std::string& payload) {
        const std::string line = word + " " + worker::oneLine(payload) + "\n";
        if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0)
            throw std::runtime_error("the parent process is gone");
    }

private:
    std::FILE* file_;
};

class ReportingObserver : public SweepObserver {
public:
    explicit ReportingObserver(ParentLink& link) : link_(link) {}
    void rowReady(const ResultRow& row) override { link_.send("row", rowToJsonLine(row)); }
    void log(const std::string& line) override { link_.send("log", line); }

private:
    ParentLink& link_;
};

void pinToCores(const std::vector<int>& cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c : cpus) CPU_SET(c, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        throw InputError("--cpus: cannot pin the worker to cores " + joinInts(cpus));
}

int runWorker(const ParsedArgs& parsed, ParentLink& link) {
    auto val = [&](const char* flag) { return parsed.value(flag).value_or(""); };
    if (!parsed.has("--spec") || !parsed.has("--dir")) throw UsageError("--spec and --dir are required");
    if (parsed.has("--cpus")) pinToCores(parseIntList("--cpus", val("--cpus")));
    if (parsed.has("--threads")) setCpuThreads(int(parseInteger("--threads", val("--threads"), 0, 4096)));
    const int gpuIndex = parsed.has("--gpu-index") ? int(parseInteger("--gpu-index", val("--gpu-index"), 0, 4095)) : -1;

    const fs::path dir = val("--dir");
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::ofstream(dir / "worker.pid") << getpid() << "\n";   // for whoever watches the run (tests)

    const SweepSpec spec = loadSpecFile(val("--spec"));
    const std::vector<Cell> cells = cellsOf(spec);
    const BackendRegistry registry = app::makeRegistry();
    Environment env = app::machineEnvironment();
    env.cudaGraphs = spec.cudaGraphs;
    env.workers = val("--workers");
    if (parsed.has("--shard")) {
        const Shard shard = parseShard("--shard", val("--shard"));
        env.shardIndex = shard.index;
        env.shardCount = shard.count;
    }
    const std::string journalPath = (dir / "run.journal").string();
    RunJournal journal = parsed.has("--append") && fs::exists(journalPath, ec)
                             ? RunJournal::reopen(journalPath)
                             : RunJournal::create(journalPath, spec, env);

    SweepRunner runner(registry);
    runner.setEnvironment(env);
    if (gpuIndex >= 0) {
        // CUDA_VISIBLE_DEVICES=<index>: the worker's only device is CUDA ordinal 0.
        if (const std::optional<GpuIdentity> gpu = app::visibleGpuIdentity(0, gpuIndex)) {
            runner.setGpuIdentity(*gpu);
            link.send("gpu", std::to_string(gpu->index) + "\t" + gpu->name + "\t" + gpu->uuid);
        }
    }

    ReportingObserver reporting(link);
    JournalingObserver journaled(reporting, journal);
    bool ready = false;
    std::optional<long> inFlight;
    // Called before each cell, i.e. also right after the previous cell's last row.
    const SweepRunner::CellSource next = [&]() -> std::optional<Cell> {
        if (!ready) {
            link.send("ready", std::to_string(getpid()));
            ready = true;
        }
        if (inFlight) link.send("done", std::to_string(*std::exchange(inFlight, std::nullopt)));
        std::string line;
        if (!std::getline(std::cin, line)) return std::nullopt;   // the parent closed the pipe
        const auto [word, payload] = worker::splitMessage(line);
        if (word == "stop") return std::nullopt;
        if (word != "cell") throw std::runtime_error("unexpected message from the parent: " + line);
        inFlight = long(parseInteger("cell", payload, 0, long(cells.size()) - 1));
        return cells[size_t(*inFlight)];
    };
    const Run measured = runner.runCells(spec, journaled, g_workerCancel, next, -1);
    if (inFlight) link.send("done", std::to_string(*inFlight));   // a stopped cell: its rows are cancelled ones
    if (!measured.environment.kernelOptions.empty())
        link.send("options", kernelOptionsToJsonLine(measured.environment.kernelOptions));
    return kExitOk;
}

} // namespace

int workerCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    ParsedArgs parsed;
    try {
        if (parseOrHelp(args, workerHelp(), out, parsed)) return kExitOk;
    } catch (const std::exception& e) {
        err << "bertbench-cli " << worker::kCommand << ": " << e.what() << "\n";
        return kExitBadInput;
    }
    // The protocol gets a private copy of stdout; fd 1 then points at stderr, so that nothing a
    // library prints can break a protocol line.
    std::cout.flush();
    const int protocolFd = dup(STDOUT_FILENO);
    std::FILE* protocol = protocolFd >= 0 ? fdopen(protocolFd, "w") : nullptr;
    if (protocol == nullptr || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        err << "bertbench-cli " << worker::kCommand << ": cannot set up the pipe to the parent\n";
        return kExitFailedCell;
    }
    struct sigaction action {};
    action.sa_handler = onWorkerInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    ParentLink link(protocol);
    int code = kExitFailedCell;
    try {
        code = runWorker(parsed, link);
    } catch (const std::exception& e) {
        try {
            link.send("fatal", e.what());
        } catch (const std::exception&) {
            err << "bertbench-cli " << worker::kCommand << ": " << e.what() << "\n";
        }
        code = dynamic_cast<const InputError*>(&e) != nullptr ? kExitBadInput : kExitFailedCell;
    }
    std::fclose(protocol);
    return code;
}

} // namespace bertbench::cli

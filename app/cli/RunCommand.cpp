// `run`: flags → plan → check everything → measure with progress → write the files.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <optional>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/ResumeState.h"
#include "app/cli/RunCommand.h"
#include "app/cli/RunPlan.h"
#include "app/cli/RunProgress.h"
#include "app/cli/MeasurementProfileTables.h"
#include "app/cli/RunOutput.h"
#include "app/cli/RunSummary.h"
#include "app/cli/WorkerPool.h"
#include "app/cli/WorkerSlots.h"
#include "app/common/Backends.h"
#include "app/common/Gpus.h"
#include "core/cpu/CpuBackends.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/sweep/Shard.h"
#include "core/sweep/SpecJson.h"
#include "core/sweep/SweepRunner.h"
#include "core/workload/Workload.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

// SIGINT → the runner's cancel flag. Lock-free atomics are safe to touch from a handler.
std::atomic<bool> g_cancel{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void onInterrupt(int) {
    if (g_cancel.load()) {
        // Second Ctrl-C: stop now, as the default action would.
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
        return;
    }
    g_cancel.store(true);
    static const char message[] =
        "\nInterrupted: stopping after the forward in flight; finished rows will be saved (Ctrl-C again quits now)\n";
    const ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
}

// Installs the handler for the duration of a run, restores the previous one after.
class InterruptGuard {
public:
    InterruptGuard() {
        g_cancel.store(false);
        struct sigaction action {};
        action.sa_handler = onInterrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;
        installed_ = sigaction(SIGINT, &action, &previous_) == 0;
    }
    ~InterruptGuard() {
        if (installed_) sigaction(SIGINT, &previous_, nullptr);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    struct sigaction previous_ {};
    bool installed_ = false;
};

std::string localTimeStamp() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d_%H-%M-%S", &local);
    return buf;
}

// The output folder, created now so that a bad --out fails before anything is measured.
std::string prepareOutDir(const std::string& requested) {
    fs::path dir = requested;
    if (dir.empty()) {
        const fs::path base = fs::path("bertbench-runs") / localTimeStamp();
        dir = base;
        std::error_code ec;
        for (int n = 2; fs::exists(dir, ec); ++n) dir = base.string() + "-" + std::to_string(n);
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw InputError("--out: cannot create folder '" + dir.string() + "': " + ec.message());
    if (access(dir.c_str(), W_OK) != 0) throw InputError("--out: folder '" + dir.string() + "' is not writable");
    return dir.string();
}

std::vector<std::string> batchingNames(const WorkloadSpec& w) {
    std::vector<std::string> names;
    for (Batching b : w.batching) names.push_back(toString(b));
    return names;
}

std::string planHeader(const RunPlan& plan, int cells, const std::string& outDir,
                       const std::vector<WorkerSlot>& workers, const WorkloadRecord& workload) {
    const SweepSpec& s = plan.spec;
    std::vector<std::string> tasks;
    for (Task t : s.tasks) tasks.push_back(toString(t));
    std::string h = "BertBench run: model" + std::string(s.models.size() > 1 ? "s " : " ") + joinStrings(s.models) + ", " + toString(s.dtype) + ", baseline " + baselineLabel(s) + " vs " +
                    joinStrings(s.candidates) + "\n";
    h += "  tasks " + joinStrings(tasks) + "; batch sizes " + joinInts(s.batchSizes) + "; seq lens " +
         joinInts(s.seqLens) +
         (s.workload.isData() ? "; batching " + joinStrings(batchingNames(s.workload)) : "; pads " + joinNumbers(s.pads)) +
         "\n";
    if (workload.recorded())
        h += "  workload: " + describeWorkload(workload) + "; " + std::to_string(s.workload.batchesPerCell) +
             " batches a cell, each timed forward runs them all\n";
    const std::string timed = s.maxNoisePct > 0 ? "timed to +-" + fixed(s.maxNoisePct, 1) + "% noise (" +
                                                      fixed(s.minTimeS, 1) + "-" + fixed(s.maxTimeS, 1) + " s a cell)"
                                                : std::to_string(s.numBatches) + " timed";
    h += "  " + std::to_string(cells) + " cells, " + timed + " + " + std::to_string(s.warmup) +
         " warm-up forwards per backend per cell" + (s.interleave ? " in alternating rounds" : ", one backend after the other") +
         "; CPU threads " + std::to_string(cpuThreads()) + "\n";
    if (plan.shard)
        h += "  shard " + toString(*plan.shard) + " of the sweep's " + std::to_string(cellsOf(s).size()) + " cells\n";
    if (!workers.empty()) {
        h += "  " + std::to_string(workers.size()) + " worker processes:";
        for (const WorkerSlot& w : workers) {
            h += " " + w.label;
            if (!w.cpus.empty()) h += " (cores " + joinInts(w.cpus) + ")";
        }
        h += "\n";
    }
    h += "  output: " + outDir + "\n";
    return h;
}

// --resume continues the saved sweep as it was: flags that would change it are refused.
void refuseSweepFlagsWithResume(const ParsedArgs& parsed) {
    for (const OptionDef& option : runHelp().options) {
        if (option.name == "--resume" || option.name == "--threads" || option.name == "--quiet" ||
            option.name == "--python" || option.name == "--gpus")
            continue;
        if (parsed.has(option.name))
            throw UsageError("--resume continues the saved sweep as it was; " + parsed.spelling(option.name) +
                             " cannot be combined with it");
    }
}

// The journal a run appends every finished row to (fsynced), so a killed run can be resumed.
RunJournal openJournal(const std::optional<ResumeState>& resume, const std::string& outDir, const SweepSpec& spec,
                       const Environment& environment) {
    if (!resume) return RunJournal::create((fs::path(outDir) / "run.journal").string(), spec, environment);
    std::error_code ec;
    if (fs::exists(resume->journalPath, ec)) return RunJournal::reopen(resume->journalPath);
    RunJournal journal = RunJournal::create(resume->journalPath, spec, resume->previous.environment);
    for (const ResultRow& row : resume->previous.rows) journal.append(row);
    return journal;
}

// What is measured and with what: the plan (the resumed run's spec when --resume), the
// resumed state, and the registry (rebuilt with the torch:* backends when the plan names one).
struct RunSetup {
    RunPlan plan;
    std::optional<ResumeState> resume;
    BackendRegistry registry;
    WorkloadRecord workload;   // a data workload, read (and its identity checked) before measuring
};

RunSetup setUpRun(const ParsedArgs& parsed) {
    // Without torch:* backends first: probing Python (importing torch) costs seconds, and the plan's
    // defaults never depend on them. Rebuilt with them when the plan names one.
    app::RegistryOptions registryOptions;
    registryOptions.torch = false;
    RunSetup setup{RunPlan{}, std::nullopt, app::makeRegistry(registryOptions)};
    RunPlan& plan = setup.plan;
    plan = planRun(parsed, setup.registry);
    if (parsed.has("--resume")) {
        refuseSweepFlagsWithResume(parsed);
        setup.resume = loadResumeState(*parsed.value("--resume"));
        plan.spec = setup.resume->previous.spec;
        plan.outDir = setup.resume->outDir;
    }
    if (namesTorchBackend(plan.spec)) {
        if (plan.threads >= 0) setCpuThreads(plan.threads);   // the torch workers' CPU threads too
        registryOptions.torch = true;
        registryOptions.python = plan.python;
        if (plan.deviceGiven && !setup.resume) registryOptions.torchDevice = plan.device;
        setup.registry = app::makeRegistry(registryOptions);
    }
    return setup;
}

// Every problem at once; true when there were any (nothing is measured then).
bool reportProblems(const std::string& command, const std::vector<std::string>& problems, std::ostream& err) {
    if (problems.empty()) return false;
    err << "bertbench-cli " << command << ": the sweep is not valid (" << problems.size()
        << (problems.size() == 1 ? " problem" : " problems") << "):\n";
    for (const std::string& p : problems) err << "  " << p << "\n";
    err << "Nothing was measured. Try 'bertbench-cli " << command << " --help'.\n";
    return true;
}

// The shard and the workers: as given, or as recorded by the run being resumed.
void adoptResumedLayout(RunPlan& plan, const std::optional<ResumeState>& resume) {
    if (!resume) return;
    const Environment& was = resume->previous.environment;
    if (was.shardCount > 0) plan.shard = Shard{was.shardIndex, was.shardCount};
    if (plan.gpus.empty()) plan.gpus = was.workers;
}

// --gpus → worker processes; none when the run measures in this process.
std::vector<WorkerSlot> workersFor(const RunPlan& plan) {
    if (plan.gpus.empty()) return {};
    const SweepSpec& spec = plan.spec;
    WorkerRequest request;
    request.gpus = plan.gpus;
    std::vector<std::string> named{spec.baseline};
    named.insert(named.end(), spec.candidates.begin(), spec.candidates.end());
    for (const std::string& name : named) {
        request.sweepUsesCuda = request.sweepUsesCuda || name.rfind("cuda:", 0) == 0;
        request.sweepUsesCpu = request.sweepUsesCpu || name.rfind("cpu:", 0) == 0;
    }
    request.threads = plan.threads;
    request.machineGpus = app::listGpus();
    request.allowedCpus = allowedCpus();
    return planWorkers(request);
}

// Cells not to measure: those the resumed run finished and those outside the shard.
std::vector<Cell> cellsToSkip(const RunPlan& plan, const std::optional<ResumeState>& resume) {
    std::vector<Cell> skip = resume ? resume->skip : std::vector<Cell>{};
    if (plan.shard)
        for (const Cell& c : cellsOutsideShard(plan.spec, *plan.shard)) skip.push_back(c);
    return skip;
}

std::vector<Cell> cellsToMeasure(const SweepSpec& spec, const std::vector<Cell>& skip) {
    std::vector<Cell> todo;
    for (const Cell& c : cellsOf(spec))
        if (std::find(skip.begin(), skip.end(), c) == skip.end()) todo.push_back(c);
    return todo;
}

// The machine as described before the sweep, with the run's layout (graphs, shard, workers).
Environment runEnvironment(const RunPlan& plan, const std::optional<ResumeState>& resume) {
    Environment environment = app::machineEnvironment();
    environment.cudaGraphs = plan.spec.cudaGraphs;
    if (resume && !resume->previous.environment.startTime.empty())
        environment.startTime = resume->previous.environment.startTime;
    if (plan.shard) {
        environment.shardIndex = plan.shard->index;
        environment.shardCount = plan.shard->count;
    }
    environment.workers = plan.gpus;
    return environment;
}

// What a sweep left: its rows, and why it stopped early, if it did.
struct SweepOutcome {
    Run run;
    std::string failure;                  // the runner itself threw: keep what was measured
    bool interrupted = false;
    std::vector<std::string> incidents;   // workers that died
};

// One worker process per slot, each with its own journal (<out>/<worker>/run.journal); they
// read the sweep from <out>/spec.json. Names the GPUs the workers measured on.
SweepOutcome measureWithWorkers(const RunPlan& plan, const std::vector<WorkerSlot>& workers,
                                const std::vector<Cell>& todo, bool resuming, const std::string& outDir,
                                Environment& environment, std::ostream& out, std::ostream& err) {
    const SweepSpec& spec = plan.spec;
    const std::string specPath = (fs::path(outDir) / "spec.json").string();
    saveSpecFile(spec, specPath);
    const WorkerPoolConfig config{workerExecutable(), specPath, outDir, plan.gpus, resuming,
                                  plan.shard ? toString(*plan.shard) : std::string()};
    SweepOutcome outcome;
    InterruptGuard guard;
    RunProgress progress(out, err, RunProgress::stderrIsTerminal(err), plan.quiet, int(todo.size()));
    progress.setShowModels(spec.models.size() > 1);
    try {
        WorkerPoolResult result = runWorkerPool(config, workers, spec, todo, progress, g_cancel);
        outcome.run.rows = std::move(result.rows);
        outcome.run.environment.kernelOptions = std::move(result.kernelOptions);
        outcome.failure = result.failure;
        outcome.incidents = result.incidents;
        std::vector<std::string> names;
        for (const GpuIdentity& gpu : result.gpus)
            if (std::find(names.begin(), names.end(), gpu.name) == names.end()) names.push_back(gpu.name);
        if (!names.empty()) environment.gpu = joinStrings(names);
    } catch (const std::exception& e) {
        outcome.failure = e.what();
        outcome.run.rows = progress.rows();
    }
    progress.finish();
    outcome.interrupted = g_cancel.load();
    return outcome;
}

// The sweep in this process, every finished row journaled before anyone sees it.
SweepOutcome measureInProcess(const RunSetup& setup, const std::vector<Cell>& skip, int totalCells,
                              const std::string& outDir, const Environment& environment, std::ostream& out,
                              std::ostream& err) {
    const SweepSpec& spec = setup.plan.spec;
    RunJournal journal = openJournal(setup.resume, outDir, spec, environment);
    SweepOutcome outcome;
    InterruptGuard guard;
    RunProgress progress(out, err, RunProgress::stderrIsTerminal(err), setup.plan.quiet, totalCells);
    progress.setShowModels(spec.models.size() > 1);
    SweepRunner runner(setup.registry);
    if (const std::optional<GpuIdentity> gpu = app::cudaBackendGpu()) runner.setGpuIdentity(*gpu);
    runner.setWorkload(setup.workload);
    try {
        JournalingObserver journaled(progress, journal);
        outcome.run = runner.run(spec, journaled, g_cancel, skip);
    } catch (const InputError&) {
        if (progress.rows().empty()) throw;   // e.g. an unreadable checkpoint: bad input, exit 2
        outcome.failure = "the sweep stopped early";
        outcome.run.rows = progress.rows();
    } catch (const std::exception& e) {
        outcome.failure = e.what();
        outcome.run.rows = progress.rows();
    }
    progress.finish();
    outcome.interrupted = g_cancel.load();
    return outcome;
}

// The run as saved: resumed rows merged in, the spec, and the environment described before the
// sweep plus what only the sweep measured (the GEMM probe).
void completeRun(Run& run, const SweepSpec& spec, const std::optional<ResumeState>& resume,
                 const Environment& environment) {
    if (resume) run.rows = mergeRows(spec, resume->previous.rows, run.rows);
    run.spec = spec;
    const Environment measured = run.environment;
    run.environment = environment;
    run.environment.gemmPeakTflops = measured.gemmPeakTflops;
    run.environment.gemmProbeNote = measured.gemmProbeNote;
    run.environment.kernelOptions = measured.kernelOptions;   // what each backend ran with
    run.environment.endTime = isoTimeNow();
}

// The exit code, with a line saying why it is not 0.
int exitCodeOf(const std::string& command, const SweepOutcome& outcome, int failedRows, std::ostream& err) {
    const size_t rows = outcome.run.rows.size();
    if (!outcome.failure.empty()) {
        err << "bertbench-cli " << command << ": error: " << outcome.failure
            << " (the rows measured before it were saved)\n";
        return kExitFailedCell;
    }
    if (outcome.interrupted) {
        err << "bertbench-cli " << command << ": interrupted; " << rows
            << " rows were saved (status cancelled for the cell in flight)\n";
        return kExitInterrupted;
    }
    if (failedRows > 0) {
        err << "bertbench-cli " << command << ": " << failedRows << " of " << rows
            << " rows failed (see the status column)\n";
        return kExitFailedCell;
    }
    return kExitOk;
}

} // namespace

int executeRun(const std::string& command, const CommandHelp& help, const CommandArgs& args, std::ostream& out,
               std::ostream& err) {
    ParsedArgs parsed;
    if (parseOrHelp(args, help, out, parsed)) return kExitOk;
    if (!parsed.positionals.empty())
        throw UsageError("unexpected argument '" + parsed.positionals.front() + "' (options start with --)");

    RunSetup setup = setUpRun(parsed);
    RunPlan& plan = setup.plan;
    if (reportProblems(command, checkRunPlan(plan, setup.registry), err)) return kExitBadInput;
    adoptResumedLayout(plan, setup.resume);
    // A data workload: read and tokenized now (a bad file is bad input: nothing measured), its
    // identity recorded in the spec so that a resume and the worker processes check the data.
    setup.workload = loadWorkload(plan.spec);
    recordWorkloadIdentity(plan.spec, setup.workload);
    const std::vector<WorkerSlot> workers = workersFor(plan);
    for (const std::string& note : plan.notes) err << "note: " << note << "\n";
    if (plan.threads >= 0) setCpuThreads(plan.threads);
    const std::string outDir = prepareOutDir(plan.outDir);

    const std::vector<Cell> skip = cellsToSkip(plan, setup.resume);
    const std::vector<Cell> todo = cellsToMeasure(plan.spec, skip);
    if (setup.resume && !plan.quiet)
        out << "Resuming " << setup.resume->outDir << ": " << setup.resume->skip.size() << " finished cells kept\n";
    if (!plan.quiet) out << planHeader(plan, int(todo.size()), outDir, workers, setup.workload) << "\n" << std::flush;

    Environment environment = runEnvironment(plan, setup.resume);
    SweepOutcome outcome =
        workers.empty()
            ? measureInProcess(setup, skip, int(todo.size()), outDir, environment, out, err)
            : measureWithWorkers(plan, workers, todo, setup.resume.has_value(), outDir, environment, out, err);
    completeRun(outcome.run, plan.spec, setup.resume, environment);
    outcome.run.workload = setup.workload;

    const int failedRows = printRunReport(outcome.run, writeRunFiles(outcome.run, outDir), out);
    for (const std::string& incident : outcome.incidents)
        err << "bertbench-cli " << command << ": " << incident << "\n";
    return exitCodeOf(command, outcome, failedRows, err);
}

int runCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    // `run --scenario offline ...` is the offline command (OfflineCommand.cpp) under run's name.
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--scenario=offline" || (args[i] == "--scenario" && i + 1 < args.size() && args[i + 1] == "offline"))
            return offlineCommand(args, out, err);
    return guardedCommand("run", err, [&] { return executeRun("run", runHelp(), args, out, err); });
}

} // namespace bertbench::cli

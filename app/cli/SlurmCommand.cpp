// `slurm SPEC --array N --out DIR`: a cluster run of a sweep as a SLURM job array of N shards
// plus a merge job (SlurmScripts.h). Writes the scripts and prints how to submit them; submits
// nothing itself.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/SlurmScripts.h"
#include "app/cli/WorkerPool.h"
#include "core/model/ModelConfig.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SpecJson.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

const CommandHelp& slurmHelp() {
    static const CommandHelp help{
        "bertbench-cli slurm SPEC --array N --out DIR [options]",
        "Write SLURM scripts that measure the sweep in SPEC (a spec file) as a job array of N\n"
        "tasks, task i running `run --spec SPEC --shard i/N --out DIR/shard-i`, and a merge job\n"
        "that waits for all of them (--dependency=afterok) and writes DIR/merged. Nothing is\n"
        "submitted: run the printed command (sh DIR/slurm/submit.sh).",
        {
            {"--array", "N", "number of array tasks (shards), 1..the sweep's cell count"},
            {"--out", "DIR", "the run's folder on a file system every node sees"},
            {"--partition", "P", "partition of both jobs (default: the cluster's)"},
            {"--gres", "G", "generic resources of each shard task, e.g. gpu:1"},
            {"--time", "T", "time limit of each shard task (minutes, H:MM:SS, D-HH:MM, ...)"},
            {"--cpus-per-task", "N", "cores per shard task; also its CPU backend --threads"},
            {"--cli", "PATH", "bertbench-cli on the nodes (default: this one)"},
        },
        "Files: DIR/slurm/array.sbatch, merge.sbatch, submit.sh; task logs go to\n"
        "DIR/slurm/shard-<i>.out and merge.out. A requeued task resumes its shard.\n"
        "\n"
        "Example:\n"
        "  bertbench-cli slurm sweep.json --array 8 --gres gpu:1 --time 2:00:00 --out /shared/runs/big\n"
        "  sh /shared/runs/big/slurm/submit.sh\n"};
    return help;
}

// Values that go into #SBATCH lines: letters, digits and a few separators only.
void checkToken(const std::string& flag, const std::string& value, const std::string& allowed) {
    if (value.empty()) throw UsageError(flag + ": the value is empty");
    for (char c : value)
        if (!std::isalnum(static_cast<unsigned char>(c)) && allowed.find(c) == std::string::npos)
            throw UsageError(flag + ": '" + value + "' has a character other than letters, digits and " + allowed);
}

void writeScript(const fs::path& path, const std::string& text) {
    writeFileAtomic(path.string(), text);
    if (chmod(path.c_str(), 0755) != 0) throw InputError("cannot make " + path.string() + " executable");
}

} // namespace

int slurmCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("slurm", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, slurmHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.size() != 1)
            throw UsageError(parsed.positionals.empty() ? "name the sweep's spec file (SPEC)"
                                                        : "one spec file only (got " +
                                                              std::to_string(parsed.positionals.size()) + ")");
        if (!parsed.has("--array")) throw UsageError("--array N is required (the number of shards)");
        if (!parsed.has("--out")) throw UsageError("--out DIR is required");

        SlurmJob job;
        std::error_code ec;
        job.spec = fs::absolute(parsed.positionals.front(), ec).lexically_normal().string();
        const SweepSpec spec = loadSpecFile(job.spec);
        // The shortest preset of the axis bounds the lengths (checkpoint folders are read by the jobs).
        int maxPositions = 0;
        for (const std::string& m : spec.models)
            if (isPreset(m)) {
                const int len = presetConfig(m).maxSequenceLength();
                maxPositions = maxPositions == 0 ? len : std::min(maxPositions, len);
            }
        // Backends are not checked here: the login node may lack the GPUs the nodes have.
        const std::vector<SpecProblem> problems = validateSpec(spec, maxPositions, {});
        if (!problems.empty()) {
            std::string text = "the spec file is not a valid sweep:";
            for (const SpecProblem& p : problems) text += "\n  " + p.field + ": " + p.message;
            throw InputError(text);
        }
        const int cells = int(cellsOf(spec).size());
        job.tasks = int(parseInteger("--array", *parsed.value("--array"), 1, 100000));
        if (job.tasks > cells)
            throw UsageError("--array: " + std::to_string(job.tasks) + " tasks for a sweep of " +
                             std::to_string(cells) + " cells would leave tasks without a cell; at most " +
                             std::to_string(cells));
        if (parsed.has("--partition")) {
            job.partition = *parsed.value("--partition");
            checkToken("--partition", job.partition, "_-.,");
        }
        if (parsed.has("--gres")) {
            job.gres = *parsed.value("--gres");
            checkToken("--gres", job.gres, "_-.,:=");
        }
        if (parsed.has("--time")) {
            job.time = *parsed.value("--time");
            if (!isSlurmTime(job.time))
                throw UsageError("--time: '" + job.time +
                                 "' is not a SLURM time (minutes, M:SS, H:MM:SS, D-H, D-H:MM, D-H:MM:SS)");
        }
        if (parsed.has("--cpus-per-task"))
            job.cpusPerTask = int(parseInteger("--cpus-per-task", *parsed.value("--cpus-per-task"), 1, 4096));
        job.cli = parsed.has("--cli") ? *parsed.value("--cli") : workerExecutable();
        job.cli = fs::absolute(job.cli, ec).lexically_normal().string();
        if (access(job.cli.c_str(), X_OK) != 0) throw InputError("--cli: '" + job.cli + "' is not an executable file");

        job.outDir = fs::absolute(*parsed.value("--out"), ec).lexically_normal().string();
        const fs::path scripts = fs::path(job.outDir) / "slurm";
        fs::create_directories(scripts, ec);
        if (!fs::is_directory(scripts, ec)) throw InputError("--out: cannot create folder '" + scripts.string() + "'");

        const SlurmScripts text = makeSlurmScripts(job);
        writeScript(scripts / "array.sbatch", text.array);
        writeScript(scripts / "merge.sbatch", text.merge);
        writeScript(scripts / "submit.sh", text.submit);

        out << "SLURM job array of " << job.tasks << " shards (" << cells << " cells, about "
            << (cells + job.tasks - 1) / job.tasks << " each) + a merge job:\n"
            << "  " << (scripts / "array.sbatch").string() << "\n"
            << "  " << (scripts / "merge.sbatch").string() << "\n"
            << "  " << (scripts / "submit.sh").string() << "\n"
            << "Submit with:\n"
            << "  sh " << shellQuote((scripts / "submit.sh").string()) << "\n"
            << "which runs:\n"
            << "  sbatch --parsable " << shellQuote((scripts / "array.sbatch").string()) << "\n"
            << "  sbatch --parsable --dependency=afterok:<array job id> "
            << shellQuote((scripts / "merge.sbatch").string()) << "\n"
            << "The merged run lands in " << (fs::path(job.outDir) / "merged").string() << "\n";
        return kExitOk;
    });
}

} // namespace bertbench::cli

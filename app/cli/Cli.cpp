// The bertbench-cli command table: dispatch, the overview help, --version.
#include <functional>
#include <ostream>

#ifdef BERTBENCH_HAVE_GUI
#include "app/cli/PlotCommand.h"
#endif
#include "app/cli/CliSupport.h"
#include "app/cli/WorkerProtocol.h"

namespace bertbench::cli {

namespace {

using CommandFn = std::function<int(const CommandArgs&, std::ostream&, std::ostream&)>;

struct CommandEntry {
    const char* name;
    const char* summary;
    CommandFn run;
};

// The GUI build adds `plot` here (it renders the GUI's figures offscreen).
const std::vector<CommandEntry>& commands() {
    static const std::vector<CommandEntry> table{
        {"run", "measure a sweep: baseline vs candidates per (task, batch, seq, pad) cell", runCommand},
        {"demo", "the default demo sweep (CPU, tiny model, 12 cells, under a minute)", demoCommand},
        {"verify", "check every GPU backend against the CPU fp32 reference", verifyCommand},
        {"list-backends", "the backends this build offers on this machine", listBackendsCommand},
        {"list-models", "the model presets (random weights at real shapes)", listModelsCommand},
        {"info", "this machine: CPU, BLAS threads, GPUs", infoCommand},
        {"summary", "a readable table of run files (run.json, native CSV, seed CSV)", summaryCommand},
        {"convert", "convert a run between native JSON, native CSV and seed CSVs", convertCommand},
        {"offline", "MLPerf-shaped offline throughput: a lengths file sorted into batches, the batch size searched",
         offlineCommand},
        {"workload", "describe a workload's lengths (token counts, or texts + a checkpoint's tokenizer)", workloadCommand},
        {"merge", "one run from the shards of a sweep (run --shard, slurm)", mergeCommand},
        {"slurm", "write sbatch scripts: a job array of shards plus a merge job", slurmCommand},
#ifdef BERTBENCH_HAVE_GUI
        {"plot", "render a run's heatmaps and report figure as PNG (headless)", plotCommand},
#endif
    };
    return table;
}

std::string overview() {
    std::string s =
        "BertBench " BERTBENCH_VERSION " - how BERT inference speed and memory change with the attention\n"
        "implementation, the batch size, the sequence length and the share of padding.\n"
        "\n"
        "Usage: bertbench-cli <command> [options]\n"
        "       bertbench-cli <command> --help\n"
        "\n"
        "Commands:\n";
    for (const CommandEntry& c : commands()) {
        std::string name = c.name;
        s += "  " + name + std::string(name.size() < 15 ? 15 - name.size() : 1, ' ') + c.summary + "\n";
    }
    s += "\n"
         "Options:\n"
         "  -h, --help     show this help (or a command's: bertbench-cli run --help)\n"
         "  --version      print the version\n"
         "\n"
         "Exit codes: 0 ok, 1 a failed cell or check, 2 bad input, 130 interrupted.\n";
    return s;
}

} // namespace

int runCli(const CommandArgs& argv, std::ostream& out, std::ostream& err) {
    if (argv.empty()) {
        err << overview();
        return kExitBadInput;
    }
    const std::string& first = argv.front();
    if (first == "-h" || first == "--help") {
        out << overview();
        return kExitOk;
    }
    if (first == "--version" || first == "-V") {
        out << "bertbench-cli " << BERTBENCH_VERSION << "\n";
        return kExitOk;
    }
    const CommandArgs rest(argv.begin() + 1, argv.end());
    if (first == "help") {
        if (rest.empty()) {
            out << overview();
            return kExitOk;
        }
        return runCli({rest.front(), "--help"}, out, err);
    }
    for (const CommandEntry& c : commands())
        if (first == c.name) return c.run(rest, out, err);
    // Not in the table (nor in the help): only `run --gpus` starts workers.
    if (first == worker::kCommand) return workerCommand(rest, out, err);

    std::string message = "bertbench-cli: unknown command '" + first + "'";
    if (!first.empty() && first[0] == '-') message = "bertbench-cli: '" + first + "' comes after a command";
    err << message << "\n\n" << overview();
    return kExitBadInput;
}

} // namespace bertbench::cli

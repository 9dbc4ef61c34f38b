// `summary FILE...`: a readable table of any run file BertBench reads.
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/MeasurementProfileTables.h"
#include "app/cli/RunInput.h"
#include "app/cli/RunSummary.h"

namespace bertbench::cli {

namespace {

const CommandHelp& summaryHelp() {
    static const CommandHelp help{
        "bertbench-cli summary [--rows] FILE|DIR...",
        "Summarise runs: per task x candidate the number of cells, failed rows, geometric-mean\n"
        "speedup and memory saved, the best and worst cell, and the largest output error.\n"
        "FILE is a native run (run.json), a native CSV (results.csv) or one of the old\n"
        "script's CSVs (log_Bert_<attention>_<task>.csv). DIR is a `run --out` folder (its\n"
        "run.json) or a folder of CSVs, merged into one run.",
        {{"--rows", "", "also print every row"},
         {"--breakdown", "", "also print the per-operation breakdown of every backend in every cell"}},
        "Speedup % = (t_baseline / t_candidate - 1) x 100; its geometric mean is taken over\n"
        "the ratios t_baseline / t_candidate of the rows with status ok.\n"
        "\n"
        "Runs measured with efficiency and energy (run.json version 2) add a table per backend\n"
        "per cell: TFLOP/s = model FLOPs on real tokens / median; % peak = that over the GEMM\n"
        "probe's attainable rate on this GPU; tokens/s counts real tokens; J/1k tok = NVML energy\n"
        "over the timed forwards per 1,000 real tokens; energy saved % = (J_baseline / J_candidate\n"
        "- 1) x 100; throttled = the SM clock fell > 10% during timing.\n"
        "\n"
        "Example:\n"
        "  bertbench-cli summary bertbench-runs/2024-05-01_10-00-00\n"
        "  bertbench-cli summary --rows log_Bert_sdpa_mlm.csv\n"};
    return help;
}

} // namespace

int summaryCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("summary", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, summaryHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.empty()) throw UsageError("name at least one run file or folder");
        bool first = true;
        for (const std::string& path : parsed.positionals) {
            const Run run = loadRunInput(path);
            if (!first) out << "\n";
            first = false;
            out << "== " << path << " ==\n" << runHeader(run) << "\n";
            if (run.rows.empty()) {
                out << "(no rows)\n";
                continue;
            }
            out << summaryTable(run);
            if (const std::string eff = efficiencyTable(run); !eff.empty())
                out << "\nEfficiency and energy:\n" << gemmProbeLine(run) << eff;
            if (parsed.has("--breakdown")) {
                const std::string b = breakdownTable(run);
                out << "\nPer-operation breakdown:\n" << (b.empty() ? "(not recorded in this file)\n" : b);
            }
            if (parsed.has("--rows")) out << "\n" << rowsTable(run);
        }
        return kExitOk;
    });
}

} // namespace bertbench::cli

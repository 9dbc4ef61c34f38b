// `summary FILE...`: a readable table of any run file BertBench reads.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

#include "app/cli/CliSupport.h"
#include "app/cli/MeasurementProfileTables.h"
#include "app/cli/RunInput.h"
#include "app/cli/RunSummary.h"
#include "app/cli/WorkloadTables.h"
#include "core/sweep/KernelOptionDifferences.h"
#include "core/sweep/OfflineJson.h"
#include "core/sweep/OfflineScenario.h"

namespace bertbench::cli {

namespace {

const CommandHelp& summaryHelp() {
    static const CommandHelp help{
        "bertbench-cli summary [--rows] FILE|DIR...",
        "Summarise runs: per task x candidate the number of cells, failed rows, geometric-mean\n"
        "speedup and memory saved, the best and worst cell, and the largest output error.\n"
        "FILE is a native run (run.json), a native CSV (results.csv) or one of the old\n"
        "script's CSVs (log_Bert_<attention>_<task>.csv). DIR is a `run --out` folder (its\n"
        "run.json) or a folder of CSVs, merged into one run. An offline.json (`offline --out`,\n"
        "or its folder) prints its table: every batch size tried and each backend's best.",
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
        "Under each run's header: its kernel options (what every backend ran with: threads, BLAS,\n"
        "attention kernel, GEMM path, CUDA graphs, ...). Given several runs, every option whose\n"
        "value differs is named with each run's value (\"kernel options differ: ...\").\n"
        "\n"
        "Example:\n"
        "  bertbench-cli summary bertbench-runs/2024-05-01_10-00-00\n"
        "  bertbench-cli summary --rows log_Bert_sdpa_mlm.csv\n"};
    return help;
}

// "Kernel options:" and one line per backend, or why there are none.
std::string kernelOptionsText(const Run& run) {
    if (run.environment.kernelOptions.empty()) return "Kernel options: not recorded in this file\n";
    size_t width = 0;
    for (const auto& [backend, options] : run.environment.kernelOptions) width = std::max(width, backend.size());
    std::string text = "Kernel options:\n";
    for (const auto& [backend, options] : run.environment.kernelOptions)
        text += "  " + backend + std::string(width - backend.size() + 2, ' ') + kernelOptionsLine(options) + "\n";
    return text;
}

// "kernel options differ: cpu:eager threads: 1 (runs/a) vs 2 (runs/b)", one line per option, so
// that runs made with different kernel paths are not compared as if they were alike.
std::string differencesText(const std::vector<std::string>& paths, const std::vector<Run>& runs) {
    std::vector<const Environment*> envs;
    size_t recorded = 0;
    for (const Run& r : runs) {
        envs.push_back(&r.environment);
        recorded += r.environment.kernelOptions.empty() ? 0 : 1;
    }
    if (recorded < 2) return {};
    const std::vector<KernelOptionDifference> diffs = kernelOptionDifferences(envs);
    if (diffs.empty()) return "Kernel options: the same in every run that recorded them\n";
    std::string text;
    for (const KernelOptionDifference& d : diffs) {
        text += "kernel options differ: " + d.backend + " " + d.option + ": ";
        for (size_t i = 0; i < d.values.size(); ++i)
            text += (i ? " vs " : "") + d.values[i].second + " (" + paths[d.values[i].first] + ")";
        text += "\n";
    }
    return text;
}

// An offline.json, or a folder with one and no run.json (`offline --out DIR`), read; else none.
std::optional<OfflineResult> offlineResultOf(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) return readIfOfflineFile(path);
    const std::filesystem::path dir(path);
    if (std::filesystem::exists(dir / "run.json", ec)) return std::nullopt;
    return readIfOfflineFile((dir / "offline.json").string());
}

} // namespace

int summaryCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("summary", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, summaryHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.empty()) throw UsageError("name at least one run file or folder");
        std::vector<Run> runs;
        std::vector<std::string> runPaths;
        bool first = true;
        for (const std::string& path : parsed.positionals) {
            if (const std::optional<OfflineResult> offline = offlineResultOf(path)) {
                out << (first ? "" : "\n") << "== " << path << " ==\n" << offlineTable(*offline);
                first = false;
                continue;
            }
            runs.push_back(loadRunInput(path));
            runPaths.push_back(path);
            const Run& run = runs.back();
            if (!first) out << "\n";
            first = false;
            out << "== " << path << " ==\n" << runHeader(run) << kernelOptionsText(run) << "\n";
            if (run.rows.empty()) {
                out << "(no rows)\n";
                continue;
            }
            out << summaryTable(run);
            if (const std::string eff = efficiencyTable(run); !eff.empty())
                out << "\nEfficiency and energy:\n" << gemmProbeLine(run) << eff;
            if (const std::string w = workloadTable(run); !w.empty()) {
                out << "\nYour data (" << describeWorkloadLine(run) << "):\n" << w;
                if (const std::string cmp = batchingComparisonTable(run); !cmp.empty())
                    out << "\nRandom vs sorted batches (the same rows, batched two ways):\n" << cmp;
            }
            if (parsed.has("--breakdown")) {
                const std::string b = breakdownTable(run);
                out << "\nPer-operation breakdown:\n" << (b.empty() ? "(not recorded in this file)\n" : b);
            }
            if (parsed.has("--rows")) out << "\n" << rowsTable(run);
        }
        if (runs.size() > 1)
            if (const std::string diffs = differencesText(runPaths, runs); !diffs.empty()) out << "\n" << diffs;
        return kExitOk;
    });
}

} // namespace bertbench::cli

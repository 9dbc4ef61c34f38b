// `merge RUN... --out DIR [--prefer newest]`: one run from the shards of a sweep (cluster jobs
// run with --shard i/n, or runs that measured parts of the same sweep). Rows are kept exactly as
// measured; the specs must be the same sweep, and a cell may come from one input only unless
// --prefer newest says which to keep.
#include <filesystem>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/RunOutput.h"
#include "core/results/MergeRuns.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

const CommandHelp& mergeHelp() {
    static const CommandHelp help{
        "bertbench-cli merge RUN... --out DIR [--prefer newest]",
        "Merge runs of one sweep into one run: the shards of a cluster job (run --shard i/n,\n"
        "bertbench-cli slurm), or parts measured on different machines. RUN is a run folder\n"
        "(its run.json, else its run.journal), a run.json or a run.journal.",
        {
            {"--out", "DIR", "folder for the merged run.json, results.csv and seed CSVs"},
            {"--prefer", "newest",
             "when two inputs measured the same cell, keep the row of the one that\nended last (default: refuse)"},
            {"--quiet", "", "print only the file paths", {"-q"}},
        },
        "The inputs must be the same sweep: every spec field (model, backends, axes, num_batches,\n"
        "seed, ...) equal; the first that differs is named with both files. Shards of different\n"
        "splits (0/3 beside 1/2) are refused. Cells no input measured are listed as missing.\n"
        "\n"
        "Exit codes: 0 ok, 1 some merged row is not ok (oom/error/cancelled), 2 bad input.\n"
        "\n"
        "Examples:\n"
        "  bertbench-cli merge runs/shard-0 runs/shard-1 runs/shard-2 --out runs/merged\n"
        "  bertbench-cli merge runs/shard-* runs/shard-1-again --prefer newest --out runs/merged\n"};
    return help;
}

// A BertBench run with its spec and environment: CSVs lack both, so they cannot be checked.
SourcedRun loadMergeInput(const std::string& path) {
    std::error_code ec;
    fs::path file = path;
    if (fs::is_directory(file, ec)) {
        if (fs::is_regular_file(file / "run.json", ec))
            file /= "run.json";
        else if (fs::is_regular_file(file / "run.journal", ec))
            file /= "run.journal";
        else
            throw InputError("'" + path + "' holds neither run.json nor run.journal");
    }
    if (!fs::exists(file, ec)) throw InputError("'" + path + "' does not exist");
    SourcedRun in;
    in.source = file.string();
    const std::string text = readTextFile(in.source);
    if (looksLikeJournal(text)) {
        in.run = readJournal(in.source).run;
        return in;
    }
    if (detectFormat(text) != RunFileFormat::NativeJson)
        throw InputError(in.source + " is a CSV; merge needs BertBench runs (run.json or run.journal), whose spec "
                         "shows that they belong to one sweep");
    in.run = runFromJson(text, in.source);
    return in;
}

std::string cellText(const Cell& c) {
    return toString(c.task) + " batch " + std::to_string(c.batchSize) + ", seq " + std::to_string(c.seqLen) +
           ", pad " + fixed(c.pad, 2);
}

} // namespace

int mergeCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("merge", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, mergeHelp(), out, parsed)) return kExitOk;
        if (parsed.positionals.empty()) throw UsageError("name the runs to merge (folders, run.json or run.journal)");
        if (!parsed.has("--out")) throw UsageError("--out DIR is required (where the merged run goes)");
        DuplicatePolicy policy = DuplicatePolicy::Reject;
        if (parsed.has("--prefer")) {
            if (*parsed.value("--prefer") != "newest")
                throw UsageError("--prefer: '" + *parsed.value("--prefer") + "' is not newest (the only choice)");
            policy = DuplicatePolicy::PreferNewest;
        }
        const std::string outDir = *parsed.value("--out");
        if (outDir.empty()) throw UsageError("--out: the folder name is empty");

        std::vector<SourcedRun> inputs;
        for (const std::string& path : parsed.positionals) inputs.push_back(loadMergeInput(path));
        const MergedRuns merged = bertbench::mergeRuns(inputs, policy);

        std::error_code ec;
        fs::create_directories(outDir, ec);
        if (!fs::is_directory(outDir, ec)) throw InputError("--out: cannot create folder '" + outDir + "'");
        const RunFilePaths files = writeRunFiles(merged.run, outDir);

        const size_t cells = cellsOf(merged.run.spec).size();
        if (parsed.has("--quiet")) {
            out << files.runJson << "\n";
        } else {
            out << "Merged " << inputs.size() << " runs: " << merged.run.rows.size() << " rows, "
                << (cells - merged.missing.size()) << " of " << cells << " cells";
            if (merged.duplicatesResolved > 0)
                out << "; " << merged.duplicatesResolved << " rows were in more than one input, the newest kept";
            out << "\n";
            printRunReport(merged.run, files, out);
        }
        if (!merged.missing.empty()) {
            err << "bertbench-cli merge: warning: " << merged.missing.size() << " of " << cells
                << " cells have no row (a shard missing or unfinished?), e.g. " << cellText(merged.missing.front())
                << "\n";
        }
        for (const ResultRow& row : merged.run.rows)
            if (row.status != RowStatus::Ok) return kExitFailedCell;
        return kExitOk;
    });
}

} // namespace bertbench::cli

// `convert IN --to native|csv|seed OUT`: between the run file formats.
#include <filesystem>
#include <ostream>

#include "app/cli/CliSupport.h"
#include "app/cli/RunInput.h"
#include "core/results/RunFiles.h"

namespace bertbench::cli {

namespace {

const CommandHelp& convertHelp() {
    static const CommandHelp help{
        "bertbench-cli convert IN --to native|csv|seed OUT",
        "Convert a run between formats. IN is anything `summary` reads (run.json, native CSV,\n"
        "a seed CSV, a run folder or a folder of CSVs).",
        {{"--to", "FORMAT",
          "native  OUT is a native run file (JSON: spec, machine, rows)\n"
          "csv     OUT is a native CSV (one row per cell x candidate)\n"
          "seed    OUT is a folder; one CSV per task x candidate in the old\n"
          "        script's format (log_Bert_<attention>_<task>.csv)"}},
        "Examples:\n"
        "  bertbench-cli convert tests/fixtures/seed-csv --to native seed-run.json\n"
        "  bertbench-cli convert bertbench-runs/2024-05-01_10-00-00 --to seed old-format/\n"};
    return help;
}

} // namespace

int convertCommand(const CommandArgs& args, std::ostream& out, std::ostream& err) {
    return guardedCommand("convert", err, [&] {
        ParsedArgs parsed;
        if (parseOrHelp(args, convertHelp(), out, parsed)) return kExitOk;
        if (!parsed.has("--to")) throw UsageError("--to is required: native, csv or seed");
        const std::string to = *parsed.value("--to");
        if (to != "native" && to != "csv" && to != "seed")
            throw UsageError("--to: '" + to + "' is not one of native, csv, seed");
        if (parsed.positionals.size() != 2)
            throw UsageError("expected IN and OUT, got " + std::to_string(parsed.positionals.size()) + " arguments");
        const std::string& in = parsed.positionals[0];
        const std::string& target = parsed.positionals[1];

        const Run run = loadRunInput(in);
        if (to == "native") {
            writeRunJson(run, target);
            out << target << "\n";
        } else if (to == "csv") {
            writeNativeCsv(run, target);
            out << target << "\n";
        } else {
            std::error_code ec;
            std::filesystem::create_directories(target, ec);
            if (ec || !std::filesystem::is_directory(target))
                throw InputError("cannot create folder '" + target + "'" + (ec ? ": " + ec.message() : ""));
            for (const std::string& path : writeSeedCsvs(run, target)) out << path << "\n";
        }
        err << "converted " << run.rows.size() << " rows from " << in << "\n";
        return kExitOk;
    });
}

} // namespace bertbench::cli

#include "app/cli/ResumeState.h"

#include <algorithm>
#include <filesystem>

#include "core/results/MergeRuns.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

// The journals of a multi-worker run's workers (<run>/<worker>/run.journal), sorted by folder.
std::vector<std::string> workerJournals(const fs::path& runDir) {
    std::vector<std::string> journals;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(runDir, ec)) {
        const fs::path journal = entry.path() / "run.journal";
        if (entry.is_directory(ec) && fs::is_regular_file(journal, ec)) journals.push_back(journal.string());
    }
    std::sort(journals.begin(), journals.end());
    return journals;
}

// A worker killed mid-cell leaves some of that cell's rows; the cell is measured again in full
// elsewhere, so only cells whose every candidate finished in this journal are kept (a cell's
// rows never mix two GPUs).
std::vector<ResultRow> completeCellsOnly(const Run& run) {
    const std::vector<Cell> complete = finishedCells(run);
    std::vector<ResultRow> rows;
    for (const ResultRow& r : mergeRows(run.spec, run.rows))
        if (std::find(complete.begin(), complete.end(), r.cell) != complete.end()) rows.push_back(r);
    return rows;
}

} // namespace

ResumeState loadResumeState(const std::string& path) {
    std::error_code ec;
    fs::path file = path;
    const bool folderGiven = fs::is_directory(file, ec);
    if (folderGiven) {
        // The journal holds every row written before a kill; run.json only what a clean exit saved.
        file = fs::exists(file / "run.journal", ec) ? file / "run.journal" : file / "run.json";
    }
    const fs::path runDir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
    const std::vector<std::string> workers = workerJournals(runDir);
    if (!fs::exists(file, ec) && (workers.empty() || !folderGiven))
        throw InputError("--resume: '" + file.string() + "' does not exist");

    ResumeState state;
    state.outDir = runDir.string();
    state.journalPath = (runDir / "run.journal").string();
    if (fs::exists(file, ec)) {
        const std::string text = readTextFile(file.string());
        if (looksLikeJournal(text)) {
            state.previous = readJournal(file.string()).run;
            state.journalPath = file.string();
        } else {
            state.previous = readRunFile(file.string());
            if (state.previous.environment.source.rfind("seed-csv", 0) == 0)
                throw InputError("--resume: '" + file.string() +
                                 "' is an old script's CSV; only BertBench runs can be resumed");
        }
    }

    // A multi-worker run (--gpus): every worker's journal holds rows the parent may not have saved.
    bool haveRun = fs::exists(file, ec);
    std::vector<ResultRow> rows;
    std::vector<std::string> used;
    for (const std::string& journal : workers) {
        const Run worker = readJournal(journal).run;
        if (worker.environment.workers.empty()) continue;   // a run folder of its own, not a worker's
        used.push_back(journal);
        if (!haveRun) {
            state.previous.spec = worker.spec;
            state.previous.environment = worker.environment;
            haveRun = true;
        } else if (const SpecDifference diff = specDifference(state.previous.spec, worker.spec); !diff.field.empty()) {
            throw InputError("--resume: " + journal + " belongs to a different sweep than " + file.string() +
                             " (spec field " + diff.field + " is " + diff.b + " there, " + diff.a + " here)");
        }
        const std::vector<ResultRow> complete = completeCellsOnly(worker);
        rows.insert(rows.end(), complete.begin(), complete.end());
    }
    if (!haveRun) throw InputError("--resume: '" + file.string() + "' does not exist");
    if (!used.empty()) {
        // The run file's rows last: where a journal and the parent's choice differ (a cell a dying
        // worker finished but could not report, measured again elsewhere), the parent's wins.
        rows.insert(rows.end(), state.previous.rows.begin(), state.previous.rows.end());
        state.previous.rows = mergeRows(state.previous.spec, rows);
        state.workerJournals = used;
    }
    state.skip = finishedCells(state.previous);
    return state;
}

} // namespace bertbench::cli

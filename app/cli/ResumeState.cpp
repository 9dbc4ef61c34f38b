#include "app/cli/ResumeState.h"

#include <filesystem>

#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

ResumeState loadResumeState(const std::string& path) {
    std::error_code ec;
    fs::path file = path;
    if (fs::is_directory(file, ec)) {
        // The journal holds every row written before a kill; run.json only what a clean exit saved.
        file = fs::exists(file / "run.journal", ec) ? file / "run.journal" : file / "run.json";
    }
    if (!fs::exists(file, ec)) throw InputError("--resume: '" + file.string() + "' does not exist");

    ResumeState state;
    state.outDir = file.parent_path().empty() ? "." : file.parent_path().string();
    state.journalPath = (fs::path(state.outDir) / "run.journal").string();
    const std::string text = readTextFile(file.string());
    if (looksLikeJournal(text)) {
        state.previous = readJournal(file.string()).run;
        state.journalPath = file.string();
    } else {
        state.previous = readRunFile(file.string());
        if (state.previous.environment.source.rfind("seed-csv", 0) == 0)
            throw InputError("--resume: '" + file.string() + "' is an old script's CSV; only BertBench runs can be resumed");
    }
    state.skip = finishedCells(state.previous);
    return state;
}

} // namespace bertbench::cli

#pragma once
// `run --resume FILE|DIR`: what an interrupted run already holds and where it continues.
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::cli {

struct ResumeState {
    Run previous;              // spec, environment and the rows measured so far
    std::string outDir;        // the run's folder: files are rewritten there
    std::string journalPath;   // the journal to append to (may not exist yet for a run.json)
    std::vector<Cell> skip;    // cells already finished (ok, oom or error)
    std::vector<std::string> workerJournals;   // <run>/<worker>/run.journal of a --gpus run
};

// Accepts the run's folder, its run.journal, or its run.json. A multi-worker run's folder
// (run --gpus) may hold only its workers' journals (<run>/<worker>/run.journal): their finished
// cells are added to what the run file holds. Throws InputError.
ResumeState loadResumeState(const std::string& path);

} // namespace bertbench::cli

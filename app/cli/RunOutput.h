#pragma once
// The files every finished (or stopped) run leaves in its folder, and the report printed after:
// shared by `run`, the multi-worker `run --gpus` and `merge`.
#include <iosfwd>
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::cli {

struct RunFilePaths {
    std::string runJson;
    std::string nativeCsv;
    std::vector<std::string> seedCsvs;
};

// run.json, results.csv and the seed CSVs in `dir` (atomic writes). Throws InputError.
RunFilePaths writeRunFiles(const Run& run, const std::string& dir);
// "Summary (N rows, M not ok)" with the summary table, then the file paths. Returns M.
int printRunReport(const Run& run, const RunFilePaths& files, std::ostream& out);

} // namespace bertbench::cli

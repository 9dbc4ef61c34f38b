#pragma once
// Opening what `summary` and `convert` are given: a run file in any supported format
// (run.json, native CSV, seed CSV), or a folder: the run.json inside it (a `run --out`
// folder), else every .json/.csv file in it merged into one run (a folder of seed CSVs).
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::cli {

// Throws InputError (FileFormatError) naming the file.
Run loadRunInput(const std::string& path);

// One run from several: rows concatenated in order; the spec's tasks, candidates and axes
// are the union (axes sorted); spec scalars and environment come from the first run.
Run mergeRuns(const std::vector<Run>& runs);

} // namespace bertbench::cli

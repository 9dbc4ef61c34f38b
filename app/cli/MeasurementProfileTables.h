#pragma once
// A run's efficiency, energy and breakdown as text: per measured (cell, backend) the efficiency
// and energy figures, and the per-operation breakdown against the timed median. Used by `summary` and at the end of `run`.
#include <string>

#include "core/sweep/Run.h"

namespace bertbench::cli {

// TFLOP/s, % of the GEMM probe's peak, tokens/s, J/1k tokens, mean W, SM clock, throttled,
// energy saved % — one line per backend per cell (the baseline once per cell). Empty when the
// run recorded none of it (version-1 files, old CSVs).
std::string efficiencyTable(const Run& run);
// ms per category, their sum, sum / median and the rest ("other": launch overhead and gaps).
// Empty when no measurement has a breakdown.
std::string breakdownTable(const Run& run);
// "GEMM probe: 702.3 TFLOP/s attainable (...)", or why there is none; empty for old files.
std::string gemmProbeLine(const Run& run);

} // namespace bertbench::cli

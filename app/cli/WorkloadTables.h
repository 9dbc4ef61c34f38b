#pragma once
// The report of a data workload's run (run's and summary's output): per cell and backend the pad
// the data gave, the rows truncated, time per batch and tokens/s; then random against sorted
// batching per backend. Empty for a synthetic run.
#include <string>

#include "core/sweep/Run.h"

namespace bertbench::cli {

std::string workloadTable(const Run& run);
// "1,000 examples of lengths.txt (lengths, 4,123 bytes, SHA-256 1a2b…)", or the spec's file name
// when the run file recorded no workload (a native CSV).
std::string describeWorkloadLine(const Run& run);
// random vs sorted, per (model, task, batch, seq) and backend: tokens/s under each and the gain.
// Empty unless the run has both policies.
std::string batchingComparisonTable(const Run& run);

} // namespace bertbench::cli

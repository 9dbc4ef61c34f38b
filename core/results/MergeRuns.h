#pragma once
// One run from several runs of the same sweep: the shards of a cluster job (--shard i/n), the
// workers of a multi-GPU run, or a shard measured twice. Rows are kept exactly as measured;
// only which row represents a (cell, candidate) is decided here.
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench {

struct SourcedRun {
    std::string source;   // the file it came from, for messages
    Run run;
};

enum class DuplicatePolicy {
    Reject,         // two inputs with a finished row for the same (cell, candidate): an error
    PreferNewest,   // keep the row of the input that ended last (end_time, else start_time)
};

struct MergedRuns {
    Run run;                      // rows in sweep (cellsOf) order
    int duplicatesResolved = 0;   // (cell, candidate) pairs that more than one input measured
    std::vector<Cell> missing;    // cells with no row for some candidate
};

// The first spec field (by its JSON key) whose values differ, with both values as JSON text;
// an empty field when the specs are the same sweep.
struct SpecDifference {
    std::string field;   // "num_batches", "model", ...
    std::string a, b;    // "3", "\"tiny\""
};
SpecDifference specDifference(const SweepSpec& a, const SweepSpec& b);

// Throws InputError when the inputs measure different sweeps (naming the field and both files),
// come from different splits (shard 0/3 beside shard 1/2), or, with Reject, when a (cell,
// candidate) has a finished row in two inputs (naming the cell and both files). A cancelled
// row never counts as a duplicate: a finished row of the same pair replaces it.
MergedRuns mergeRuns(const std::vector<SourcedRun>& inputs, DuplicatePolicy policy);

} // namespace bertbench

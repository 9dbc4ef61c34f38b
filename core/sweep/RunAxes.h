#pragma once
// The axes of a run: which models, tasks, candidates, batch sizes, seq lens and pads it covers. One
// derivation for every reader (a CSV's rebuilt spec, the GUI's heatmaps and figures), so a run
// read from a file and the same run on screen list its pads in the same order.
#include <cstdint>
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench {

struct RunAxes {
    std::vector<std::string> models;       // the spec's order, then any only the rows have ("" = not recorded)
    std::vector<Task> tasks;               // the spec's order, then any only the rows have
    std::vector<std::string> candidates;   // likewise
    std::vector<int> batchSizes;           // ascending
    std::vector<int> seqLens;              // ascending
    std::vector<double> pads;              // ascending, NaN last; one per padKey
    // The batching policies: {None} for a synthetic run; a data workload's policies (its pads are
    // {0}: the policy is the y axis where the pad was). Ascending (None, Random, Sorted).
    std::vector<Batching> batchings;

    bool operator==(const RunAxes&) const = default;
};

// The spec's values, then those only the rows have (a loaded run with failed or hand-merged
// cells, an old CSV with rows and no spec).
RunAxes axesOf(const SweepSpec& spec, const std::vector<ResultRow>& rows);
RunAxes axesOf(const Run& run);
// The rows' values alone: what a file that records no spec (the CSVs) covers.
RunAxes axesOfRows(const std::vector<ResultRow>& rows);
// Adds `from`'s batch sizes, seq lens, pads and batchings to `into` (sorted, no repeats).
void mergeGridAxes(RunAxes& into, const RunAxes& from);

// Pad fractions are compared at 1e-6: the old CSVs print them as "0.1", specs hold 0.1.
int64_t padKey(double pad);

// One row of a run's heatmaps (one series of its line panels): a pad of a synthetic run, a
// batching policy of a data workload's (whose pad is 0: the data gives the padding), so that the
// picture keeps two readable rows, random and sorted, where the pads stood.
struct AxisRow {
    double pad = 0;
    Batching batching = Batching::None;
    bool matches(const Cell& cell) const { return padKey(cell.pad) == padKey(pad) && cell.batching == batching; }
};
// Bottom to top: the pads (ascending) of each batching (None, random, sorted).
std::vector<AxisRow> axisRows(const RunAxes& axes);
// Whether the rows are batching policies (every row of a data workload).
bool rowsAreBatching(const RunAxes& axes);

} // namespace bertbench

#pragma once
// The axes a run's figures are drawn on, and a lookup of its rows by cell.
// A live run's axes come from its spec (cells not measured yet are drawn as pending);
// a loaded run's from its spec and its rows together (old CSVs have only rows).
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::ui {

struct RunAxes {
    std::vector<Task> tasks;               // spec order, then any only the rows have
    std::vector<std::string> candidates;   // likewise
    std::vector<int> batchSizes;           // ascending
    std::vector<int> seqLens;              // ascending
    std::vector<double> pads;              // ascending

    bool operator==(const RunAxes&) const = default;
};

RunAxes axesOf(const Run& run);
// Adds `from`'s batch sizes, seq lens and pads to `into` (sorted, no repeats).
void mergeGridAxes(RunAxes& into, const RunAxes& from);

// Pad fractions are compared at 1e-6: the old CSVs print them as "0.1", specs hold 0.1.
int64_t padKey(double pad);

// Finds the row of one (task, candidate, cell). When a run holds two rows for one key
// (files merged by hand), the later one wins, as it would overwrite the earlier on screen.
class RowLookup {
public:
    explicit RowLookup(const Run& run);
    const ResultRow* find(Task task, const std::string& candidate, int batchSize, int seqLen,
                          double pad) const;
    const ResultRow* find(const std::string& candidate, const Cell& cell) const {
        return find(cell.task, candidate, cell.batchSize, cell.seqLen, cell.pad);
    }

private:
    using Key = std::tuple<int, std::string, int, int, int64_t>;
    std::map<Key, const ResultRow*> rows_;
};

} // namespace bertbench::ui

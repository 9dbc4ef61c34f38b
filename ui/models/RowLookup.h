#pragma once
// A lookup of a run's rows by cell, for the views that walk the run's axes (core/sweep/RunAxes.h).
#include <map>
#include <string>
#include <tuple>

#include "core/sweep/RunAxes.h"

namespace bertbench::ui {

// Finds the row of one (task, candidate, cell). When a run holds two rows for one key
// (files merged by hand), the later one wins, as it would overwrite the earlier on screen.
class RowLookup {
public:
    explicit RowLookup(const Run& run);
    // `batching`: a data workload's policy (None: a synthetic cell).
    const ResultRow* find(Task task, const std::string& candidate, int batchSize, int seqLen,
                          double pad, Batching batching = Batching::None) const;
    const ResultRow* find(const std::string& candidate, const Cell& cell) const {
        return find(cell.task, candidate, cell.batchSize, cell.seqLen, cell.pad, cell.batching);
    }

private:
    using Key = std::tuple<int, std::string, int, int, int64_t, int>;
    std::map<Key, const ResultRow*> rows_;
};

} // namespace bertbench::ui

#include "ui/models/RowLookup.h"

namespace bertbench::ui {

RowLookup::RowLookup(const Run& run) {
    for (const ResultRow& row : run.rows)
        rows_[Key{int(row.cell.task), row.candidate.backend, row.cell.batchSize, row.cell.seqLen,
                  padKey(row.cell.pad), int(row.cell.batching)}] = &row;
}

const ResultRow* RowLookup::find(Task task, const std::string& candidate, int batchSize, int seqLen,
                                 double pad, Batching batching) const {
    const auto it = rows_.find(Key{int(task), candidate, batchSize, seqLen, padKey(pad), int(batching)});
    return it == rows_.end() ? nullptr : it->second;
}

} // namespace bertbench::ui

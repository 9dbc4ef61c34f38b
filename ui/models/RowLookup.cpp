#include "ui/models/RunAxes.h"

#include <algorithm>
#include <cmath>

namespace bertbench::ui {
namespace {

template <typename T>
void appendUnique(std::vector<T>& into, const T& value) {
    if (std::find(into.begin(), into.end(), value) == into.end()) into.push_back(value);
}

void appendPad(std::vector<double>& pads, double pad) {
    for (double p : pads)
        if (padKey(p) == padKey(pad)) return;
    pads.push_back(pad);
}

} // namespace

int64_t padKey(double pad) { return std::llround(pad * 1e6); }

RunAxes axesOf(const Run& run) {
    RunAxes axes;
    const SweepSpec& spec = run.spec;
    for (Task t : spec.tasks) appendUnique(axes.tasks, t);
    for (const std::string& c : spec.candidates) appendUnique(axes.candidates, c);
    for (int b : spec.batchSizes) appendUnique(axes.batchSizes, b);
    for (int s : spec.seqLens) appendUnique(axes.seqLens, s);
    for (double p : spec.pads) appendPad(axes.pads, p);
    for (const ResultRow& row : run.rows) {
        appendUnique(axes.tasks, row.cell.task);
        appendUnique(axes.candidates, row.candidate.backend);
        appendUnique(axes.batchSizes, row.cell.batchSize);
        appendUnique(axes.seqLens, row.cell.seqLen);
        appendPad(axes.pads, row.cell.pad);
    }
    std::sort(axes.batchSizes.begin(), axes.batchSizes.end());
    std::sort(axes.seqLens.begin(), axes.seqLens.end());
    std::sort(axes.pads.begin(), axes.pads.end());
    return axes;
}

void mergeGridAxes(RunAxes& into, const RunAxes& from) {
    for (int b : from.batchSizes) appendUnique(into.batchSizes, b);
    for (int s : from.seqLens) appendUnique(into.seqLens, s);
    for (double p : from.pads) appendPad(into.pads, p);
    std::sort(into.batchSizes.begin(), into.batchSizes.end());
    std::sort(into.seqLens.begin(), into.seqLens.end());
    std::sort(into.pads.begin(), into.pads.end());
}

RowLookup::RowLookup(const Run& run) {
    for (const ResultRow& row : run.rows)
        rows_[Key{int(row.cell.task), row.candidate.backend, row.cell.batchSize, row.cell.seqLen,
                  padKey(row.cell.pad)}] = &row;
}

const ResultRow* RowLookup::find(Task task, const std::string& candidate, int batchSize, int seqLen,
                                 double pad) const {
    const auto it = rows_.find(Key{int(task), candidate, batchSize, seqLen, padKey(pad)});
    return it == rows_.end() ? nullptr : it->second;
}

} // namespace bertbench::ui

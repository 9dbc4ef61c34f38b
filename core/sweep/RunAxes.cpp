#include "core/sweep/RunAxes.h"

#include <algorithm>
#include <cmath>

namespace bertbench {
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

// Ascending; a NaN pad (a hand-edited CSV can hold one) goes last rather than breaking the order.
void sortGrid(RunAxes& axes) {
    std::sort(axes.batchSizes.begin(), axes.batchSizes.end());
    std::sort(axes.seqLens.begin(), axes.seqLens.end());
    std::sort(axes.pads.begin(), axes.pads.end(),
              [](double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; });
    std::sort(axes.batchings.begin(), axes.batchings.end());
}

void appendRows(RunAxes& axes, const std::vector<ResultRow>& rows) {
    for (const ResultRow& row : rows) {
        // A row that records no model belongs to the spec's first (rows built in memory, files of
        // one model): only a file without any spec makes "" a model of its own.
        if (!row.cell.model.empty() || axes.models.empty()) appendUnique(axes.models, row.cell.model);
        appendUnique(axes.tasks, row.cell.task);
        appendUnique(axes.candidates, row.candidate.backend);
        appendUnique(axes.batchSizes, row.cell.batchSize);
        appendUnique(axes.seqLens, row.cell.seqLen);
        appendPad(axes.pads, row.cell.pad);
        appendUnique(axes.batchings, row.cell.batching);
    }
    sortGrid(axes);
}

} // namespace

int64_t padKey(double pad) {
    // NaN has no rounding; all NaN pads are one pad.
    return std::isnan(pad) ? INT64_MIN : std::llround(pad * 1e6);
}

RunAxes axesOf(const SweepSpec& spec, const std::vector<ResultRow>& rows) {
    RunAxes axes;
    for (const std::string& m : spec.models) appendUnique(axes.models, m);
    for (Task t : spec.tasks) appendUnique(axes.tasks, t);
    for (const std::string& c : spec.candidates) appendUnique(axes.candidates, c);
    for (int b : spec.batchSizes) appendUnique(axes.batchSizes, b);
    for (int s : spec.seqLens) appendUnique(axes.seqLens, s);
    if (spec.workload.isData()) {
        // The data gives the padding: one pad row, one per batching policy.
        appendPad(axes.pads, 0.0);
        for (Batching b : spec.workload.batching) appendUnique(axes.batchings, b);
    } else {
        for (double p : spec.pads) appendPad(axes.pads, p);
        appendUnique(axes.batchings, Batching::None);
    }
    appendRows(axes, rows);
    return axes;
}

std::vector<AxisRow> axisRows(const RunAxes& axes) {
    std::vector<AxisRow> rows;
    for (Batching b : axes.batchings)
        for (double p : axes.pads) rows.push_back({p, b});
    if (axes.batchings.empty())   // axes made by hand (tests, old callers): the pads alone
        for (double p : axes.pads) rows.push_back({p, Batching::None});
    return rows;
}

bool rowsAreBatching(const RunAxes& axes) {
    return !axes.batchings.empty() &&
           std::none_of(axes.batchings.begin(), axes.batchings.end(), [](Batching b) { return b == Batching::None; });
}

RunAxes axesOf(const Run& run) { return axesOf(run.spec, run.rows); }

RunAxes axesOfRows(const std::vector<ResultRow>& rows) {
    RunAxes axes;
    appendRows(axes, rows);
    return axes;
}

void mergeGridAxes(RunAxes& into, const RunAxes& from) {
    for (int b : from.batchSizes) appendUnique(into.batchSizes, b);
    for (int s : from.seqLens) appendUnique(into.seqLens, s);
    for (double p : from.pads) appendPad(into.pads, p);
    for (Batching b : from.batchings) appendUnique(into.batchings, b);
    sortGrid(into);
}

} // namespace bertbench

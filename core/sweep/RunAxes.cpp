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
}

void appendRows(RunAxes& axes, const std::vector<ResultRow>& rows) {
    for (const ResultRow& row : rows) {
        appendUnique(axes.models, row.cell.model);
        appendUnique(axes.tasks, row.cell.task);
        appendUnique(axes.candidates, row.candidate.backend);
        appendUnique(axes.batchSizes, row.cell.batchSize);
        appendUnique(axes.seqLens, row.cell.seqLen);
        appendPad(axes.pads, row.cell.pad);
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
    for (double p : spec.pads) appendPad(axes.pads, p);
    appendRows(axes, rows);
    return axes;
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
    sortGrid(into);
}

} // namespace bertbench

#include "ui/models/Breakdown.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/profile/OpCategory.h"
#include "ui/models/RowText.h"

namespace bertbench::ui {
namespace {

QString ms(double v) { return QString::number(v, 'f', v < 10 ? 3 : 2) + QStringLiteral(" ms"); }

BreakdownBar barOf(const Measurement& m, bool isBaseline, const ResultRow* row) {
    BreakdownBar bar;
    bar.backend = qstr(m.backend);
    bar.isBaseline = isBaseline;
    bar.throttled = m.energy.throttled;
    const auto& categories = breakdownCategories();
    bar.ms.assign(categories.size(), 0.0);
    if (row && row->status != RowStatus::Ok && !(isBaseline && m.latency.medianMs > 0)) {
        bar.state = BreakdownState::Failed;
        bar.note = QStringLiteral("%1: %2").arg(qstr(toString(row->status)), qstr(row->message));
    } else if (!m.breakdown) {
        bar.state = BreakdownState::NotRecorded;
        bar.note = QStringLiteral("not recorded (a version-1 run file or the old script's CSV)");
    } else if (!m.breakdown->measured()) {
        bar.state = BreakdownState::NotAvailable;
        bar.note = m.breakdown->note.empty() ? QStringLiteral("not available") : qstr(m.breakdown->note);
    } else {
        bar.state = BreakdownState::Measured;
        const std::vector<OpCategory>& ops = allOpCategories();
        for (size_t i = 0; i < ops.size(); ++i) bar.ms[i] = m.breakdown->msOf(ops[i]);
        bar.sumMs = m.breakdown->sumMs;
        bar.forwardMs = m.breakdown->forwardMs > 0 ? m.breakdown->forwardMs : m.latency.medianMs;
        bar.otherMs = bar.forwardMs - bar.sumMs;
        bar.ms.back() = std::max(0.0, bar.otherMs);
    }
    QString html = QStringLiteral("<b>%1</b>%2").arg(bar.backend.toHtmlEscaped(),
                                                      isBaseline ? QStringLiteral(" (baseline)") : QString());
    if (bar.state != BreakdownState::Measured) {
        bar.tooltip = html + QStringLiteral("<br>") + bar.note.toHtmlEscaped();
        return bar;
    }
    const double total = std::max(bar.forwardMs, bar.sumMs);
    html += QStringLiteral("<table cellspacing=0 cellpadding=1>");
    for (size_t i = 0; i < categories.size(); ++i) {
        if (bar.ms[i] <= 0) continue;
        html += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td align=right>%3 %</td></tr>")
                    .arg(categories[i].label.toHtmlEscaped(), ms(bar.ms[i]))
                    .arg(total > 0 ? bar.ms[i] / total * 100 : 0, 0, 'f', 1);
    }
    html += QStringLiteral("</table>sum of parts %1 · plain forward median %2").arg(ms(bar.sumMs), ms(bar.forwardMs));
    if (bar.otherMs < 0)
        html += QStringLiteral("<br><i>the profiling forward ran %1 longer than the median</i>").arg(ms(-bar.otherMs));
    bar.tooltip = html;
    return bar;
}

bool isBaselineName(const Run& run, const std::string& backend) { return backend == run.spec.baseline; }

} // namespace

const std::vector<CategoryInfo>& breakdownCategories() {
    static const std::vector<CategoryInfo> all = [] {
        std::vector<CategoryInfo> v;
        for (OpCategory c : allOpCategories())
            v.push_back({qstr(categoryName(c)), qstr(categoryLabel(c)), qstr(categoryShortLabel(c))});
        v.push_back({QStringLiteral("other"), otherCategoryLabel(), QStringLiteral("other")});
        return v;
    }();
    return all;
}

QString otherCategoryLabel() { return QStringLiteral("other (launch overhead, gaps)"); }

QString toDisplayString(BreakdownState s) {
    switch (s) {
    case BreakdownState::Measured: return QStringLiteral("measured");
    case BreakdownState::NotAvailable: return QStringLiteral("not available");
    case BreakdownState::NotRecorded: return QStringLiteral("not recorded");
    case BreakdownState::Failed: return QStringLiteral("failed");
    case BreakdownState::NotMeasured: return QStringLiteral("not measured");
    }
    return {};
}

bool CellBreakdown::anyMeasured() const {
    return std::any_of(bars.begin(), bars.end(), [](const BreakdownBar& b) { return b.state == BreakdownState::Measured; });
}

QString CellBreakdown::emptyNote() const {
    if (bars.empty()) return QStringLiteral("no cell selected: click a heatmap cell");
    if (anyMeasured()) return {};
    // The bars agree more often than not (a whole file is version 1); say it once then.
    const BreakdownBar& first = bars.front();
    const bool same = std::all_of(bars.begin(), bars.end(), [&](const BreakdownBar& b) { return b.note == first.note; });
    return same ? QStringLiteral("breakdown %1").arg(first.note)
                : QStringLiteral("no backend has a breakdown in this cell (hover a bar for why)");
}

CellBreakdown cellBreakdown(const Run& run, const RowLookup& rows, const std::vector<std::string>& candidates,
                            const Cell& cell) {
    CellBreakdown out;
    out.title = QStringLiteral("Per-op breakdown · batch %1 · seq len %2 · pad %3")
                    .arg(cell.batchSize)
                    .arg(cell.seqLen)
                    .arg(padLabel(cell.pad));
    out.subtitle = QStringLiteral("%1 · milliseconds per forward").arg(qstr(toString(cell.task)));
    // The baseline is measured once per cell; any candidate's row carries it (an ok one first).
    const ResultRow* baseRow = nullptr;
    for (const std::string& c : candidates)
        if (const ResultRow* r = rows.find(c, cell); r && (!baseRow || (baseRow->status != RowStatus::Ok && r->status == RowStatus::Ok)))
            baseRow = r;
    if (baseRow) out.bars.push_back(barOf(baseRow->baseline, true, baseRow));
    else {
        BreakdownBar bar;
        bar.backend = qstr(run.spec.baseline);
        bar.isBaseline = true;
        bar.state = BreakdownState::NotMeasured;
        bar.note = QStringLiteral("not measured");
        bar.ms.assign(breakdownCategories().size(), 0.0);
        out.bars.push_back(bar);
    }
    for (const std::string& c : candidates) {
        if (const ResultRow* r = rows.find(c, cell)) {
            out.bars.push_back(barOf(r->candidate, false, r));
            continue;
        }
        BreakdownBar bar;
        bar.backend = qstr(c);
        bar.state = BreakdownState::NotMeasured;
        bar.note = QStringLiteral("not measured");
        bar.ms.assign(breakdownCategories().size(), 0.0);
        bar.tooltip = bar.backend + QStringLiteral(": not measured");
        out.bars.push_back(bar);
    }
    return out;
}

BreakdownShares breakdownShares(const Run& run, const RowLookup& rows, const RunAxes& axes, Task task,
                                const std::string& backend, int seqLen, double pad) {
    BreakdownShares out;
    out.backend = qstr(backend);
    out.title = out.backend + (isBaselineName(run, backend) ? QStringLiteral(" (baseline)") : QString());
    out.subtitle = QStringLiteral("shares of the forward at seq len %1 · pad %2").arg(seqLen).arg(padLabel(pad));
    out.batchSizes = axes.batchSizes;
    const auto& categories = breakdownCategories();
    for (const CategoryInfo& c : categories) out.series.push_back({c.name, c.label, {}});
    QStringList notes;
    const bool isBaseline = backend == run.spec.baseline;
    for (int batch : axes.batchSizes) {
        const Cell cell{task, batch, seqLen, pad};
        const ResultRow* row = nullptr;
        if (isBaseline) {
            for (const std::string& c : axes.candidates)
                if ((row = rows.find(c, cell))) break;
        } else {
            row = rows.find(backend, cell);
        }
        std::optional<BreakdownBar> bar;
        if (row) bar = barOf(isBaseline ? row->baseline : row->candidate, isBaseline, row);
        const double total = bar ? std::max(bar->forwardMs, bar->sumMs) : 0;
        const bool measured = bar && bar->state == BreakdownState::Measured && total > 0;
        if (measured) ++out.measuredPoints;
        else if (bar && !notes.contains(bar->note)) notes << bar->note;
        for (size_t i = 0; i < categories.size(); ++i)
            out.series[i].share.push_back(measured ? bar->ms[i] / total : std::numeric_limits<double>::quiet_NaN());
    }
    if (out.measuredPoints == 0)
        out.emptyNote = notes.isEmpty() ? QStringLiteral("not measured") : QStringLiteral("breakdown ") + notes.join(QStringLiteral("; "));
    else if (out.measuredPoints == 1)   // an area needs two batch sizes; the bars above show the one
        out.emptyNote = QStringLiteral("one batch size measured: its shares are the bar above");
    return out;
}

bool hasBreakdown(const Run& run) {
    return std::any_of(run.rows.begin(), run.rows.end(), [](const ResultRow& r) {
        return (r.candidate.breakdown && r.candidate.breakdown->measured()) ||
               (r.baseline.breakdown && r.baseline.breakdown->measured());
    });
}

std::optional<Cell> firstBreakdownCell(const Run& run, const RunAxes& axes, Task task) {
    const std::vector<AxisRow> yRows = axisRows(axes);
    if (axes.seqLens.empty() || axes.batchSizes.empty() || yRows.empty()) return std::nullopt;
    const RowLookup rows(run);
    for (auto seq = axes.seqLens.rbegin(); seq != axes.seqLens.rend(); ++seq)
        for (auto batch = axes.batchSizes.rbegin(); batch != axes.batchSizes.rend(); ++batch)
            for (auto y = yRows.rbegin(); y != yRows.rend(); ++y)
                for (const std::string& c : axes.candidates)
                    if (const ResultRow* r = rows.find(task, c, *batch, *seq, y->pad, y->batching);
                        r && r->candidate.breakdown && r->candidate.breakdown->measured())
                        return Cell{task, *batch, *seq, y->pad, std::string(), y->batching};
    return Cell{task, axes.batchSizes.front(), axes.seqLens.front(), yRows.front().pad, std::string(), yRows.front().batching};
}

} // namespace bertbench::ui

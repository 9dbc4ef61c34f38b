#include "ui/models/RunFigures.h"

#include <algorithm>
#include <cmath>

#include "ui/models/RowText.h"

namespace bertbench::ui {

void shapeGrid(HeatmapGrid& grid, const RunAxes& axes) {
    QStringList x, y;
    for (int b : axes.batchSizes) x << QString::number(b);
    for (const AxisRow& r : axisRows(axes)) y << axisRowLabel(r);
    grid.resize(x, y);
    grid.yTitle = axisRowsTitle(axes);
}

QString metricTitle(Metric m) {
    switch (m) {
    case Metric::Speedup: return QStringLiteral("Speedup (%)");
    case Metric::MemorySaved: return QStringLiteral("Memory saved (%)");
    case Metric::EnergySaved: return QStringLiteral("Energy saved (%)");
    case Metric::TaskAgreement: return QStringLiteral("Task agreement (%)");
    }
    return {};
}

double metricValue(const ResultRow& row, Metric m) {
    switch (m) {
    case Metric::Speedup: return row.speedupPercent();
    case Metric::MemorySaved: return row.memorySavedPercent();
    case Metric::EnergySaved: return row.energySavedPercent();
    case Metric::TaskAgreement: return row.taskAgreementPct;   // NaN where not measured
    }
    return std::nan("");
}

bool isThrottled(const ResultRow& row) { return row.baseline.energy.throttled || row.candidate.energy.throttled; }

bool hasEnergy(const Run& run) {
    return std::any_of(run.rows.begin(), run.rows.end(),
                       [](const ResultRow& r) { return std::isfinite(r.energySavedPercent()); });
}

bool hasTaskAgreement(const Run& run) {
    return std::any_of(run.rows.begin(), run.rows.end(),
                       [](const ResultRow& r) { return std::isfinite(r.taskAgreementPct); });
}

HeatmapGrid runHeatmap(const RowLookup& rows, const RunAxes& axes, const std::string& baseline,
                       Task task, const std::string& candidate, int seqLen, Metric metric,
                       const LiveCells& live) {
    HeatmapGrid grid;
    grid.title = QStringLiteral("%1 · seq len %2").arg(metricTitle(metric)).arg(seqLen);
    grid.subtitle = QStringLiteral("%1 vs %2 · %3").arg(qstr(candidate), qstr(baseline), qstr(toString(task)));
    grid.kind = metric == Metric::TaskAgreement ? ValueKind::Agreement : ValueKind::Percent;
    grid.unit = QStringLiteral("%");
    grid.palette = metric == Metric::EnergySaved ? Palette::BrownTeal : Palette::RedBlue;
    shapeGrid(grid, axes);

    const std::vector<AxisRow> yRows = axisRows(axes);
    for (int yi = 0; yi < grid.rows(); ++yi) {
        for (int xi = 0; xi < grid.columns(); ++xi) {
            const AxisRow& yRow = yRows[size_t(yi)];
            const Cell cell{task, axes.batchSizes[size_t(xi)], seqLen, yRow.pad, std::string(), yRow.batching};
            HeatmapCell& out = grid.at(yi, xi);
            if (const ResultRow* row = rows.find(candidate, cell)) {
                out.state = stateOf(*row);
                out.value = row->status == RowStatus::Ok ? metricValue(*row, metric) : 0;
                if (out.state == CellState::Ok && !std::isfinite(out.value)) out.state = CellState::NotAvailable;
                out.flagged = row->status == RowStatus::Ok && isThrottled(*row);
                // A speedup whose 95 % interval holds 0: drawn neutral, not as an effect.
                out.uncertain = metric == Metric::Speedup && row->verdict == Verdict::Same;
                out.tooltip = rowTooltip(*row);
                continue;
            }
            const bool running = live.running && live.running->task == cell.task &&
                                 live.running->batchSize == cell.batchSize &&
                                 live.running->seqLen == cell.seqLen &&
                                 yRow.matches(*live.running);
            out.state = running ? CellState::Running
                                : (live.live ? CellState::Pending : CellState::NoData);
            out.tooltip = QStringLiteral("batch %1 · seq len %2 · %3 · <b>%4</b>")
                              .arg(cell.batchSize)
                              .arg(seqLen)
                              .arg(cellPadText(cell), toDisplayString(out.state));
        }
    }
    return grid;
}

QString shortCandidateName(const std::string& candidate, const std::vector<std::string>& all) {
    const auto device = [](const std::string& name) { return name.substr(0, name.find(':')); };
    for (const std::string& other : all)
        if (device(other) != device(candidate)) return qstr(candidate);
    const size_t colon = candidate.find(':');
    return qstr(colon == std::string::npos ? candidate : candidate.substr(colon + 1));
}

LinePanelData runLinePanel(const RowLookup& rows, const RunAxes& axes, Task task,
                           const std::vector<std::string>& candidates, int seqLen, Metric metric) {
    LinePanelData panel;
    panel.title = QStringLiteral("Seq len %1 · %2").arg(seqLen).arg(metricTitle(metric));
    panel.yTitle = metricTitle(metric);
    const std::vector<AxisRow> yRows = axisRows(axes);
    panel.padCount = int(yRows.size());
    panel.rowsTitle = rowsAreBatching(axes) ? QStringLiteral("batching") : QStringLiteral("pad");
    for (const AxisRow& r : yRows) panel.padLabels << axisRowLabel(r);
    for (const std::string& c : candidates) panel.candidateNames << shortCandidateName(c, candidates);
    if (!axes.batchSizes.empty()) {
        panel.minBatch = axes.batchSizes.front();
        panel.maxBatch = axes.batchSizes.back();
    }
    for (size_t ci = 0; ci < candidates.size(); ++ci) {
        const QString name = shortCandidateName(candidates[ci], candidates);
        for (size_t pi = 0; pi < yRows.size(); ++pi) {
            LineSeriesData series;
            const QString pad = yRows[pi].batching == Batching::None ? QStringLiteral("pad %1").arg(axisRowLabel(yRows[pi]))
                                                                     : axisRowLabel(yRows[pi]);
            series.name = candidates.size() > 1 ? name + QStringLiteral(" · ") + pad : pad;
            series.candidateIndex = int(ci);
            series.padIndex = int(pi);
            for (int batch : axes.batchSizes) {
                const ResultRow* row = rows.find(task, candidates[ci], batch, seqLen, yRows[pi].pad, yRows[pi].batching);
                if (!row || row->status != RowStatus::Ok) continue;
                LinePoint p;
                p.x = batch;
                p.y = metricValue(*row, metric);
                if (!std::isfinite(p.y)) continue;
                const LatencyStats& c = row->candidate.latency;
                if (metric == Metric::Speedup && row->candidate.hasStats && c.samples > 1 &&
                    c.p10Ms > 0 && c.p90Ms > 0) {
                    const double base = row->baseline.latency.medianMs;
                    p.low = (base / c.p90Ms - 1) * 100;
                    p.high = (base / c.p10Ms - 1) * 100;
                    p.hasBand = true;
                }
                if (metric == Metric::Speedup) {
                    p.same = row->verdict == Verdict::Same;
                    p.ci = row->speedupCiPct;
                }
                series.points.push_back(p);
            }
            if (!series.points.empty()) panel.series.push_back(std::move(series));
        }
    }
    return panel;
}

} // namespace bertbench::ui

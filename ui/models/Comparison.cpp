#include "ui/models/Comparison.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "ui/models/RowText.h"
#include "ui/models/RunFigures.h"

namespace bertbench::ui {
namespace {

QString cellName(const CellComparison& c) {
    return QStringLiteral("batch %1 · seq len %2 · pad %3").arg(c.batchSize).arg(c.seqLen).arg(padLabel(c.pad));
}

QString ratioText(double r) { return formatCellValue(r, ValueKind::Ratio); }

// "B faster: latency ratio 95 % interval 0.81× … 0.86×; speedup delta −1.2 … +3.4 points".
QString intervalsText(const CellComparison& c) {
    if (!c.latencyRatioCi.valid()) return QStringLiteral("no 95 % intervals: a side recorded no per-forward samples");
    const QString word = c.verdict == Verdict::Faster   ? QStringLiteral("B faster")
                         : c.verdict == Verdict::Slower ? QStringLiteral("B slower")
                                                        : QStringLiteral("same");
    QString text = QStringLiteral("<b>%1</b>: latency ratio's 95 % interval %2 … %3")
                       .arg(word, ratioText(c.latencyRatioCi.lo), ratioText(c.latencyRatioCi.hi));
    if (c.speedupDeltaCi.valid())
        text += QStringLiteral("; speedup delta's %1 … %2 points")
                    .arg(formatCellValue(c.speedupDeltaCi.lo, ValueKind::PercentPoints),
                         formatCellValue(c.speedupDeltaCi.hi, ValueKind::PercentPoints));
    return text;
}

QString cellTooltip(const CellComparison& c) {
    return QStringLiteral("<b>%1</b><br>latency ratio B/A %2 · speedup delta %3 points · energy ratio B/A %4"
                          "<br>%5<br><br><u>A</u><br>%6<br><br><u>B</u><br>%7")
        .arg(cellName(c), ratioText(c.latencyRatio), formatCellValue(c.speedupDelta, ValueKind::PercentPoints),
             std::isfinite(c.energyRatio) ? ratioText(c.energyRatio) : QStringLiteral("n/a"), intervalsText(c),
             rowTooltip(*c.a), rowTooltip(*c.b));
}

} // namespace

std::vector<CellComparison> compareCells(const CompareSide& a, const CompareSide& b) {
    std::vector<CellComparison> out;
    if (!a.run || !b.run) return out;
    const RowLookup rowsB(*b.run);
    // Walk A's rows in the order they were measured; the later row of a duplicate wins,
    // as in RowLookup.
    std::map<std::tuple<int, int, int64_t>, size_t> seen;
    for (const ResultRow& ra : a.run->rows) {
        if (ra.cell.task != a.task || ra.candidate.backend != a.candidate) continue;
        if (ra.status != RowStatus::Ok) continue;
        const ResultRow* rb =
            rowsB.find(b.task, b.candidate, ra.cell.batchSize, ra.cell.seqLen, ra.cell.pad, ra.cell.batching);
        if (!rb || rb->status != RowStatus::Ok) continue;
        const double ta = ra.candidate.latency.medianMs, tb = rb->candidate.latency.medianMs;
        if (!(ta > 0) || !(tb > 0)) continue;
        CellComparison c;
        c.batchSize = ra.cell.batchSize;
        c.seqLen = ra.cell.seqLen;
        c.pad = ra.cell.pad;
        c.a = &ra;
        c.b = rb;
        c.speedupDelta = rb->speedupPercent() - ra.speedupPercent();
        c.latencyRatio = tb / ta;
        const Energy& ea = ra.candidate.energy;
        const Energy& eb = rb->candidate.energy;
        if (ea.available && eb.available && ea.joulesPerForward > 0 && eb.joulesPerForward > 0)
            c.energyRatio = eb.joulesPerForward / ea.joulesPerForward;
        c.latencyRatioCi = ratioInterval(rb->candidate.samplesMs, ra.candidate.samplesMs);
        if (c.latencyRatioCi.valid() && c.latencyRatioCi.lo > 0)   // B's speedup over A: (t_A / t_B − 1)·100
            c.verdict = verdictOfPercent({(1 / c.latencyRatioCi.hi - 1) * 100, (1 / c.latencyRatioCi.lo - 1) * 100});
        c.speedupDeltaCi = speedupDeltaInterval(ra.baseline.samplesMs, ra.candidate.samplesMs, rb->baseline.samplesMs,
                                                rb->candidate.samplesMs);
        const auto key = std::make_tuple(c.batchSize, c.seqLen, padKey(c.pad) * 4 + int64_t(ra.cell.batching));
        if (const auto it = seen.find(key); it != seen.end()) {
            out[it->second] = c;
        } else {
            seen[key] = out.size();
            out.push_back(c);
        }
    }
    return out;
}

ComparisonSummary summarize(const std::vector<CellComparison>& cells) {
    ComparisonSummary s;
    double logSum = 0, deltaSum = 0, energyLogSum = 0;
    for (const CellComparison& c : cells) {
        ++s.cells;
        if (c.verdict == Verdict::Faster) ++s.faster;
        else if (c.verdict == Verdict::Same) ++s.same;
        else if (c.verdict == Verdict::Slower) ++s.slower;
        logSum += std::log(c.latencyRatio);
        deltaSum += c.speedupDelta;
        if (std::isfinite(c.energyRatio)) {
            ++s.energyCells;
            energyLogSum += std::log(c.energyRatio);
        }
        if (!s.best || c.latencyRatio < s.best->latencyRatio) s.best = c;
        if (!s.worst || c.latencyRatio > s.worst->latencyRatio) s.worst = c;
    }
    if (s.cells > 0) {
        s.geoMeanLatencyRatio = std::exp(logSum / s.cells);
        s.meanSpeedupDelta = deltaSum / s.cells;
    }
    if (s.energyCells > 0) s.geoMeanEnergyRatio = std::exp(energyLogSum / s.energyCells);
    return s;
}

QString summaryText(const ComparisonSummary& s, const CompareSide& a, const CompareSide& b) {
    if (s.cells == 0)
        return QStringLiteral("No cell was measured (status ok) on both sides: nothing to compare.");
    const double r = s.geoMeanLatencyRatio;
    const QString verdict = r < 1 ? QStringLiteral("B is %1 % faster").arg((1 / r - 1) * 100, 0, 'f', 1)
                                  : QStringLiteral("B is %1 % slower").arg((r - 1) * 100, 0, 'f', 1);
    QString text = QStringLiteral("<b>B</b> = %1 &nbsp;against&nbsp; <b>A</b> = %2, over %3 common cells: "
                                  "geometric-mean latency ratio B/A <b>%4</b> (%5); "
                                  "mean speedup delta %6 points.")
                       .arg(b.label.toHtmlEscaped(), a.label.toHtmlEscaped())
                       .arg(s.cells)
                       .arg(ratioText(r), verdict,
                            formatCellValue(s.meanSpeedupDelta, ValueKind::PercentPoints));
    if (s.faster + s.same + s.slower > 0)
        text += QStringLiteral("<br>Per cell (95 % intervals from both runs' samples): B faster in <b>%1</b>, "
                               "the same in <b>%2</b>, slower in <b>%3</b>.")
                    .arg(s.faster)
                    .arg(s.same)
                    .arg(s.slower);
    text += QStringLiteral("<br>Best cell for B: %1 (%2). Worst: %3 (%4).")
                .arg(cellName(*s.best), ratioText(s.best->latencyRatio), cellName(*s.worst),
                     ratioText(s.worst->latencyRatio));
    if (s.energyCells > 0) {
        const double e = s.geoMeanEnergyRatio;
        text += QStringLiteral("<br>Energy per forward, over %1 cells both measured: geometric-mean ratio B/A <b>%2</b> (%3).")
                    .arg(s.energyCells)
                    .arg(ratioText(e), e < 1 ? QStringLiteral("B uses %1 % less").arg((1 - e) * 100, 0, 'f', 1)
                                             : QStringLiteral("B uses %1 % more").arg((e - 1) * 100, 0, 'f', 1));
    } else {
        text += QStringLiteral("<br>Energy: not recorded on both sides.");
    }
    return text;
}

RunAxes compareAxes(const CompareSide& a, const CompareSide& b) {
    RunAxes axes;
    for (const CompareSide* side : {&a, &b})
        if (side->run) mergeGridAxes(axes, axesOf(*side->run));
    return axes;
}

HeatmapGrid compareHeatmap(const std::vector<CellComparison>& cells, const RunAxes& axes,
                           int seqLen, CompareMetric metric) {
    HeatmapGrid grid;
    if (metric == CompareMetric::SpeedupDelta) {
        grid.title = QStringLiteral("Speedup delta B − A (points) · seq len %1").arg(seqLen);
        grid.subtitle = QStringLiteral("blue: B's speedup over its baseline is higher");
        grid.kind = ValueKind::PercentPoints;
        grid.unit = QStringLiteral("points");
    } else if (metric == CompareMetric::EnergyRatio) {
        grid.title = QStringLiteral("Energy ratio B / A · seq len %1").arg(seqLen);
        grid.subtitle = QStringLiteral("candidates' joules per forward; teal: B uses less");
        grid.kind = ValueKind::Ratio;
        grid.unit = QStringLiteral("×");
        grid.palette = Palette::BrownTeal;
    } else {
        grid.title = QStringLiteral("Latency ratio B / A · seq len %1").arg(seqLen);
        grid.subtitle = QStringLiteral("candidates' median latencies; blue: B is faster");
        grid.kind = ValueKind::Ratio;
        grid.uncertainLabel = {QStringLiteral("same:"), QStringLiteral("95% CI ∋ 1")};
        grid.unit = QStringLiteral("×");
    }
    shapeGrid(grid, axes);
    for (HeatmapCell& cell : grid.cells)
        cell.tooltip = QStringLiteral("not measured (status ok) on both sides");
    for (const CellComparison& c : cells) {
        if (c.seqLen != seqLen) continue;
        const auto xi = std::find(axes.batchSizes.begin(), axes.batchSizes.end(), c.batchSize) -
                        axes.batchSizes.begin();
        const std::vector<AxisRow> yRows = axisRows(axes);
        const auto yi = std::find_if(yRows.begin(), yRows.end(), [&](const AxisRow& r) { return r.matches(c.a->cell); }) -
                        yRows.begin();
        if (xi >= grid.columns() || yi >= grid.rows()) continue;
        HeatmapCell& cell = grid.at(int(yi), int(xi));
        cell.value = metric == CompareMetric::SpeedupDelta ? c.speedupDelta
                     : metric == CompareMetric::LatencyRatio ? c.latencyRatio
                                                             : c.energyRatio;
        cell.state = std::isfinite(cell.value) ? CellState::Ok : CellState::NotAvailable;
        cell.flagged = isThrottled(*c.a) || isThrottled(*c.b);
        cell.uncertain = (metric == CompareMetric::LatencyRatio && c.latencyRatioCi.contains(1)) ||
                         (metric == CompareMetric::SpeedupDelta && c.speedupDeltaCi.contains(0));
        cell.tooltip = cellTooltip(c);
    }
    return grid;
}

} // namespace bertbench::ui

#pragma once
// The data of one heatmap: labels, one value and state per cell, and what the values mean.
// Built by ui/models (from a run, or from a comparison of two); drawn by ui/charts/HeatmapChart.
#include <QString>
#include <QStringList>
#include <vector>

namespace bertbench::ui {

// Where a cell stands. Pending and Running exist only while a sweep is live; NoData is a cell
// on the run's axes that the files never measured; NotAvailable a measured cell whose metric
// was not recorded (energy on a CPU, or in a version-1 file).
enum class CellState { NoData, Pending, Running, Ok, Oom, Error, Cancelled, NotAvailable };
QString toDisplayString(CellState s);

// How values are coloured and printed. Percent and PercentPoints diverge at 0 (higher is better),
// Ratio at 1 on a log scale (lower is better); Agreement (the share of task decisions that agree,
// in %) runs one way only, from red below to neutral at 100, where every decision agrees.
enum class ValueKind { Percent, PercentPoints, Ratio, Agreement };
// Which diverging colours: red–blue for time and memory, brown–teal for energy, so an energy
// heatmap never reads as a speedup one at a glance.
enum class Palette { RedBlue, BrownTeal };

struct HeatmapCell {
    CellState state = CellState::NoData;
    double value = 0;   // meaningful when state == Ok
    QString tooltip;    // rich text: the full row(s) behind the cell
    bool flagged = false;   // drawn with a corner marker (a throttled GPU clock)
    // The value's 95 % interval holds the neutral value (verdict "same"): drawn neutral and
    // hatched instead of in the scale's colour, the value still written.
    bool uncertain = false;
};

struct HeatmapGrid {
    QString title;         // "Speedup (%) · seq len 128"
    QString subtitle;      // "cpu:sdpa vs cpu:eager · encoder": context for a chart shown alone
    QString xTitle = QStringLiteral("batch size");
    QString yTitle = QStringLiteral("pad fraction");
    QStringList xLabels;   // columns, left to right
    QStringList yLabels;   // rows, bottom to top (row 0 is drawn at the bottom)
    ValueKind kind = ValueKind::Percent;
    QString unit;          // for the colour legend: "%", "points", "×"
    Palette palette = Palette::RedBlue;
    QString flagLabel = QStringLiteral("throttled");   // the legend's word for flagged cells
    // The legend's words for uncertain cells, one short line each (the legend is narrow).
    QStringList uncertainLabel{QStringLiteral("same:"), QStringLiteral("95% CI ∋ 0")};
    std::vector<HeatmapCell> cells;   // row-major: cells[y · columns + x]

    int columns() const { return int(xLabels.size()); }
    int rows() const { return int(yLabels.size()); }
    const HeatmapCell& at(int y, int x) const { return cells[size_t(y * columns() + x)]; }
    HeatmapCell& at(int y, int x) { return cells[size_t(y * columns() + x)]; }
    void resize(const QStringList& x, const QStringList& y) {
        xLabels = x;
        yLabels = y;
        cells.assign(size_t(x.size() * y.size()), HeatmapCell{});
    }
};

// "+12.3" / "−4.0" / "1.25×": the text printed inside a cell.
QString formatCellValue(double value, ValueKind kind);

} // namespace bertbench::ui

#pragma once
// The old script's figure, one panel: a metric against batch size on a log2 axis, one line per
// pad fraction (colour, dark to light as padding grows), one line style per candidate, a
// shaded p10–p90 band where rows carry latency statistics, and a dashed zero line. The legend
// is factored — a row of line styles (candidates) and a row of colours (pads) under the plot —
// instead of one entry per line, so it stays two short rows however many lines there are.
#include <QChart>

#include "ui/models/RunFigures.h"

QT_BEGIN_NAMESPACE
class QLogValueAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace bertbench::ui {

class LineLegendItem;

class LineChart : public QChart {
    Q_OBJECT
public:
    explicit LineChart(QGraphicsItem* parent = nullptr);

    void setPanel(const LinePanelData& panel);
    const LinePanelData& panel() const { return panel_; }
    // The width the legend under the plot needs (its widest row); wider than the chart = cut off.
    double legendWidth() const;

    static QColor padColor(int padIndex, int padCount);
    static Qt::PenStyle candidateStyle(int candidateIndex);

private:
    LinePanelData panel_;
    LineLegendItem* legendItem_ = nullptr;
    QLogValueAxis* xAxis_ = nullptr;
    QValueAxis* yAxis_ = nullptr;
};

} // namespace bertbench::ui

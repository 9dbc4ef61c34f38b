#pragma once
// A heatmap on QChart (Qt Charts has no heatmap series). Category axes carry the labels and
// titles; the cells and the colour legend are QGraphicsItems placed in the chart's plot area
// and right margin, repainted from the plot rectangle on every resize, so they stay crisp at
// any size and when printed at 2×–4×. Colours: a diverging scale around the neutral value;
// pending, running, OOM, error, cancelled and not-measured cells each have their own look,
// listed under the colour bar when present; flagged cells (a throttled clock) carry a corner
// marker. Hovering a cell shows the full row; clicking one emits cellClicked.
#include <QChart>
#include <QPoint>

#include "ui/charts/ColorScale.h"

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QLineSeries;
QT_END_NAMESPACE

namespace bertbench::ui {

class HeatmapGridModel;
class HeatmapCellsItem;
class ColorLegendItem;

class HeatmapChart : public QChart {
    Q_OBJECT
public:
    explicit HeatmapChart(QGraphicsItem* parent = nullptr);
    ~HeatmapChart() override;

    // Not owned. The chart follows the model's changes.
    void setModel(HeatmapGridModel* model);
    HeatmapGridModel* model() const { return model_; }

    // The grid's subtitle (backends, task) under the title; off where a figure says it once.
    void setShowSubtitle(bool show);

    // A fixed symmetric colour limit (e.g. shared by all sequence lengths of a run so their
    // colours compare); <= 0 chooses one from this chart's values.
    void setColorLimit(double limit);
    DivergingScale scale() const;
    // The limit this chart's values alone would need.
    double naturalColorLimit() const;

    // Model (row, column) of the cell under a point in chart coordinates; (−1, −1) outside.
    QPoint cellAt(const QPointF& chartPos) const;
    QRectF cellRect(int row, int column) const;
    // Outlines one cell (the Breakdown tab's); (−1, −1) for none.
    void setSelectedCell(int row, int column);

signals:
    // A click on a cell, in model (row, column).
    void cellClicked(int row, int column);

private:
    void syncStructure();
    void refresh();
    void layoutItems();

    HeatmapGridModel* model_ = nullptr;
    QCategoryAxis* xAxis_ = nullptr;
    QCategoryAxis* yAxis_ = nullptr;
    QLineSeries* anchor_ = nullptr;
    HeatmapCellsItem* cells_ = nullptr;
    ColorLegendItem* legend_ = nullptr;
    double fixedLimit_ = 0;
    bool showSubtitle_ = true;
    QStringList shownX_, shownY_;
};

} // namespace bertbench::ui

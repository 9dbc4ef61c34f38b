#pragma once
// The two QGraphicsItems a HeatmapChart places in its QChart: the cells (one item paints them
// all; hover and click find the cell arithmetically) and the colour legend in the right margin
// (the bar with ticks and unit, then the cell states and flags present).
#include <QGraphicsItem>
#include <QPoint>
#include <functional>

#include "ui/charts/ColorScale.h"
#include "ui/models/HeatmapGrid.h"

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace bertbench::ui {

constexpr int kHeatmapLegendWidth = 96;   // the right margin the colour legend lives in

class HeatmapCellsItem : public QGraphicsItem {
public:
    explicit HeatmapCellsItem(QChart* chart);
    void setRect(const QRectF& r);
    void setContent(const HeatmapGrid* grid, const DivergingScale& scale);
    // (x, y) of the outlined cell; (−1, −1) for none.
    void setSelectedCell(const QPoint& xy);
    QPoint cellAt(const QPointF& pos) const;   // (x, y), (−1, −1) outside
    std::function<void(const QPoint& xy)> onClicked;

    QRectF boundingRect() const override { return rect_.adjusted(-2, -2, 2, 2); }
    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* e) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override;

private:
    QString textOf(const HeatmapCell& c) const;

    QChart* chart_;
    QRectF rect_;
    const HeatmapGrid* grid_ = nullptr;
    DivergingScale scale_{ValueKind::Percent, 1};
    QPoint hovered_{-1, -1};
    QPoint selected_{-1, -1};
};

class ColorLegendItem : public QGraphicsItem {
public:
    explicit ColorLegendItem(QChart* chart);
    void setPlot(const QRectF& plot);
    void setContent(const HeatmapGrid* grid, const DivergingScale& scale);

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override;

private:
    QChart* chart_;
    QRectF plot_;
    const HeatmapGrid* grid_ = nullptr;
    DivergingScale scale_{ValueKind::Percent, 1};
};

} // namespace bertbench::ui

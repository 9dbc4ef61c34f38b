#pragma once
// The Breakdown tab as a file: for one cell, the per-op stacked bars of every
// backend on top, and below them each backend's category shares against batch size at that
// cell's (seq len, pad). Titled like the other figures; painted through the same scene path
// (ReportRenderer.h), so PNG, SVG and PDF come from one drawing.
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <memory>
#include <optional>

#include "core/sweep/Run.h"

QT_BEGIN_NAMESPACE
class QGraphicsScene;
class QPainter;
QT_END_NAMESPACE

namespace bertbench::ui {

class BreakdownBarChart;

class BreakdownFigure {
public:
    // No cell: the first with a breakdown (ui/models/Breakdown.h).
    BreakdownFigure(const Run& run, Task task, std::optional<Cell> cell = std::nullopt);
    ~BreakdownFigure();

    QSizeF size() const { return size_; }
    void paint(QPainter& painter);
    bool save(const QString& path, qreal scale, QString* error);
    BreakdownBarChart* barChart() const { return bars_; }

private:
    std::unique_ptr<QGraphicsScene> scene_;
    BreakdownBarChart* bars_ = nullptr;
    QString title_, subtitle_, footer_;
    QSizeF size_;
    QRectF chartsArea_;
};

} // namespace bertbench::ui

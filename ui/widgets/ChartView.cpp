#include "ui/widgets/ChartView.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>

#include "ui/charts/HeatmapChart.h"
#include "ui/report/ReportRenderer.h"

namespace bertbench::ui {

ChartView::ChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
    setRenderHint(QPainter::Antialiasing);
    setRenderHint(QPainter::TextAntialiasing);
    // Three heatmaps a row (speedup, memory, energy) fit beside the sweep dock at 1280 × 800;
    // their titles wrap to this width rather than being cut (ui/charts/FittedTitle.h).
    setMinimumSize(260, 220);
    setRubberBand(QChartView::NoRubberBand);
    setFrameShape(QFrame::NoFrame);
}

ChartView* ChartView::forHeatmap(HeatmapGridModel* model) {
    auto* chart = new HeatmapChart;
    chart->setModel(model);
    return new ChartView(chart);
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    emit picked(this);
    QChartView::mousePressEvent(event);
}

void ChartView::contextMenuEvent(QContextMenuEvent* event) {
    emit picked(this);
    QMenu menu(this);
    menu.addAction(tr("Save image…"), this, [this] { emit saveImageRequested(chart()); });
    menu.addAction(tr("Copy image"), this, [this] {
        const QSizeF size = chart()->size();
        QApplication::clipboard()->setImage(
            renderImage(size, 2, [this, size](QPainter& p) { paintChart(*chart(), p, QRectF(QPointF(0, 0), size)); }));
    });
    menu.exec(event->globalPos());
}

} // namespace bertbench::ui

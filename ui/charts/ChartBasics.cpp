#include "ui/charts/ChartBasics.h"

#include <QAbstractAxis>
#include <QChart>
#include <QTextDocument>
#include <QTextOption>
#include <algorithm>

namespace bertbench::ui {

void setUpChart(QChart* chart, double titlePointSize) {
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    QFont titleFont = chart->font();
    titleFont.setPointSizeF(titlePointSize);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
}

void clearSeriesAndAxes(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

BottomLegendItem::BottomLegendItem(QChart* chart) : QGraphicsItem(chart), chart_(chart) { setZValue(10); }

void BottomLegendItem::relayout() {
    prepareGeometryChange();
    update();
}

QRectF BottomLegendItem::boundingRect() const {
    const QSizeF size = chart_->size();
    return QRectF(0, size.height() - height(), size.width(), height());
}

PlotNote::PlotNote(QChart* chart) : QGraphicsTextItem(chart), chart_(chart) {
    setZValue(20);
    setDefaultTextColor(QColor(0x60, 0x60, 0x60));
    document()->setDefaultTextOption(QTextOption(Qt::AlignHCenter));
    QObject::connect(chart, &QChart::plotAreaChanged, this, &PlotNote::place);
}

void PlotNote::setNote(const QString& text, bool visible) {
    setPlainText(text);
    setVisible(visible);
    place();
}

void PlotNote::place() {
    const QRectF plot = chart_->plotArea();
    setTextWidth(std::max(60.0, plot.width() - 12));
    const QRectF text = boundingRect();
    setPos(plot.center() - QPointF(text.width() / 2, text.height() / 2));
}

} // namespace bertbench::ui

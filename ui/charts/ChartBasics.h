#pragma once
// What every chart BertBench draws on QChart starts from: no animation (a figure is drawn once,
// often straight into a PNG), square corners, a bold title; the charts that rebuild their series
// and axes on each update clear them here; and the grey note a chart shows in its plot area when
// it has nothing to draw ("no breakdown recorded", "no lengths").
#include <QGraphicsTextItem>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace bertbench::ui {

// No animation, square background, a bold title of `titlePointSize`.
void setUpChart(QChart* chart, double titlePointSize);

// Removes (and deletes) every series and axis of the chart.
void clearSeriesAndAxes(QChart* chart);

// A legend its chart draws under the plot area (the chart keeps height() free as its bottom
// margin), for legends Qt's own would elide or could not draw.
class BottomLegendItem : public QGraphicsItem {
public:
    explicit BottomLegendItem(QChart* chart);
    virtual double height() const = 0;
    // After the entries or the chart's size change.
    void relayout();
    QRectF boundingRect() const override;

private:
    QChart* chart_;
};

// A note centred in its chart's plot area, wrapped to the plot's width so a narrow chart keeps it
// inside, and kept there as the plot area moves. A child item of the chart.
class PlotNote : public QGraphicsTextItem {
public:
    explicit PlotNote(QChart* chart);
    // The text, shown or hidden, and placed for the plot area as it is now.
    void setNote(const QString& text, bool visible);
    void place();

private:
    QChart* chart_;
};

} // namespace bertbench::ui

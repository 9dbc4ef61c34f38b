#include "ui/charts/LengthHistogramChart.h"

#include <QAreaSeries>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>

#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"

namespace bertbench::ui {

namespace {

// The marks' colours, from the shortest max length to the longest.
QColor markColor(size_t i) {
    static const QColor colors[] = {QColor(0xc0, 0x39, 0x2b), QColor(0xd3, 0x80, 0x0c), QColor(0x6c, 0x3f, 0x9e),
                                    QColor(0x1f, 0x6f, 0x50)};
    return colors[i % (sizeof colors / sizeof colors[0])];
}

} // namespace

LengthHistogramChart::LengthHistogramChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 9.5);
    legend()->setAlignment(Qt::AlignBottom);
    note_ = new PlotNote(this);
}

void LengthHistogramChart::setHistogram(const LengthHistogramData& data) {
    data_ = data;
    clearSeriesAndAxes(this);
    QFont small = font();
    small.setPointSizeF(compact_ ? 7.5 : 8.5);
    legend()->setFont(small);
    if (compact_) setMargins(QMargins(2, 2, 2, 2));
    // Compact (the Sweep panel): the section's own label says what the title would.
    setFittedTitle(this, compact_ ? QString() : data_.title, compact_ ? QString() : data_.subtitle, 8.5);

    note_->setNote(data_.emptyNote, data_.empty());
    auto* x = new QValueAxis;
    auto* y = new QValueAxis;
    x->setLabelsFont(small);
    y->setLabelsFont(small);
    x->setTitleFont(small);
    y->setTitleFont(small);
    x->setTitleText(data_.overflow ? QStringLiteral("tokens per example (last bar: ≥ %1)").arg(data_.bins.empty() ? 0 : data_.bins.back().lo)
                                   : QStringLiteral("tokens per example"));
    y->setTitleText(compact_ ? QString() : QStringLiteral("examples"));
    y->setLabelFormat(QStringLiteral("%d"));
    x->setLabelFormat(QStringLiteral("%d"));
    addAxis(x, Qt::AlignBottom);
    addAxis(y, Qt::AlignLeft);
    if (data_.empty()) {
        x->setRange(0, 1);
        y->setRange(0, 1);
        note_->place();
        return;
    }

    // The bars: one stepped outline over the bins (the overflow bin drawn one bin wide).
    const int width = data_.bins.front().hi - data_.bins.front().lo + 1;
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    int64_t top = 1;
    double right = 0;
    for (size_t i = 0; i < data_.bins.size(); ++i) {
        const HistogramBin& b = data_.bins[i];
        const double left = b.lo - 1;
        right = (data_.overflow && i + 1 == data_.bins.size()) ? left + width : b.hi;
        upper->append(left, 0);
        upper->append(left, double(b.count));
        upper->append(right, double(b.count));
        upper->append(right, 0);
        top = std::max(top, b.count);
    }
    lower->append(0, 0);
    lower->append(right, 0);
    auto* bars = new QAreaSeries(upper, lower);
    upper->setParent(bars);
    lower->setParent(bars);
    bars->setName(QStringLiteral("examples"));
    bars->setBrush(QColor(0x4a, 0x78, 0xb5, 200));
    bars->setPen(QPen(QColor(0x2c, 0x50, 0x80), 0.8));
    addSeries(bars);
    bars->attachAxis(x);
    bars->attachAxis(y);
    for (QLegendMarker* m : legend()->markers(bars)) m->setVisible(false);

    // The sweep's max lengths: a dashed line each, its truncated share in the legend.
    const double yTop = double(top) * 1.08;
    for (size_t i = 0; i < data_.marks.size(); ++i) {
        const LengthMark& m = data_.marks[i];
        auto* line = new QLineSeries;
        line->append(m.maxLength, 0);
        line->append(m.maxLength, yTop);
        QPen pen(markColor(i), 1.6, Qt::DashLine);
        line->setPen(pen);
        // Compact: the section's label spells it out; the legend keeps the colour's key short.
        line->setName(compact_ ? QStringLiteral("%1: %2%").arg(m.maxLength).arg(m.share * 100, 0, 'f', 1)
                               : QStringLiteral("max %1: %2% truncated").arg(m.maxLength).arg(m.share * 100, 0, 'f', 1));
        addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    // Past the longest example, the marks still show: the headroom a max length leaves is a fact too.
    for (const LengthMark& m : data_.marks) right = std::max(right, m.maxLength * 1.04);
    x->setRange(0, right);
    x->applyNiceNumbers();
    y->setRange(0, yTop);
    y->applyNiceNumbers();
    note_->place();
}

} // namespace bertbench::ui

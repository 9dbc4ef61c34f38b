#include "ui/charts/BreakdownBarChart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QLegendMarker>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>

#include "ui/charts/CategoryColors.h"
#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"

namespace bertbench::ui {

BreakdownBarChart::BreakdownBarChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 10.5);
    // On the right, one entry a line: a row under the plot would cut the long names
    // ("other (launch overhead, gaps)") in a narrow window.
    legend()->setAlignment(Qt::AlignRight);
    note_ = new PlotNote(this);
}

void BreakdownBarChart::setBreakdown(const CellBreakdown& breakdown) {
    data_ = breakdown;
    clearSeriesAndAxes(this);
    setFittedTitle(this, data_.title, data_.subtitle);

    // Qt draws the first category at the bottom; the baseline reads best on top.
    std::vector<const BreakdownBar*> order;
    for (auto it = data_.bars.rbegin(); it != data_.bars.rend(); ++it) order.push_back(&*it);

    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.62);
    const auto& categories = breakdownCategories();
    for (size_t c = 0; c < categories.size(); ++c) {
        // Short names keep the legend on one line; "other" keeps its full meaning.
        const bool other = categories[c].name == QLatin1String("other");
        auto* set = new QBarSet(other ? categories[c].label : categories[c].shortLabel);
        set->setBrush(categoryBrush(categories[c].name));
        set->setBorderColor(other ? QColor(0x80, 0x80, 0x80) : QColor(Qt::white));
        for (const BreakdownBar* bar : order) *set << (bar->state == BreakdownState::Measured ? bar->ms[c] : 0.0);
        series->append(set);
    }
    connect(series, &QHorizontalStackedBarSeries::hovered, this, [this, order](bool on, int index, QBarSet*) {
        setToolTip(on && index >= 0 && index < int(order.size()) ? order[size_t(index)]->tooltip : QString());
    });
    addSeries(series);

    auto* median = new QScatterSeries;
    median->setName(QStringLiteral("forward median"));
    median->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
    median->setMarkerSize(13);
    median->setColor(QColor(0x20, 0x20, 0x20));
    median->setBorderColor(Qt::white);
    double maxMs = 0;
    QStringList labels;
    for (size_t i = 0; i < order.size(); ++i) {
        const BreakdownBar& bar = *order[i];
        QString label = bar.backend + (bar.isBaseline ? QStringLiteral(" (baseline)") : QString());
        if (bar.state == BreakdownState::Measured) {
            // The time on a line of its own (axis labels are rich text): the backend's name
            // alone sets the axis' width, narrow enough for a narrow window.
            label += QStringLiteral("<br>%1 ms").arg(bar.forwardMs, 0, 'f', bar.forwardMs < 10 ? 2 : 1);
            if (bar.throttled) label += QStringLiteral(" ⚠ throttled");
            // Parts past the median: the one profiling forward was slower than the timed ones.
            if (bar.otherMs < -0.05 * bar.forwardMs)
                label += QStringLiteral("<br>(profiling forward +%1 ms)").arg(-bar.otherMs, 0, 'f', bar.forwardMs < 10 ? 2 : 1);
            *median << QPointF(bar.forwardMs, double(i));
            maxMs = std::max({maxMs, bar.forwardMs, bar.sumMs});
        } else {
            label += QStringLiteral("<br>") + toDisplayString(bar.state);
        }
        labels << label;
    }
    addSeries(median);

    auto* y = new QBarCategoryAxis;
    y->append(labels);
    auto* x = new QValueAxis;
    x->setTitleText(QStringLiteral("ms per forward"));
    x->setRange(0, maxMs > 0 ? maxMs * 1.08 : 1);
    x->applyNiceNumbers();
    x->setLabelFormat(QStringLiteral("%.3g"));
    addAxis(y, Qt::AlignLeft);
    addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(y);
    median->attachAxis(x);
    median->attachAxis(y);

    // Categories a backend never ran (padding on the padded path, head on the encoder) would
    // only crowd the legend.
    const auto markers = legend()->markers(series);
    for (size_t c = 0; c < categories.size() && c < size_t(markers.size()); ++c) {
        const bool used = std::any_of(data_.bars.begin(), data_.bars.end(),
                                      [c](const BreakdownBar& b) { return b.state == BreakdownState::Measured && b.ms[c] > 0; });
        markers[qsizetype(c)]->setVisible(used);
    }
    // Nothing measured: no scale or legend to read.
    legend()->setVisible(data_.anyMeasured());
    x->setLabelsVisible(data_.anyMeasured());
    if (!data_.anyMeasured()) x->setTitleText(QString());
    note_->setNote(data_.emptyNote(), !data_.anyMeasured());
}

} // namespace bertbench::ui

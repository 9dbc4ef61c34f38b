#include "ui/charts/ShareAreaChart.h"

#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/charts/CategoryColors.h"

namespace bertbench::ui {

ShareAreaChart::ShareAreaChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 9.5);
    legend()->hide();
    note_ = new PlotNote(this);
}

void ShareAreaChart::setShares(const BreakdownShares& shares) {
    data_ = shares;
    clearSeriesAndAxes(this);
    setFittedTitle(this, data_.title, data_.subtitle, 8);

    // x = the batch size's index, labelled with the batch size: even spacing, like the heatmaps.
    const int n = int(data_.batchSizes.size());
    auto* x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (int i = 0; i < n; ++i) x->append(QString::number(data_.batchSizes[size_t(i)]), i);
    x->setRange(0, std::max(1, n - 1));
    x->setTitleText(QStringLiteral("batch size"));
    auto* y = new QValueAxis;
    y->setRange(0, 100);
    y->setTickCount(6);
    y->setLabelFormat(QStringLiteral("%d %"));
    // Short: the vertical title of a low chart has little room, and the chart's title says
    // "shares of the forward".
    y->setTitleText(QStringLiteral("share"));
    addAxis(x, Qt::AlignBottom);
    addAxis(y, Qt::AlignLeft);

    // Stacking is drawing: each band lies on the ones before it, at the measured batch sizes.
    std::vector<double> below(size_t(n), 0.0);
    for (const ShareSeries& s : data_.series) {
        auto* lower = new QLineSeries;
        auto* upper = new QLineSeries;
        bool any = false;
        for (int i = 0; i < n; ++i) {
            const double share = s.share[size_t(i)];
            if (!std::isfinite(share)) continue;
            lower->append(i, below[size_t(i)] * 100);
            below[size_t(i)] += share;
            upper->append(i, below[size_t(i)] * 100);
            any = any || share > 0;
        }
        if (!any) {
            delete lower;
            delete upper;
            continue;
        }
        auto* area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(s.label);
        area->setBrush(categoryBrush(s.name));
        area->setPen(QPen(categoryColor(s.name).darker(130), 0.8));
        addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
    }
    note_->setNote(data_.emptyNote, data_.measuredPoints < 2);
}

} // namespace bertbench::ui

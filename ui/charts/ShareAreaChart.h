#pragma once
// The categories' shares of one backend's forward against batch size (stacked areas, 0–100 %),
// for one (seq len, pad): side by side for the baseline and the candidates, a growing attention
// band or a vanishing padding band reads at a glance. Colours follow CategoryColors; the
// legend is left to the bar chart beside it. Batch sizes without a breakdown are skipped; with
// none, the plot says why.
#include <QChart>

#include "ui/models/Breakdown.h"

namespace bertbench::ui {

class PlotNote;

class ShareAreaChart : public QChart {
    Q_OBJECT
public:
    explicit ShareAreaChart(QGraphicsItem* parent = nullptr);

    void setShares(const BreakdownShares& shares);
    const BreakdownShares& shares() const { return data_; }

private:
    BreakdownShares data_;
    PlotNote* note_ = nullptr;
};

} // namespace bertbench::ui

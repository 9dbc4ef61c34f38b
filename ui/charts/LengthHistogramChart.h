#pragma once
// A workload's length histogram: bars of examples per token-count bin, each max length of the
// sweep a dashed line with the share of examples it truncates in the legend. Shown in the Sweep
// panel's Workload section, in a finished run's Workload tab, and in the report figure.
#include <QChart>

#include "ui/models/LengthHistogram.h"

namespace bertbench::ui {

class PlotNote;

class LengthHistogramChart : public QChart {
    Q_OBJECT
public:
    explicit LengthHistogramChart(QGraphicsItem* parent = nullptr);
    void setHistogram(const LengthHistogramData& data);
    const LengthHistogramData& histogram() const { return data_; }
    // Smaller fonts and no title (the Sweep panel's narrow dock); the subtitle stays.
    void setCompact(bool compact) { compact_ = compact; }

private:
    LengthHistogramData data_;
    PlotNote* note_ = nullptr;
    bool compact_ = false;
};

} // namespace bertbench::ui

#pragma once
// A diverging colour scale (ColorBrewer RdBu, 11 classes interpolated): the neutral value
// (0 %, 0 points, a ratio of 1) is near-white, "better" runs blue, "worse" runs red.
//   Percent (speedup, memory saved):  t =  log2(1 + v/100) / log2(limit)   (higher is better)
//   PercentPoints (deltas):           t =  v / limit                        (higher is better)
//   Ratio (latency B/A):              t = −log2(v) / log2(limit)           (lower is better)
//   Agreement (% of decisions):       t = (v − 100) / limit, in [−1, 0]    (the worse half only)
// Percent and Ratio are coloured by the underlying ratio on a log scale, so "2× slower"
// (−50 %) is exactly as red as "2× faster" (+100 %) is blue. `limit` is a ratio for those
// two (≥ 1) and a number of points for PercentPoints.
#include <QColor>
#include <QString>
#include <vector>

#include "ui/models/HeatmapGrid.h"

namespace bertbench::ui {

class DivergingScale {
public:
    DivergingScale(ValueKind kind, double limit, Palette palette = Palette::RedBlue);

    ValueKind kind() const { return kind_; }
    Palette palette() const { return palette_; }
    double limit() const { return limit_; }
    // Position on the scale in [−1, bestPosition()]; −1 = worst colour, +1 = best.
    double position(double value) const;
    // The top of the bar: +1, or 0 (neutral) for Agreement, which cannot exceed 100 %.
    double bestPosition() const { return kind_ == ValueKind::Agreement ? 0.0 : 1.0; }
    QColor color(double value) const;
    static QColor colorAt(double position, Palette palette = Palette::RedBlue);
    // Black or white, whichever reads better on `background`.
    static QColor textColorOn(const QColor& background);

    // Values for the legend's ticks, from the bottom of the bar to its top, neutral among them.
    std::vector<double> ticks() const;
    QString tickLabel(double value) const;
    // The value at a bar position in [−1, bestPosition()] (inverse of position()).
    double valueAt(double position) const;

    // A "nice" limit covering the values (ratios 1.1, 1.25, 1.5, 2, 3, 4, 8 ...; points 1, 2, 5,
    // 10, 20, 25, 50, 100 ...; for Agreement, points below 100, at most 100). Empty input gives
    // the smallest limit.
    static double niceLimit(ValueKind kind, const std::vector<double>& values);

private:
    double roundNear(double value, double target) const;

    ValueKind kind_;
    double limit_;
    Palette palette_;
};

} // namespace bertbench::ui

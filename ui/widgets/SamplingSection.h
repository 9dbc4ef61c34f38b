#pragma once
// The Sweep panel's Sampling section: how many forwards each backend of a cell is timed for.
// Adaptive (the default): until the 95 % interval of its median is within ± the noise target,
// within a minimum and maximum time per cell; or a fixed count (the old script's mode: the
// "Timed batches" field). And whether a cell's backends are timed in alternating rounds.
#include <QWidget>

#include "core/sweep/SweepSpec.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
QT_END_NAMESPACE

namespace bertbench::ui {

class SamplingSection : public QWidget {
    Q_OBJECT
public:
    explicit SamplingSection(QWidget* parent = nullptr);

    // Shows the spec's sampling fields (max_noise_pct, min_time_s, max_time_s, interleave).
    void setSpec(const SweepSpec& spec);
    // Writes them into `spec` (fixed count: maxNoisePct 0, the times kept for when it is switched back).
    void apply(SweepSpec& spec) const;
    bool adaptive() const;

    QDoubleSpinBox* noiseField() const { return noise_; }
    QDoubleSpinBox* maxTimeField() const { return maxTime_; }

signals:
    void changed();

private:
    void updateEnabled();

    QComboBox* mode_ = nullptr;
    QDoubleSpinBox* noise_ = nullptr;
    QDoubleSpinBox* minTime_ = nullptr;
    QDoubleSpinBox* maxTime_ = nullptr;
    QLabel* times_ = nullptr;
    QCheckBox* interleave_ = nullptr;
};

} // namespace bertbench::ui

#include "ui/widgets/SamplingSection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace bertbench::ui {

namespace {

QDoubleSpinBox* seconds(const QString& name, double low) {
    auto* s = new QDoubleSpinBox;
    s->setObjectName(name);
    s->setRange(low, 86400);
    s->setDecimals(1);
    s->setSingleStep(0.5);
    s->setSuffix(QStringLiteral(" s"));
    return s;
}

} // namespace

SamplingSection::SamplingSection(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(3);

    auto* first = new QHBoxLayout;
    mode_ = new QComboBox;
    mode_->setObjectName(QStringLiteral("samplingMode"));
    mode_->addItem(tr("adaptive, to ±"));
    mode_->setItemData(0, tr("Each backend timed until its median is known to ± the share beside"), Qt::ToolTipRole);
    mode_->addItem(tr("fixed count"));
    mode_->setItemData(1, tr("Each backend timed for the Timed batches below"), Qt::ToolTipRole);
    // Its longest entry must not widen the Sweep panel (the window has to fit 1280 × 800).
    mode_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    mode_->setMinimumContentsLength(12);
    noise_ = new QDoubleSpinBox;
    noise_->setObjectName(QStringLiteral("maxNoisePct"));
    noise_->setRange(0.1, 100);
    noise_->setDecimals(1);
    noise_->setSingleStep(0.5);
    noise_->setSuffix(QStringLiteral(" %"));
    noise_->setToolTip(tr("Each backend is timed until the 95 % interval of its median is within ± this share "
                          "of it (--max-noise)"));
    first->addWidget(mode_, 1);
    first->addWidget(noise_);
    outer->addLayout(first);

    auto* second = new QHBoxLayout;
    times_ = new QLabel(tr("a cell"));
    minTime_ = seconds(QStringLiteral("minTimeS"), 0);
    minTime_->setToolTip(tr("Each cell is timed at least this long (--min-time)"));
    maxTime_ = seconds(QStringLiteral("maxTimeS"), 0.1);
    maxTime_->setToolTip(tr("A cell's timing stops after this long; each backend still gets the 7 forwards a "
                            "verdict needs (--max-time)"));
    second->addWidget(times_);
    second->addWidget(minTime_);
    second->addWidget(new QLabel(QStringLiteral("–")));
    second->addWidget(maxTime_);
    second->addStretch(1);
    outer->addLayout(second);

    // Short: the widest line of the Sweep panel sets its width, and the heatmaps need the room.
    interleave_ = new QCheckBox(tr("alternate rounds (A B C A B C …)"));
    interleave_->setObjectName(QStringLiteral("interleave"));
    interleave_->setToolTip(tr("Clock, thermal and power drift then fall on every backend alike; unticked, each "
                               "backend is timed all at once, one after the other (--sequential)"));
    outer->addWidget(interleave_);

    const auto changedNow = [this] {
        updateEnabled();
        emit changed();
    };
    connect(mode_, &QComboBox::currentIndexChanged, this, changedNow);
    for (QDoubleSpinBox* s : {noise_, minTime_, maxTime_}) connect(s, &QDoubleSpinBox::valueChanged, this, changedNow);
    connect(interleave_, &QCheckBox::toggled, this, changedNow);
    updateEnabled();
}

void SamplingSection::setSpec(const SweepSpec& spec) {
    const QSignalBlocker b0(mode_), b1(noise_), b2(minTime_), b3(maxTime_), b4(interleave_);
    mode_->setCurrentIndex(spec.maxNoisePct > 0 ? 0 : 1);
    noise_->setValue(spec.maxNoisePct > 0 ? spec.maxNoisePct : 2.0);
    minTime_->setValue(spec.minTimeS);
    maxTime_->setValue(spec.maxTimeS);
    interleave_->setChecked(spec.interleave);
    updateEnabled();
}

bool SamplingSection::adaptive() const { return mode_->currentIndex() == 0; }

void SamplingSection::apply(SweepSpec& spec) const {
    spec.maxNoisePct = adaptive() ? noise_->value() : 0;
    spec.minTimeS = minTime_->value();
    spec.maxTimeS = maxTime_->value();
    spec.interleave = interleave_->isChecked();
}

void SamplingSection::updateEnabled() {
    const bool on = adaptive();
    for (QWidget* w : std::initializer_list<QWidget*>{noise_, minTime_, maxTime_, times_}) w->setEnabled(on);
}

} // namespace bertbench::ui

#include "ui/widgets/SweepPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "core/model/ModelConfig.h"
#include "ui/models/RowText.h"
#include "ui/widgets/FormFields.h"
#include "ui/widgets/RunSettingsSection.h"
#include "ui/widgets/SamplingSection.h"
#include "ui/widgets/SpecFieldParsing.h"
#include "ui/widgets/SpecFiles.h"
#include "ui/widgets/SpecPresets.h"
#include "ui/widgets/WorkloadSection.h"

namespace bertbench::ui {

SweepPanel::SweepPanel(const BackendRegistry& registry, QWidget* parent) : QWidget(parent), registry_(registry) {
    build();
    setSpec(defaultSpec());
}

SweepPanel::~SweepPanel() = default;

void SweepPanel::setSpec(const SweepSpec& spec) {
    loading_ = true;
    spec_ = spec;
    QStringList models;
    for (const std::string& m : spec.models) models << qstr(m);
    model_->setCurrentText(models.join(QStringLiteral(", ")));
    for (auto it = tasks_.begin(); it != tasks_.end(); ++it)
        it.value()->setChecked(std::find(spec.tasks.begin(), spec.tasks.end(), it.key()) != spec.tasks.end());
    setBackends(spec);
    dtype_->setCurrentIndex(dtype_->findData(int(spec.dtype)));
    baselineDtype_->setCurrentIndex(baselineDtype_->findData(spec.baselineDType ? int(*spec.baselineDType) : -1));
    batchSizes_->setText(joinList(spec.batchSizes));
    seqLens_->setText(joinList(spec.seqLens));
    pads_->setText(joinList(spec.pads));
    workload_->setWorkload(spec.workload);
    stdev_->setValue(spec.seqlenStdev);
    warmup_->setValue(spec.warmup);
    numBatches_->setValue(spec.numBatches);
    sampling_->setSpec(spec);
    numBatches_->setEnabled(!sampling_->adaptive());
    seed_->setText(QString::number(spec.seed));
    cudaGraphs_->setChecked(spec.cudaGraphs);
    memoryLimit_->setValue(int(std::min<int64_t>(spec.memoryLimitMb, memoryLimit_->maximum())));
    cellTimeout_->setValue(spec.cellTimeoutS);
    loading_ = false;
    validateNow();
    emit specChanged();
}

// The registry's backends, plus any the spec names that this build lacks (flagged by validation).
void SweepPanel::setBackends(const SweepSpec& spec) {
    QStringList names;
    for (const std::string& n : registry_.names()) names << qstr(n);
    QStringList all = names;
    if (!all.contains(qstr(spec.baseline))) all << qstr(spec.baseline);
    for (const std::string& c : spec.candidates)
        if (!all.contains(qstr(c))) all << qstr(c);
    // A backend this machine cannot run (torch:* without torch, ...) is listed, greyed, with why.
    const auto whyNot = [&](const QString& n) {
        const BackendInfo* info = registry_.find(n.toStdString());
        return info ? qstr(info->unavailableReason) : QString();
    };
    const auto label = [&](const QString& n) {
        if (!names.contains(n)) return n + tr(" (not in this build)");
        return whyNot(n).isEmpty() ? n : n + tr(" (unavailable here)");
    };

    baseline_->clear();
    for (const QString& n : all) {
        baseline_->addItem(label(n), n);
        // Greyed in the list like the candidates (a loaded spec's choice stays selectable).
        if (const QString why = whyNot(n); !why.isEmpty()) {
            const int row = baseline_->count() - 1;
            baseline_->setItemData(row, tr("Unavailable on this machine: %1").arg(why), Qt::ToolTipRole);
            if (auto* model = qobject_cast<QStandardItemModel*>(baseline_->model()); model && n != qstr(spec.baseline))
                model->item(row)->setEnabled(false);
        }
    }
    baseline_->setCurrentIndex(int(all.indexOf(qstr(spec.baseline))));

    qDeleteAll(candidates_);
    candidates_.clear();
    for (const QString& n : all) {
        auto* box = new QCheckBox(label(n));
        box->setObjectName(QStringLiteral("candidate_") + n);
        box->setProperty("backend", n);
        box->setChecked(std::find(spec.candidates.begin(), spec.candidates.end(), n.toStdString()) != spec.candidates.end());
        if (const BackendInfo* info = registry_.find(n.toStdString())) box->setToolTip(qstr(info->description));
        if (const QString why = whyNot(n); !why.isEmpty()) {
            box->setToolTip(tr("Unavailable on this machine: %1").arg(why));
            box->setEnabled(box->isChecked());   // a loaded spec's choice stays visible and can be unticked
        }
        connect(box, &QCheckBox::toggled, this, [this] { scheduleValidation(); });
        candidatesBox_->layout()->addWidget(box);
        candidates_ << box;
    }
}

void SweepPanel::setRunning(bool running) {
    running_ = running;
    run_->setEnabled(isValid() && !running_);
    stop_->setEnabled(running_);
}

void SweepPanel::scheduleValidation() {
    if (loading_ || validationQueued_) return;
    validationQueued_ = true;
    QTimer::singleShot(0, this, [this] {
        if (!validationQueued_) return;
        validateNow();
        emit specChanged();
    });
}

SweepSpec SweepPanel::readForm() {
    SweepSpec s = spec_;
    QString problem;
    s.models = parseModelList(model_->currentText());
    s.tasks.clear();
    for (Task t : allTasks())
        if (tasks_[t]->isChecked()) s.tasks.push_back(t);
    s.baseline = baseline_->currentData().toString().toStdString();
    s.candidates.clear();
    for (QCheckBox* box : candidates_)
        if (box->isChecked()) s.candidates.push_back(box->property("backend").toString().toStdString());
    s.dtype = DType(dtype_->currentData().toInt());
    const int baselineDtype = baselineDtype_->currentData().toInt();
    s.baselineDType = baselineDtype < 0 ? std::nullopt : std::optional<DType>(DType(baselineDtype));
    if (s.tasks.empty()) problems_[QStringLiteral("tasks")] = tr("choose at least one task");
    if (s.candidates.empty()) problems_[QStringLiteral("candidates")] = tr("choose at least one candidate");

    // A field that does not parse keeps its previous value in `s`.
    if (auto v = parseInts(batchSizes_->text(), &problem)) s.batchSizes = *v;
    else problems_[QStringLiteral("batch_sizes")] = problem;
    if (auto v = parseInts(seqLens_->text(), &problem)) s.seqLens = *v;
    else problems_[QStringLiteral("seq_lens")] = problem;
    if (auto v = parseDoubles(pads_->text(), &problem)) s.pads = *v;
    else problems_[QStringLiteral("pads")] = problem;
    s.seqlenStdev = stdev_->value();
    // A data workload gives the lengths and the padding: the pads and the stdev do not apply.
    s.workload = workload_->workload();
    pads_->setEnabled(!s.workload.isData());
    stdev_->setEnabled(!s.workload.isData());
    if (s.workload.isData()) problems_.remove(QStringLiteral("pads"));
    s.warmup = warmup_->value();
    s.numBatches = numBatches_->value();
    sampling_->apply(s);
    bool seedOk = false;
    const qulonglong seed = seed_->text().trimmed().toULongLong(&seedOk);
    if (seedOk) s.seed = seed;
    else problems_[QStringLiteral("seed")] = tr("“%1” is not a whole number from 0 to 2^64 − 1").arg(seed_->text());
    s.cudaGraphs = cudaGraphs_->isChecked();
    s.memoryLimitMb = memoryLimit_->value();
    s.cellTimeoutS = cellTimeout_->value();
    return s;
}

void SweepPanel::validateNow() {
    validationQueued_ = false;
    const bool wasValid = isValid();
    problems_.clear();
    QString modelProblem;
    const int maxPositions = modelLimits_.maxPositions(model_->currentText().trimmed(), &modelProblem);
    if (!modelProblem.isEmpty()) problems_[QStringLiteral("model")] = modelProblem;
    const SweepSpec s = readForm();
    addSpecProblems(s, maxPositions, registry_, problems_, modelLimits_.configs());
    workload_->refresh(s.models, s.seqLens);
    if (!workload_->problem().isEmpty() && !problems_.contains(QStringLiteral("workload")))
        problems_[QStringLiteral("workload")] = workload_->problem();
    spec_ = s;
    fields_->show(problems_);
    summary_->setText(sweepSizeText(s));

    run_->setEnabled(isValid() && !running_);
    run_->setToolTip(isValid() ? tr("Run this sweep") : tr("Fix the marked fields first"));
    if (wasValid != isValid()) emit validityChanged(isValid());
}

void SweepPanel::applyPreset(int index) {
    const std::vector<SpecPreset> presets = loadSpecPresets();
    if (index <= 0 || index > int(presets.size())) return;
    setSpec(presets[size_t(index - 1)].spec);
}

void SweepPanel::browseModel() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("HuggingFace checkpoint folder"));
    if (!dir.isEmpty()) model_->setCurrentText(dir);
}

void SweepPanel::loadSpec() {
    if (const std::optional<SweepSpec> spec = openSpecDialog(this)) setSpec(*spec);
}

void SweepPanel::saveSpec() {
    validateNow();
    saveSpecDialog(this, spec_);
}

} // namespace bertbench::ui

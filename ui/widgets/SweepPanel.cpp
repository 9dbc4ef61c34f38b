#include "ui/widgets/SweepPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

#include "core/model/ModelConfig.h"
#include "core/sweep/SpecJson.h"
#include "ui/models/RowText.h"
#include "ui/widgets/SpecPresets.h"

namespace bertbench::ui {
namespace {

QStringList splitList(const QString& text) {
    static const QRegularExpression sep(QStringLiteral("[,;\\s]+"));
    return text.split(sep, Qt::SkipEmptyParts);
}

// "1, 2 4;8" → {1, 2, 4, 8}. `parse(item, &ok)` converts one item.
template <typename T, typename Parse>
std::optional<std::vector<T>> parseList(const QString& text, QString* problem, Parse parse, const QString& kind,
                                        const QString& example) {
    std::vector<T> out;
    const QStringList items = splitList(text);
    for (int i = 0; i < items.size(); ++i) {
        bool ok = false;
        const T v = parse(items[i], &ok);
        if (!ok) {
            *problem = QStringLiteral("“%1” (item %2) is not %3").arg(items[i]).arg(i + 1).arg(kind);
            return std::nullopt;
        }
        out.push_back(v);
    }
    if (out.empty()) {
        *problem = QStringLiteral("enter at least one value, e.g. ") + example;
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<int>> parseInts(const QString& text, QString* problem) {
    return parseList<int>(text, problem, [](const QString& s, bool* ok) { return s.toInt(ok); },
                          QStringLiteral("a whole number"), QStringLiteral("1, 2, 4, 8"));
}

std::optional<std::vector<double>> parseDoubles(const QString& text, QString* problem) {
    return parseList<double>(text, problem, [](const QString& s, bool* ok) { return s.toDouble(ok); },
                             QStringLiteral("a number"), QStringLiteral("0, 0.1, 0.5"));
}

template <typename T>
QString joinList(const std::vector<T>& values) {
    QStringList parts;
    for (const T& v : values) parts << QString::number(v, 'g', 6);
    return parts.join(QStringLiteral(", "));
}

// "batch_sizes[2]" → "batch_sizes"
QString fieldKey(const std::string& field) {
    QString f = qstr(field);
    const qsizetype cut = f.indexOf(QRegularExpression(QStringLiteral("[\\[.]")));
    return cut < 0 ? f : f.left(cut);
}

void setInvalid(QWidget* w, bool invalid) {
    if (!w || w->property("invalid").toBool() == invalid) return;
    w->setProperty("invalid", invalid);
    w->style()->unpolish(w);
    w->style()->polish(w);
}

} // namespace

SweepPanel::SweepPanel(const BackendRegistry& registry, QWidget* parent) : QWidget(parent), registry_(registry) {
    build();
    setSpec(defaultSpec());
}

void SweepPanel::build() {
    setStyleSheet(QStringLiteral("QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"], "
                                 "QSpinBox[invalid=\"true\"], QDoubleSpinBox[invalid=\"true\"] "
                                 "{ border: 1px solid #c62828; border-radius: 2px; padding: 1px; }"
                                 "QWidget#candidates[invalid=\"true\"], QWidget#tasks[invalid=\"true\"] "
                                 "{ border: 1px solid #c62828; }"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);

    // Presets and spec files.
    auto* presetRow = new QHBoxLayout;
    presets_ = new QComboBox;
    presets_->setObjectName(QStringLiteral("presets"));
    presets_->addItem(tr("Presets…"));
    for (const SpecPreset& p : loadSpecPresets()) {
        presets_->addItem(p.name);
        presets_->setItemData(presets_->count() - 1, p.description, Qt::ToolTipRole);
    }
    presets_->setToolTip(tr("Fill the form with a ready-made sweep"));
    connect(presets_, &QComboBox::activated, this, &SweepPanel::applyPreset);
    auto* load = new QToolButton;
    load->setText(tr("Open…"));
    load->setToolTip(tr("Load a sweep spec (JSON)"));
    connect(load, &QToolButton::clicked, this, &SweepPanel::loadSpec);
    auto* save = new QToolButton;
    save->setText(tr("Save…"));
    save->setToolTip(tr("Save this sweep spec as JSON (bertbench-cli run --spec FILE runs it too)"));
    connect(save, &QToolButton::clicked, this, &SweepPanel::saveSpec);
    presetRow->addWidget(presets_, 1);
    presetRow->addWidget(load);
    presetRow->addWidget(save);
    outer->addLayout(presetRow);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    outer->addLayout(form);

    const auto addField = [&](const QString& label, QWidget* field, const QString& key, const QString& tip) {
        field->setToolTip(tip);
        form->addRow(label, field);
        auto* error = new QLabel;
        error->setObjectName(QStringLiteral("error_") + key);
        error->setWordWrap(true);
        error->setStyleSheet(QStringLiteral("color: #b3261e;"));
        error->hide();
        form->addRow(QString(), error);
        errorLabels_[key] = error;
        fieldWidgets_[key] = field;
    };
    const auto changed = [this] { scheduleValidation(); };

    // Model: a preset or a checkpoint folder.
    auto* modelRow = new QWidget;
    auto* modelLayout = new QHBoxLayout(modelRow);
    modelLayout->setContentsMargins(0, 0, 0, 0);
    model_ = new QComboBox;
    model_->setObjectName(QStringLiteral("model"));
    model_->setEditable(true);
    for (const std::string& name : presetNames()) model_->addItem(qstr(name));
    connect(model_, &QComboBox::currentTextChanged, this, changed);
    auto* browse = new QToolButton;
    browse->setText(tr("Folder…"));
    browse->setToolTip(tr("A HuggingFace checkpoint folder (config.json + model.safetensors)"));
    connect(browse, &QToolButton::clicked, this, &SweepPanel::browseModel);
    modelLayout->addWidget(model_, 1);
    modelLayout->addWidget(browse);
    addField(tr("Model"), modelRow, QStringLiteral("model"),
             tr("A preset (random weights from the seed) or a HuggingFace checkpoint folder"));
    fieldWidgets_[QStringLiteral("model")] = model_;

    auto* taskBox = new QWidget;
    taskBox->setObjectName(QStringLiteral("tasks"));
    auto* taskLayout = new QGridLayout(taskBox);
    taskLayout->setContentsMargins(2, 2, 2, 2);
    taskLayout->setVerticalSpacing(2);
    int i = 0;
    for (Task t : allTasks()) {
        auto* box = new QCheckBox(qstr(toString(t)));
        box->setObjectName(QStringLiteral("task_") + qstr(toString(t)));
        connect(box, &QCheckBox::toggled, this, changed);
        tasks_[t] = box;
        taskLayout->addWidget(box, i / 2, i % 2);
        ++i;
    }
    addField(tr("Tasks"), taskBox, QStringLiteral("tasks"),
             tr("encoder = bare BertModel (the old script's \"mlm\"); mlm adds the vocabulary head"));

    baseline_ = new QComboBox;
    baseline_->setObjectName(QStringLiteral("baseline"));
    connect(baseline_, &QComboBox::currentIndexChanged, this, changed);
    addField(tr("Baseline"), baseline_, QStringLiteral("baseline"),
             tr("Measured in every cell; every candidate is compared with it"));

    candidatesBox_ = new QWidget;
    candidatesBox_->setObjectName(QStringLiteral("candidates"));
    auto* candLayout = new QVBoxLayout(candidatesBox_);
    candLayout->setContentsMargins(2, 2, 2, 2);
    candLayout->setSpacing(2);
    addField(tr("Candidates"), candidatesBox_, QStringLiteral("candidates"),
             tr("The backends this build and machine offer"));

    dtype_ = new QComboBox;
    dtype_->setObjectName(QStringLiteral("dtype"));
    for (DType d : {DType::Float32, DType::Float16, DType::BFloat16})
        dtype_->addItem(qstr(toString(d)), int(d));
    connect(dtype_, &QComboBox::currentIndexChanged, this, changed);
    addField(tr("Data type"), dtype_, QStringLiteral("dtype"), tr("fp32 on the CPU; fp16/bf16 on the GPU"));

    const auto lineEdit = [&](const QString& name) {
        auto* e = new QLineEdit;
        e->setObjectName(name);
        connect(e, &QLineEdit::textChanged, this, changed);
        return e;
    };
    batchSizes_ = lineEdit(QStringLiteral("batchSizes"));
    addField(tr("Batch sizes"), batchSizes_, QStringLiteral("batch_sizes"), tr("Comma-separated, e.g. 1, 2, 4, 8"));
    seqLens_ = lineEdit(QStringLiteral("seqLens"));
    addField(tr("Max seq lens"), seqLens_, QStringLiteral("seq_lens"),
             tr("Padded sequence lengths, up to the model's max positions"));
    pads_ = lineEdit(QStringLiteral("pads"));
    addField(tr("Pad fractions"), pads_, QStringLiteral("pads"),
             tr("Share of padding per batch, in [0, 1): mean length = (1 − pad) × max seq len"));

    stdev_ = new QDoubleSpinBox;
    stdev_->setObjectName(QStringLiteral("seqlenStdev"));
    stdev_->setRange(-1, 10000);
    stdev_->setDecimals(1);
    connect(stdev_, &QDoubleSpinBox::valueChanged, this, changed);
    addField(tr("Length stdev"), stdev_, QStringLiteral("seqlen_stdev"),
             tr("Standard deviation of the per-row lengths, in tokens"));

    warmup_ = new QSpinBox;
    warmup_->setObjectName(QStringLiteral("warmup"));
    warmup_->setRange(-1, 100000);
    connect(warmup_, &QSpinBox::valueChanged, this, changed);
    addField(tr("Warm-up batches"), warmup_, QStringLiteral("warmup"), tr("Untimed forwards before timing"));

    numBatches_ = new QSpinBox;
    numBatches_->setObjectName(QStringLiteral("numBatches"));
    numBatches_->setRange(-1, 1000000);
    connect(numBatches_, &QSpinBox::valueChanged, this, changed);
    addField(tr("Timed batches"), numBatches_, QStringLiteral("num_batches"),
             tr("Timed forwards per backend per cell (median, p10, p90 come from these)"));

    seed_ = lineEdit(QStringLiteral("seed"));
    addField(tr("Seed"), seed_, QStringLiteral("seed"), tr("Weights and batches are reproducible from it"));

    cudaGraphs_ = new QCheckBox(tr("capture forwards in CUDA graphs"));
    cudaGraphs_->setObjectName(QStringLiteral("cudaGraphs"));
    connect(cudaGraphs_, &QCheckBox::toggled, this, changed);
    addField(tr("CUDA graphs"), cudaGraphs_, QStringLiteral("cuda_graphs"), tr("GPU backends only"));

    memoryLimit_ = new QSpinBox;
    memoryLimit_->setObjectName(QStringLiteral("memoryLimitMb"));
    memoryLimit_->setRange(0, 10000000);
    memoryLimit_->setSpecialValueText(tr("none"));
    memoryLimit_->setSuffix(tr(" MB"));
    connect(memoryLimit_, &QSpinBox::valueChanged, this, changed);
    addField(tr("Memory limit"), memoryLimit_, QStringLiteral("memory_limit_mb"),
             tr("Allocations past it fail as OOM (0 = none)"));

    cellTimeout_ = new QDoubleSpinBox;
    cellTimeout_->setObjectName(QStringLiteral("cellTimeoutS"));
    cellTimeout_->setRange(0, 1e6);
    cellTimeout_->setDecimals(0);
    cellTimeout_->setSpecialValueText(tr("none"));
    cellTimeout_->setSuffix(tr(" s"));
    connect(cellTimeout_, &QDoubleSpinBox::valueChanged, this, changed);
    addField(tr("Cell timeout"), cellTimeout_, QStringLiteral("cell_timeout_s"), tr("0 = none"));

    generalError_ = new QLabel;
    generalError_->setObjectName(QStringLiteral("error_general"));
    generalError_->setWordWrap(true);
    generalError_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    generalError_->hide();
    outer->addWidget(generalError_);

    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setWordWrap(true);
    summary_->setStyleSheet(QStringLiteral("color: #555;"));
    outer->addWidget(summary_);

    auto* buttons = new QHBoxLayout;
    run_ = new QPushButton(tr("Run"));
    run_->setObjectName(QStringLiteral("run"));
    run_->setDefault(true);
    run_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    connect(run_, &QPushButton::clicked, this, [this] {
        validateNow();
        if (isValid() && !running_) emit runRequested();
    });
    stop_ = new QPushButton(tr("Stop"));
    stop_->setObjectName(QStringLiteral("stop"));
    stop_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    stop_->setEnabled(false);
    connect(stop_, &QPushButton::clicked, this, &SweepPanel::stopRequested);
    buttons->addWidget(run_, 1);
    buttons->addWidget(stop_, 1);
    outer->addLayout(buttons);
    outer->addStretch(1);
}

void SweepPanel::setSpec(const SweepSpec& spec) {
    loading_ = true;
    spec_ = spec;
    model_->setCurrentText(qstr(spec.model));
    for (auto it = tasks_.begin(); it != tasks_.end(); ++it)
        it.value()->setChecked(std::find(spec.tasks.begin(), spec.tasks.end(), it.key()) != spec.tasks.end());

    // Backends: the registry's, plus any the spec names that this build lacks (flagged by validation).
    QStringList names;
    for (const std::string& n : registry_.names()) names << qstr(n);
    QStringList all = names;
    if (!all.contains(qstr(spec.baseline))) all << qstr(spec.baseline);
    for (const std::string& c : spec.candidates)
        if (!all.contains(qstr(c))) all << qstr(c);

    baseline_->clear();
    for (const QString& n : all)
        baseline_->addItem(names.contains(n) ? n : n + tr(" (not in this build)"), n);
    baseline_->setCurrentIndex(int(all.indexOf(qstr(spec.baseline))));

    qDeleteAll(candidates_);
    candidates_.clear();
    for (const QString& n : all) {
        auto* box = new QCheckBox(names.contains(n) ? n : n + tr(" (not in this build)"));
        box->setObjectName(QStringLiteral("candidate_") + n);
        box->setProperty("backend", n);
        box->setChecked(std::find(spec.candidates.begin(), spec.candidates.end(), n.toStdString()) !=
                        spec.candidates.end());
        if (const BackendInfo* info = registry_.find(n.toStdString())) box->setToolTip(qstr(info->description));
        connect(box, &QCheckBox::toggled, this, [this] { scheduleValidation(); });
        candidatesBox_->layout()->addWidget(box);
        candidates_ << box;
    }

    dtype_->setCurrentIndex(dtype_->findData(int(spec.dtype)));
    batchSizes_->setText(joinList(spec.batchSizes));
    seqLens_->setText(joinList(spec.seqLens));
    pads_->setText(joinList(spec.pads));
    stdev_->setValue(spec.seqlenStdev);
    warmup_->setValue(spec.warmup);
    numBatches_->setValue(spec.numBatches);
    seed_->setText(QString::number(spec.seed));
    cudaGraphs_->setChecked(spec.cudaGraphs);
    memoryLimit_->setValue(int(std::min<int64_t>(spec.memoryLimitMb, memoryLimit_->maximum())));
    cellTimeout_->setValue(spec.cellTimeoutS);
    loading_ = false;
    validateNow();
    emit specChanged();
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

int SweepPanel::maxPositionsFor(const QString& model, QString* problem) {
    if (model == cachedModel_) {
        *problem = cachedModelProblem_;
        return cachedPositions_;
    }
    int positions = 0;
    QString issue;
    const std::string name = model.toStdString();
    try {
        if (model.isEmpty()) issue = tr("choose a preset or a checkpoint folder");
        else if (isPreset(name)) positions = presetConfig(name).maxPositions;
        else if (QFileInfo(model).isDir())
            positions = loadHfConfig(QDir(model).filePath(QStringLiteral("config.json")).toStdString()).maxPositions;
        else {
            QStringList presets;
            for (const std::string& p : presetNames()) presets << qstr(p);
            issue = tr("“%1” is neither a preset (%2) nor a checkpoint folder").arg(model, presets.join(QStringLiteral(", ")));
        }
    } catch (const std::exception& e) {
        issue = qstr(e.what());
    }
    cachedModel_ = model;
    cachedPositions_ = positions;
    cachedModelProblem_ = issue;
    *problem = issue;
    return positions;
}

void SweepPanel::validateNow() {
    validationQueued_ = false;
    const bool wasValid = isValid();
    problems_.clear();
    SweepSpec s = spec_;
    QString problem;

    s.model = model_->currentText().trimmed().toStdString();
    const int maxPositions = maxPositionsFor(model_->currentText().trimmed(), &problem);
    if (!problem.isEmpty()) problems_[QStringLiteral("model")] = problem;

    s.tasks.clear();
    for (Task t : allTasks())
        if (tasks_[t]->isChecked()) s.tasks.push_back(t);
    s.baseline = baseline_->currentData().toString().toStdString();
    s.candidates.clear();
    for (QCheckBox* box : candidates_)
        if (box->isChecked()) s.candidates.push_back(box->property("backend").toString().toStdString());
    s.dtype = DType(dtype_->currentData().toInt());
    if (s.tasks.empty()) problems_[QStringLiteral("tasks")] = tr("choose at least one task");
    if (s.candidates.empty()) problems_[QStringLiteral("candidates")] = tr("choose at least one candidate");

    if (auto v = parseInts(batchSizes_->text(), &problem)) s.batchSizes = *v;
    else problems_[QStringLiteral("batch_sizes")] = problem;
    if (auto v = parseInts(seqLens_->text(), &problem)) s.seqLens = *v;
    else problems_[QStringLiteral("seq_lens")] = problem;
    if (auto v = parseDoubles(pads_->text(), &problem)) s.pads = *v;
    else problems_[QStringLiteral("pads")] = problem;
    s.seqlenStdev = stdev_->value();
    s.warmup = warmup_->value();
    s.numBatches = numBatches_->value();
    bool seedOk = false;
    const qulonglong seed = seed_->text().trimmed().toULongLong(&seedOk);
    if (seedOk) s.seed = seed;
    else problems_[QStringLiteral("seed")] = tr("“%1” is not a whole number from 0 to 2^64 − 1").arg(seed_->text());
    s.cudaGraphs = cudaGraphs_->isChecked();
    s.memoryLimitMb = memoryLimit_->value();
    s.cellTimeoutS = cellTimeout_->value();

    // A field that did not parse keeps its old value in `s`: core's word on it would be about
    // the old value, so the parse message stands alone.
    const QStringList parseProblems = problems_.keys();
    for (const SpecProblem& p : validateSpec(s, maxPositions, registry_.names())) {
        const QString key = fieldKey(p.field);
        if (parseProblems.contains(key)) continue;
        QString& text = problems_[key];
        const QString line = qstr(p.message);
        if (text.contains(line) || text.count(QLatin1Char('\n')) >= 3) continue;   // a few per field
        text = text.isEmpty() ? line : text + QLatin1Char('\n') + line;
    }
    // Backends that cannot run this dtype.
    const auto checkDtype = [&](const std::string& name, const QString& key) {
        const BackendInfo* info = registry_.find(name);
        if (!info || info->dtypes.empty() || problems_.contains(key)) return;
        if (std::find(info->dtypes.begin(), info->dtypes.end(), s.dtype) != info->dtypes.end()) return;
        QStringList ok;
        for (DType d : info->dtypes) ok << qstr(toString(d));
        problems_[key] = tr("%1 does not run %2 (it runs %3)").arg(qstr(name), qstr(toString(s.dtype)), ok.join(QStringLiteral(", ")));
    };
    checkDtype(s.baseline, QStringLiteral("baseline"));
    for (const std::string& c : s.candidates) checkDtype(c, QStringLiteral("candidates"));

    spec_ = s;
    showProblems();

    const qint64 cells = qint64(s.tasks.size()) * qint64(s.batchSizes.size()) * qint64(s.seqLens.size()) *
                         qint64(s.pads.size());
    const qint64 forwards = cells * qint64(1 + s.candidates.size()) * qint64(std::max(0, s.warmup + s.numBatches));
    summary_->setText(tr("%1 cells × %2 backends · %3 forward passes").arg(cells).arg(1 + s.candidates.size()).arg(forwards));

    run_->setEnabled(isValid() && !running_);
    run_->setToolTip(isValid() ? tr("Run this sweep") : tr("Fix the marked fields first"));
    if (wasValid != isValid()) emit validityChanged(isValid());
}

void SweepPanel::showProblems() {
    QStringList general;
    for (auto it = problems_.begin(); it != problems_.end(); ++it)
        if (!errorLabels_.contains(it.key())) general << it.key() + QStringLiteral(": ") + it.value();
    for (auto it = errorLabels_.begin(); it != errorLabels_.end(); ++it) {
        const QString text = problems_.value(it.key());
        it.value()->setText(text);
        it.value()->setVisible(!text.isEmpty());
        setInvalid(fieldWidgets_.value(it.key()), !text.isEmpty());
    }
    generalError_->setText(general.join(QLatin1Char('\n')));
    generalError_->setVisible(!general.isEmpty());
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
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open sweep spec"),
                                                      settings.value(QStringLiteral("specDir")).toString(),
                                                      tr("Sweep specs (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("specDir"), QFileInfo(path).absolutePath());
    try {
        setSpec(loadSpecFile(path.toStdString()));
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Open sweep spec"), qstr(e.what()));
    }
}

void SweepPanel::saveSpec() {
    QSettings settings;
    QString path = QFileDialog::getSaveFileName(this, tr("Save sweep spec"),
                                                QDir(settings.value(QStringLiteral("specDir")).toString())
                                                    .filePath(QStringLiteral("sweep.json")),
                                                tr("Sweep specs (*.json)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
    settings.setValue(QStringLiteral("specDir"), QFileInfo(path).absolutePath());
    try {
        validateNow();
        saveSpecFile(spec_, path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Save sweep spec"), qstr(e.what()));
    }
}

} // namespace bertbench::ui

// SweepPanel's widgets and their layout: preset row, backend, grid and timing fields, machine
// settings, buttons. SweepPanel.cpp moves a spec in and out of them and validates it.
#include "ui/widgets/SweepPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "core/model/ModelConfig.h"
#include "ui/models/RowText.h"
#include "ui/widgets/DTypeBox.h"
#include "ui/widgets/FormFields.h"
#include "ui/widgets/RunSettingsSection.h"
#include "ui/widgets/SamplingSection.h"
#include "ui/widgets/SpecFieldParsing.h"
#include "ui/widgets/SpecFiles.h"
#include "ui/widgets/SpecPresets.h"
#include "ui/widgets/WorkloadSection.h"

namespace bertbench::ui {

void SweepPanel::build() {
    setStyleSheet(FormFields::styleSheet());
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    outer->addWidget(buildPresetRow());

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    outer->addLayout(form);
    generalError_ = makeErrorLabel(QStringLiteral("error_general"));
    fields_ = std::make_unique<FormFields>(form, generalError_);

    buildBackendFields();
    buildGridFields();
    buildTimingFields();

    runSettings_ = new RunSettingsSection;
    outer->addWidget(runSettings_);
    outer->addWidget(generalError_);
    summary_ = new QLabel;
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setWordWrap(true);
    summary_->setStyleSheet(QStringLiteral("color: #555;"));
    outer->addWidget(summary_);
    outer->addWidget(buildButtons());
    outer->addStretch(1);
}

QWidget* SweepPanel::buildPresetRow() {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
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
    layout->addWidget(presets_, 1);
    layout->addWidget(load);
    layout->addWidget(save);
    return row;
}

// Model, tasks, baseline, candidates, dtype.
void SweepPanel::buildBackendFields() {
    const auto changed = [this] { scheduleValidation(); };
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
    fields_->add(tr("Model"), modelRow, QStringLiteral("model"),
                 tr("A preset (random weights from the seed) or a HuggingFace checkpoint folder; several, "
                    "separated by commas, are measured one after the other, each against its own baseline"));
    fields_->setMarkedWidget(QStringLiteral("model"), model_);

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
    fields_->add(tr("Tasks"), taskBox, QStringLiteral("tasks"),
                 tr("encoder = bare BertModel (the old script's \"mlm\"); mlm adds the vocabulary head"));

    baseline_ = new QComboBox;
    baseline_->setObjectName(QStringLiteral("baseline"));
    connect(baseline_, &QComboBox::currentIndexChanged, this, changed);
    fields_->add(tr("Baseline"), baseline_, QStringLiteral("baseline"),
                 tr("Measured in every cell; every candidate is compared with it"));

    candidatesBox_ = new QWidget;
    candidatesBox_->setObjectName(QStringLiteral("candidates"));
    auto* candLayout = new QVBoxLayout(candidatesBox_);
    candLayout->setContentsMargins(2, 2, 2, 2);
    candLayout->setSpacing(2);
    fields_->add(tr("Candidates"), candidatesBox_, QStringLiteral("candidates"),
                 tr("The backends this build and machine offer"));

    dtype_ = new QComboBox;
    dtype_->setObjectName(QStringLiteral("dtype"));
    fillDTypeBox(dtype_, registry_);   // fp8 greyed with the reason where no backend runs it
    connect(dtype_, &QComboBox::currentIndexChanged, this, changed);
    fields_->add(tr("Data type"), dtype_, QStringLiteral("dtype"), tr("fp32 on the CPU; fp16/bf16 on the GPU; fp8 (e4m3 matrix products) on GPUs of compute capability 8.9+"));

    baselineDtype_ = new QComboBox;
    baselineDtype_->setObjectName(QStringLiteral("baseline_dtype"));
    baselineDtype_->addItem(tr("as the candidates"), -1);
    for (DType d : {DType::Float32, DType::Float16, DType::BFloat16, DType::Float8})
        baselineDtype_->addItem(qstr(toString(d)), int(d));
    connect(baselineDtype_, &QComboBox::currentIndexChanged, this, changed);
    fields_->add(tr("Baseline type"), baselineDtype_, QStringLiteral("baseline_dtype"),
                 tr("The baseline's own data type, e.g. fp32 against fp8 candidates: every row's speedup, "
                    "error and task agreement are then against fp32 on the same batch"));
}

// Batch sizes, sequence lengths, pads, length stdev.
void SweepPanel::buildGridFields() {
    const auto lineEdit = [this](const QString& name) {
        auto* e = new QLineEdit;
        e->setObjectName(name);
        connect(e, &QLineEdit::textChanged, this, [this] { scheduleValidation(); });
        return e;
    };
    batchSizes_ = lineEdit(QStringLiteral("batchSizes"));
    fields_->add(tr("Batch sizes"), batchSizes_, QStringLiteral("batch_sizes"), tr("Comma-separated, e.g. 1, 2, 4, 8"));
    seqLens_ = lineEdit(QStringLiteral("seqLens"));
    fields_->add(tr("Max seq lens"), seqLens_, QStringLiteral("seq_lens"),
                 tr("Padded sequence lengths, up to the model's max positions"));
    pads_ = lineEdit(QStringLiteral("pads"));
    fields_->add(tr("Pad fractions"), pads_, QStringLiteral("pads"),
                 tr("Share of padding per batch, in [0, 1): mean length = (1 − pad) × max seq len"));

    stdev_ = new QDoubleSpinBox;
    stdev_->setObjectName(QStringLiteral("seqlenStdev"));
    stdev_->setRange(-1, 10000);
    stdev_->setDecimals(1);
    connect(stdev_, &QDoubleSpinBox::valueChanged, this, [this] { scheduleValidation(); });
    fields_->add(tr("Length stdev"), stdev_, QStringLiteral("seqlen_stdev"),
                 tr("Standard deviation of the per-row lengths, in tokens"));

    workload_ = new WorkloadSection;
    connect(workload_, &WorkloadSection::changed, this, [this] { scheduleValidation(); });
    fields_->add(tr("Workload"), workload_, QStringLiteral("workload"),
                 tr("Synthetic lengths (the pads above), or your data: a lengths or texts file, batched random "
                    "or sorted (these replace the pads)"));
}

// Warm-up, timed batches, seed, CUDA graphs, memory limit, cell timeout.
void SweepPanel::buildTimingFields() {
    const auto changed = [this] { scheduleValidation(); };
    const auto spin = [&](const QString& name, int low, int high) {
        auto* s = new QSpinBox;
        s->setObjectName(name);
        s->setRange(low, high);
        connect(s, &QSpinBox::valueChanged, this, changed);
        return s;
    };
    warmup_ = spin(QStringLiteral("warmup"), -1, 100000);
    fields_->add(tr("Warm-up batches"), warmup_, QStringLiteral("warmup"), tr("Untimed forwards before timing"));
    sampling_ = new SamplingSection;
    connect(sampling_, &SamplingSection::changed, this, [this] {
        numBatches_->setEnabled(!sampling_->adaptive());
        scheduleValidation();
    });
    fields_->add(tr("Sampling"), sampling_, QStringLiteral("max_noise_pct"),
                 tr("How long each backend of a cell is timed: adaptive (until its median is known to ± the "
                    "noise target) or a fixed count; every speedup then gets a 95 % interval and a verdict"));
    fields_->setMarkedWidget(QStringLiteral("max_noise_pct"), sampling_->noiseField());
    numBatches_ = spin(QStringLiteral("numBatches"), -1, 1000000);
    fields_->add(tr("Timed batches"), numBatches_, QStringLiteral("num_batches"),
                 tr("Fixed count: timed forwards per backend per cell (median, p10, p90 come from these)"));
    seed_ = new QLineEdit;
    seed_->setObjectName(QStringLiteral("seed"));
    connect(seed_, &QLineEdit::textChanged, this, changed);
    fields_->add(tr("Seed"), seed_, QStringLiteral("seed"), tr("Weights and batches are reproducible from it"));

    cudaGraphs_ = new QCheckBox(tr("capture forwards in CUDA graphs"));
    cudaGraphs_->setObjectName(QStringLiteral("cudaGraphs"));
    connect(cudaGraphs_, &QCheckBox::toggled, this, changed);
    fields_->add(tr("CUDA graphs"), cudaGraphs_, QStringLiteral("cuda_graphs"), tr("GPU backends only"));

    memoryLimit_ = spin(QStringLiteral("memoryLimitMb"), 0, 10000000);
    memoryLimit_->setSpecialValueText(tr("none"));
    memoryLimit_->setSuffix(tr(" MB"));
    fields_->add(tr("Memory limit"), memoryLimit_, QStringLiteral("memory_limit_mb"),
                 tr("Allocations past it fail as OOM (0 = none)"));

    cellTimeout_ = new QDoubleSpinBox;
    cellTimeout_->setObjectName(QStringLiteral("cellTimeoutS"));
    cellTimeout_->setRange(0, 1e6);
    cellTimeout_->setDecimals(0);
    cellTimeout_->setSpecialValueText(tr("none"));
    cellTimeout_->setSuffix(tr(" s"));
    connect(cellTimeout_, &QDoubleSpinBox::valueChanged, this, changed);
    fields_->add(tr("Cell timeout"), cellTimeout_, QStringLiteral("cell_timeout_s"), tr("0 = none"));
}

QWidget* SweepPanel::buildButtons() {
    auto* row = new QWidget;
    auto* buttons = new QHBoxLayout(row);
    buttons->setContentsMargins(0, 0, 0, 0);
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
    return row;
}

} // namespace bertbench::ui

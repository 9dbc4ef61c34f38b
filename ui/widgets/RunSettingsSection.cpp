#include "ui/widgets/RunSettingsSection.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QToolButton>

namespace bertbench::ui {
namespace {

QString pythonKey() { return QStringLiteral("torch/python"); }

} // namespace

RunSettingsSection::RunSettingsSection(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    python_ = new QLineEdit(pythonSetting());
    python_->setObjectName(QStringLiteral("pythonInterpreter"));
    python_->setPlaceholderText(QStringLiteral("python3"));
    python_->setToolTip(tr("The interpreter the torch:* backends run HuggingFace transformers in (PATH is searched). "
                           "It needs torch and transformers; a change applies from the next start."));
    connect(python_, &QLineEdit::editingFinished, this, [this] { setPython(python_->text()); });
    auto* browse = new QToolButton;
    browse->setObjectName(QStringLiteral("browsePython"));
    browse->setText(tr("Browse…"));
    connect(browse, &QToolButton::clicked, this, &RunSettingsSection::browse);
    layout->addWidget(python_, 1);
    layout->addWidget(browse);
    form->addRow(tr("Python (torch:*)"), row);

    gpus_ = new QListWidget;
    gpus_->setObjectName(QStringLiteral("gpus"));
    gpus_->setMaximumHeight(90);
    gpus_->setToolTip(tr("The sweep's cells are spread over the checked GPUs, one worker per GPU; a cell's baseline "
                         "and candidates always run on one GPU"));
    connect(gpus_, &QListWidget::itemChanged, this, &RunSettingsSection::changed);
    gpuLabel_ = new QLabel(tr("GPUs"));
    form->addRow(gpuLabel_, gpus_);
    setGpus({});
}

QString RunSettingsSection::pythonSetting() {
    const QString saved = QSettings().value(pythonKey()).toString().trimmed();
    return saved.isEmpty() ? QStringLiteral("python3") : saved;
}

QString RunSettingsSection::python() const {
    const QString text = python_->text().trimmed();
    return text.isEmpty() ? QStringLiteral("python3") : text;
}

void RunSettingsSection::setPython(const QString& python) {
    if (python_->text() != python) python_->setText(python);
    QSettings().setValue(pythonKey(), this->python());
    emit changed();
}

void RunSettingsSection::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Python interpreter for the torch:* backends"), python());
    if (!path.isEmpty()) setPython(path);
}

void RunSettingsSection::setGpus(const QStringList& labels) {
    gpus_->clear();
    for (int i = 0; i < labels.size(); ++i) {
        auto* item = new QListWidgetItem(labels[i], gpus_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
        item->setData(Qt::UserRole, i);
    }
    // One GPU (or none) leaves nothing to choose.
    const bool several = labels.size() > 1;
    gpus_->setVisible(several);
    gpuLabel_->setVisible(several);
}

std::vector<int> RunSettingsSection::selectedGpus() const {
    std::vector<int> out;
    if (gpus_->count() < 2) return out;
    for (int i = 0; i < gpus_->count(); ++i)
        if (gpus_->item(i)->checkState() == Qt::Checked) out.push_back(gpus_->item(i)->data(Qt::UserRole).toInt());
    return out;
}

SweepRunOptions RunSettingsSection::options() const {
    SweepRunOptions o;
    o.python = python().toStdString();
    o.gpus = selectedGpus();
    return o;
}

} // namespace bertbench::ui

#include "ui/widgets/WorkloadSection.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/workload/Workload.h"
#include "ui/charts/LengthHistogramChart.h"
#include "ui/models/RowText.h"
#include "ui/widgets/ChartView.h"

namespace bertbench::ui {

namespace {

QWidget* rowWith(QLineEdit* edit, QToolButton* button) {
    auto* row = new QWidget;
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    layout->addWidget(button);
    return row;
}

} // namespace

WorkloadSection::WorkloadSection(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("workload"));
    const auto changed = [this] { emit this->changed(); };
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(3);

    kind_ = new QComboBox;
    kind_->setObjectName(QStringLiteral("workloadKind"));
    // Short entries, whole at the panel's width of a 1280 px window; the detail in each tooltip.
    kind_->addItem(tr("synthetic lengths"), int(WorkloadKind::Synthetic));
    kind_->setItemData(0, tr("Normal around (1 − pad) × max length: the old script's model of padding"), Qt::ToolTipRole);
    kind_->addItem(tr("lengths file"), int(WorkloadKind::Lengths));
    kind_->setItemData(1, tr("Your data's token counts, one per line (or a CSV / JSON column)"), Qt::ToolTipRole);
    kind_->addItem(tr("texts file"), int(WorkloadKind::Texts));
    kind_->setItemData(2, tr("Your texts, tokenized with each model's tokenizer"), Qt::ToolTipRole);
    kind_->setToolTip(tr("Where a batch's lengths come from: the old script's model of padding, or your data"));
    // Its longest entry must not widen the Sweep panel (the window has to fit 1280 × 800).
    kind_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    kind_->setMinimumContentsLength(16);
    connect(kind_, &QComboBox::currentIndexChanged, this, &WorkloadSection::kindChanged);
    outer->addWidget(kind_);

    dataBox_ = new QWidget;
    auto* form = new QFormLayout(dataBox_);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setVerticalSpacing(3);

    file_ = new QLineEdit;
    file_->setObjectName(QStringLiteral("workloadFile"));
    file_->setPlaceholderText(tr("lengths.txt, texts.jsonl, data.csv …"));
    connect(file_, &QLineEdit::textChanged, this, changed);
    auto* browse = new QToolButton;
    browse->setText(tr("File…"));
    connect(browse, &QToolButton::clicked, this, &WorkloadSection::browseFile);
    form->addRow(tr("File"), rowWith(file_, browse));

    textField_ = new QLineEdit;
    textField_->setObjectName(QStringLiteral("workloadTextField"));
    textField_->setPlaceholderText(tr("text"));
    textField_->setToolTip(tr("The JSON Lines field or CSV/TSV column holding the text"));
    connect(textField_, &QLineEdit::textChanged, this, changed);
    textRow_ = textField_;
    form->addRow(tr("Text field"), textField_);
    textLabel_ = qobject_cast<QLabel*>(form->labelForField(textField_));

    tokenizer_ = new QLineEdit;
    tokenizer_->setObjectName(QStringLiteral("workloadTokenizer"));
    tokenizer_->setPlaceholderText(tr("each checkpoint folder's own"));
    tokenizer_->setToolTip(tr("A folder with tokenizer.json, vocab.txt, vocab.json + merges.txt or "
                              "sentencepiece.bpe.model, used for every model (a preset has no tokenizer)"));
    connect(tokenizer_, &QLineEdit::textChanged, this, changed);
    auto* browseTok = new QToolButton;
    browseTok->setText(tr("Folder…"));
    connect(browseTok, &QToolButton::clicked, this, &WorkloadSection::browseTokenizer);
    tokenizerRow_ = rowWith(tokenizer_, browseTok);
    form->addRow(tr("Tokenizer"), tokenizerRow_);
    tokenizerLabel_ = qobject_cast<QLabel*>(form->labelForField(tokenizerRow_));

    auto* policies = new QWidget;
    auto* policyLayout = new QHBoxLayout(policies);
    policyLayout->setContentsMargins(0, 0, 0, 0);
    random_ = new QCheckBox(tr("random"));
    random_->setObjectName(QStringLiteral("batchingRandom"));
    random_->setToolTip(tr("Rows in the order drawn (arrival order)"));
    sorted_ = new QCheckBox(tr("sorted"));
    sorted_->setObjectName(QStringLiteral("batchingSorted"));
    sorted_->setToolTip(tr("The cell's rows sorted by length, then cut into consecutive batches (bucketing servers)"));
    connect(random_, &QCheckBox::toggled, this, changed);
    connect(sorted_, &QCheckBox::toggled, this, changed);
    policyLayout->addWidget(random_);
    policyLayout->addWidget(sorted_);
    policyLayout->addStretch(1);
    form->addRow(tr("Batching"), policies);

    batchesPerCell_ = new QSpinBox;
    batchesPerCell_->setObjectName(QStringLiteral("batchesPerCell"));
    batchesPerCell_->setRange(0, kMaxBatchesPerCell);
    batchesPerCell_->setToolTip(tr("Batches each cell draws from the data; every timed forward runs them all and "
                                   "reports the mean per batch"));
    connect(batchesPerCell_, &QSpinBox::valueChanged, this, changed);
    form->addRow(tr("Batches a cell"), batchesPerCell_);
    outer->addWidget(dataBox_);

    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("workloadStatus"));
    status_->setWordWrap(true);
    status_->setStyleSheet(QStringLiteral("color: #555;"));
    outer->addWidget(status_);

    chart_ = new LengthHistogramChart;
    chart_->setCompact(true);
    chartView_ = new ChartView(chart_);
    chartView_->setObjectName(QStringLiteral("workloadHistogram"));
    chartView_->setMinimumHeight(190);
    outer->addWidget(chartView_);
    setWorkload(WorkloadSpec{});
}

void WorkloadSection::setWorkload(const WorkloadSpec& w) {
    const QSignalBlocker b0(kind_), b1(file_), b2(textField_), b3(tokenizer_), b4(random_), b5(sorted_), b6(batchesPerCell_);
    loaded_ = w;
    kind_->setCurrentIndex(kind_->findData(int(w.kind)));
    file_->setText(qstr(w.file));
    textField_->setText(qstr(w.textField));
    tokenizer_->setText(qstr(w.tokenizer));
    random_->setChecked(std::find(w.batching.begin(), w.batching.end(), Batching::Random) != w.batching.end());
    sorted_->setChecked(std::find(w.batching.begin(), w.batching.end(), Batching::Sorted) != w.batching.end());
    batchesPerCell_->setValue(w.batchesPerCell);
    updateVisibility();
}

WorkloadSpec WorkloadSection::workload() const {
    WorkloadSpec w = loaded_;
    w.kind = WorkloadKind(kind_->currentData().toInt());
    w.file = file_->text().trimmed().toStdString();
    w.textField = w.kind == WorkloadKind::Texts ? textField_->text().trimmed().toStdString() : std::string();
    w.tokenizer = w.kind == WorkloadKind::Texts ? tokenizer_->text().trimmed().toStdString() : std::string();
    w.batching.clear();
    if (random_->isChecked()) w.batching.push_back(Batching::Random);
    if (sorted_->isChecked()) w.batching.push_back(Batching::Sorted);
    w.batchesPerCell = batchesPerCell_->value();
    if (!w.isData()) {
        // Synthetic: nothing of a data workload is kept (the spec file then reads as before).
        const WorkloadSpec defaults;
        w.file.clear();
        w.batching = defaults.batching;
        w.batchesPerCell = defaults.batchesPerCell;
    }
    if (w.kind != loaded_.kind || w.file != loaded_.file) {
        w.sha256.clear();   // another file: its identity is recorded when the run starts
        w.bytes = -1;
    }
    return w;
}

bool WorkloadSection::isData() const { return WorkloadKind(kind_->currentData().toInt()) != WorkloadKind::Synthetic; }

void WorkloadSection::kindChanged() {
    // A data workload needs a policy: random unless one is ticked.
    if (isData() && !random_->isChecked() && !sorted_->isChecked()) {
        const QSignalBlocker block(random_);
        random_->setChecked(true);
    }
    updateVisibility();
    emit changed();
}

void WorkloadSection::updateVisibility() {
    const bool fromData = isData();
    const bool texts = WorkloadKind(kind_->currentData().toInt()) == WorkloadKind::Texts;
    dataBox_->setVisible(fromData);
    for (QWidget* w : {static_cast<QWidget*>(textField_), tokenizerRow_, static_cast<QWidget*>(textLabel_),
                       static_cast<QWidget*>(tokenizerLabel_)})
        if (w) w->setVisible(texts);
    status_->setVisible(fromData);
    chartView_->setVisible(fromData);
}

void WorkloadSection::browseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Workload file"), file_->text(),
                                                      tr("Workloads (*.txt *.csv *.tsv *.json *.jsonl *.ndjson);;All files (*)"));
    if (!path.isEmpty()) file_->setText(path);
}

void WorkloadSection::browseTokenizer() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Tokenizer folder"), tokenizer_->text());
    if (!dir.isEmpty()) tokenizer_->setText(dir);
}

void WorkloadSection::refresh(const std::vector<std::string>& models, const std::vector<int>& seqLens) {
    const WorkloadSpec w = workload();
    if (!w.isData()) {
        problem_.clear();
        record_ = WorkloadRecord{};
        readKey_.clear();
        return;
    }
    // Read again only when something that decides the lengths changed (the file's time included).
    const QFileInfo info(qstr(w.file));
    std::string key = toString(w.kind) + "\n" + w.file + "\n" + w.textField + "\n" + w.tokenizer + "\n" +
                      info.lastModified().toString(Qt::ISODateWithMs).toStdString() + "\n" +
                      std::to_string(info.size());
    if (w.kind == WorkloadKind::Texts)
        for (const std::string& m : models) key += "\n" + m;
    if (key != readKey_) {
        readKey_ = key;
        record_ = WorkloadRecord{};
        problem_.clear();
        if (w.file.empty()) {
            problem_ = tr("name the %1 file").arg(w.kind == WorkloadKind::Lengths ? tr("lengths") : tr("texts"));
        } else {
            SweepSpec spec;
            spec.models = models.empty() ? std::vector<std::string>{""} : models;
            spec.workload = w;
            spec.workload.sha256.clear();   // the panel shows what the file holds now
            try {
                record_ = loadWorkload(spec);
            } catch (const std::exception& e) {
                problem_ = qstr(e.what());
            }
        }
        marked_.clear();   // redraw below
    }
    if (!problem_.isEmpty()) {
        status_->setText(QString());
        LengthHistogramData empty;
        empty.emptyNote = tr("No histogram: the workload cannot be read.");
        chart_->setHistogram(empty);
        return;
    }
    if (seqLens == marked_ && !chart_->histogram().empty()) return;
    marked_ = seqLens;
    const LengthHistogramData histogram = runLengthHistogram(record_, seqLens, models.empty() ? std::string() : models.front());
    chart_->setHistogram(histogram);
    status_->setText(histogram.subtitle +
                     (histogram.marks.empty() ? QString() : QStringLiteral("\n") + truncationText(histogram)));
}

} // namespace bertbench::ui

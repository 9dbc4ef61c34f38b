#include "ui/widgets/CompareView.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/charts/HeatmapChart.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/widgets/ChartView.h"

namespace bertbench::ui {

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    // Two rows (A, B), so long run titles never widen the window.
    auto* pick = new QGridLayout;
    pick->setHorizontalSpacing(6);
    pick->setVerticalSpacing(2);
    const char* letters[2] = {"A", "B"};
    for (int i = 0; i < 2; ++i) {
        pick->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(QLatin1String(letters[i]))), i, 0);
        Side& side = sides_[size_t(i)];
        side.run = new QComboBox;
        side.run->setObjectName(QStringLiteral("run") + QLatin1String(letters[i]));
        side.run->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        side.run->setMinimumContentsLength(28);
        side.run->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        side.model = new QComboBox;
        side.model->setObjectName(QStringLiteral("model") + QLatin1String(letters[i]));
        side.model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        side.model->setToolTip(tr("The run measured several models: the one this side compares"));
        side.model->setVisible(false);
        side.candidate = new QComboBox;
        side.candidate->setObjectName(QStringLiteral("candidate") + QLatin1String(letters[i]));
        side.candidate->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(side.run, &QComboBox::currentIndexChanged, this, [this, i] {
            if (updating_) return;
            fillModels(sides_[size_t(i)]);
            fillCandidates(sides_[size_t(i)]);
            fillTasks();
            scheduleRefresh();
        });
        connect(side.model, &QComboBox::currentIndexChanged, this, [this] {
            if (!updating_) scheduleRefresh();
        });
        connect(side.candidate, &QComboBox::currentIndexChanged, this, [this] {
            if (!updating_) scheduleRefresh();
        });
        pick->addWidget(side.run, i, 1);
        pick->addWidget(side.model, i, 2);
        pick->addWidget(side.candidate, i, 3);
    }
    auto* swap = new QPushButton(tr("Swap A ↔ B"));
    connect(swap, &QPushButton::clicked, this, [this] {
        RunDocument* a = documentOf(sides_[0]);
        RunDocument* b = documentOf(sides_[1]);
        const std::string ca = sides_[0].candidate->currentData().toString().toStdString();
        const std::string cb = sides_[1].candidate->currentData().toString().toStdString();
        const QString ma = sides_[0].model->currentData().toString();
        const QString mb = sides_[1].model->currentData().toString();
        setSides(b, cb, a, ca);
        setModel(0, mb.toStdString());
        setModel(1, ma.toStdString());
    });
    pick->addWidget(swap, 0, 4);
    auto* taskRow = new QHBoxLayout;
    taskRow->setSpacing(6);
    taskRow->addStretch(1);
    taskRow->addWidget(new QLabel(tr("Task")));
    task_ = new QComboBox;
    task_->setObjectName(QStringLiteral("compareTask"));
    connect(task_, &QComboBox::currentIndexChanged, this, [this] {
        if (!updating_) scheduleRefresh();
    });
    taskRow->addWidget(task_);
    pick->addLayout(taskRow, 1, 4);
    pick->setColumnStretch(1, 1);
    layout->addLayout(pick);

    summaryLabel_ = new QLabel;
    summaryLabel_->setObjectName(QStringLiteral("compareSummary"));
    summaryLabel_->setWordWrap(true);
    summaryLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summaryLabel_->setContentsMargins(4, 4, 4, 4);
    summaryLabel_->setStyleSheet(QStringLiteral("background: #f4f6f8; border: 1px solid #dde2e6;"));
    layout->addWidget(summaryLabel_);

    auto* page = new QWidget;
    grid_ = new QGridLayout(page);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(2);
    auto* scroll = new QScrollArea;
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(scroll, 1);

    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(100);
    connect(refreshTimer_, &QTimer::timeout, this, &CompareView::refreshNow);
}

CompareView::~CompareView() = default;

void CompareView::setDocuments(const QList<RunDocument*>& documents) {
    RunDocument* a = documentOf(sides_[0]);
    RunDocument* b = documentOf(sides_[1]);
    const std::string ca = sides_[0].candidate->currentData().toString().toStdString();
    const std::string cb = sides_[1].candidate->currentData().toString().toStdString();
    for (const QPointer<RunDocument>& d : documents_)
        if (d) disconnect(d, nullptr, this, nullptr);
    documents_.clear();
    for (RunDocument* d : documents) {
        documents_ << d;
        connect(d, &RunDocument::reset, this, &CompareView::scheduleRefresh);
        connect(d, &RunDocument::rowAppended, this, &CompareView::scheduleRefresh);
        connect(d, &RunDocument::titleChanged, this, [this] { setDocuments(QList<RunDocument*>(documents_.begin(), documents_.end())); });
    }
    if (!documents.contains(a)) a = documents.value(0);
    if (!documents.contains(b)) b = documents.value(documents.size() > 1 ? 1 : 0);
    setSides(a, ca, b, cb);
}

void CompareView::setSides(RunDocument* a, const std::string& candidateA, RunDocument* b,
                           const std::string& candidateB) {
    updating_ = true;
    const std::array<std::pair<RunDocument*, std::string>, 2> want{{{a, candidateA}, {b, candidateB}}};
    for (size_t i = 0; i < 2; ++i) {
        Side& side = sides_[i];
        side.run->clear();
        for (const QPointer<RunDocument>& d : documents_)
            if (d) side.run->addItem(d->title(), QVariant::fromValue<QObject*>(d.data()));
        side.run->setCurrentIndex(std::max(0, side.run->findData(QVariant::fromValue<QObject*>(want[i].first))));
        fillModels(side);
        fillCandidates(side);
        const int c = side.candidate->findData(qstr(want[i].second));
        const bool sameRun = i == 1 && documentOf(sides_[0]) == documentOf(side);
        if (c >= 0) {
            side.candidate->setCurrentIndex(c);
        } else if (sameRun && side.model->count() > 1) {
            // Same run of several models on both sides: its second model as B, same candidate.
            side.model->setCurrentIndex(1);
            side.candidate->setCurrentIndex(sides_[0].candidate->currentIndex());
        } else if (sameRun && side.candidate->count() > 1 &&
                   side.candidate->currentIndex() == sides_[0].candidate->currentIndex()) {
            side.candidate->setCurrentIndex(1);   // same run on both sides: its second candidate as B
        }
    }
    fillTasks();
    updating_ = false;
    refreshNow();
}

void CompareView::setModel(int side, const std::string& model) {
    QComboBox* box = sides_[size_t(side)].model;
    const int i = box->findData(qstr(model));
    if (i >= 0) box->setCurrentIndex(i);
    refreshNow();
}

void CompareView::fillModels(Side& side) {
    const QString keep = side.model->currentData().toString();
    const bool wasUpdating = updating_;
    updating_ = true;
    side.model->clear();
    std::vector<std::string> models;
    if (RunDocument* d = documentOf(side)) models = axesOf(d->run()).models;
    for (const std::string& m : models) side.model->addItem(qstr(modelLabel(m)), qstr(m));
    const int i = side.model->findData(keep);
    if (i >= 0) side.model->setCurrentIndex(i);
    side.model->setVisible(models.size() > 1);
    updating_ = wasUpdating;
}

void CompareView::setTask(Task task) {
    const int i = task_->findData(qstr(toString(task)));
    if (i >= 0) task_->setCurrentIndex(i);
    refreshNow();
}

RunDocument* CompareView::documentOf(const Side& side) const {
    return qobject_cast<RunDocument*>(side.run->currentData().value<QObject*>());
}

void CompareView::fillCandidates(Side& side) {
    const QString keep = side.candidate->currentData().toString();
    const bool wasUpdating = updating_;
    updating_ = true;
    side.candidate->clear();
    if (RunDocument* d = documentOf(side))
        for (const std::string& c : axesOf(d->run()).candidates) side.candidate->addItem(qstr(c), qstr(c));
    const int i = side.candidate->findData(keep);
    if (i >= 0) side.candidate->setCurrentIndex(i);
    updating_ = wasUpdating;
}

void CompareView::fillTasks() {
    const QString keep = task_->currentData().toString();
    const bool wasUpdating = updating_;
    updating_ = true;
    task_->clear();
    std::vector<Task> tasks;
    for (const Side& side : sides_)
        if (RunDocument* d = documentOf(side))
            for (Task t : axesOf(d->run()).tasks)
                if (std::find(tasks.begin(), tasks.end(), t) == tasks.end()) tasks.push_back(t);
    for (Task t : tasks) task_->addItem(qstr(toString(t)), qstr(toString(t)));
    const int i = task_->findData(keep);
    if (i >= 0) task_->setCurrentIndex(i);
    updating_ = wasUpdating;
}

CompareSide CompareView::sideOf(const Side& side) const {
    CompareSide s;
    RunDocument* d = documentOf(side);
    s.run = d ? &d->run() : nullptr;
    s.candidate = side.candidate->currentData().toString().toStdString();
    s.task = parseTask(task_->currentData().toString().toStdString()).value_or(Task::Encoder);
    s.label = (d ? d->title() : QString()) + QStringLiteral(" · ") + qstr(s.candidate);
    if (d && side.model->count() > 1) {
        const std::string model = side.model->currentData().toString().toStdString();
        side.modelRun = runOfModel(d->run(), model);
        s.run = &side.modelRun;
        s.label = (d ? d->title() : QString()) + QStringLiteral(" · ") + qstr(modelLabel(model)) +
                  QStringLiteral(" · ") + qstr(s.candidate);
    }
    return s;
}

void CompareView::scheduleRefresh() {
    if (!refreshTimer_->isActive()) refreshTimer_->start();
}

void CompareView::rebuildRows() {
    picked_ = nullptr;
    for (SeqRow& row : rows_) {
        for (ChartView* v : row.views) delete v;
        for (HeatmapGridModel* m : row.models) delete m;
    }
    rows_.clear();
    for (size_t i = 0; i < axes_.seqLens.size(); ++i) {
        SeqRow row;
        for (int col = 0; col < (showEnergy_ ? 3 : 2); ++col) {
            row.models[size_t(col)] = new HeatmapGridModel(this);
            auto* view = ChartView::forHeatmap(row.models[size_t(col)]);
            view->setMinimumHeight(250);
            connect(view, &ChartView::picked, this, [this](ChartView* v) { picked_ = v; });
            connect(view, &ChartView::saveImageRequested, this, &CompareView::chartSaveRequested);
            row.views[size_t(col)] = view;
            grid_->addWidget(view, int(i), col);
        }
        rows_.push_back(row);
    }
}

void CompareView::refreshNow() {
    refreshTimer_->stop();
    const CompareSide a = sideOf(sides_[0]);
    const CompareSide b = sideOf(sides_[1]);
    cells_ = compareCells(a, b);
    summary_ = summarize(cells_);
    const RunAxes axes = compareAxes(a, b);
    const bool energy = summary_.energyCells > 0;
    const bool reshape = axes.seqLens.size() != axes_.seqLens.size() || rows_.empty() || energy != showEnergy_;
    axes_ = axes;
    showEnergy_ = energy;
    if (reshape) rebuildRows();
    summaryLabel_->setText(a.run && b.run ? summaryText(summary_, a, b)
                                          : tr("Open two runs (or one run with two candidates) to compare them."));
    const int columns = showEnergy_ ? 3 : 2;
    std::array<double, 3> limits{0, 0, 0};
    for (size_t i = 0; i < rows_.size(); ++i) {
        for (int col = 0; col < columns; ++col) {
            rows_[i].models[size_t(col)]->setGrid(compareHeatmap(cells_, axes_, axes_.seqLens[i], CompareMetric(col)));
            limits[size_t(col)] = std::max(
                limits[size_t(col)], static_cast<HeatmapChart*>(rows_[i].views[size_t(col)]->chart())->naturalColorLimit());
        }
    }
    for (SeqRow& row : rows_)
        for (int col = 0; col < columns; ++col)
            static_cast<HeatmapChart*>(row.views[size_t(col)]->chart())->setColorLimit(limits[size_t(col)]);
}

HeatmapGridModel* CompareView::deltaModel(int i, CompareMetric metric) const {
    if (i < 0 || i >= int(rows_.size())) return nullptr;
    return rows_[size_t(i)].models[size_t(metric)];   // null: energy not shown
}

QChart* CompareView::currentChart() const {
    for (const SeqRow& row : rows_)
        for (ChartView* v : row.views)
            if (v && v == picked_) return v->chart();
    return rows_.empty() ? nullptr : rows_.front().views[0]->chart();
}

} // namespace bertbench::ui

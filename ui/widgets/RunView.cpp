#include "ui/widgets/RunView.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/charts/HeatmapChart.h"
#include "ui/charts/LineChart.h"
#include "ui/models/Breakdown.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsFilterProxy.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/BreakdownPage.h"
#include "ui/widgets/ChartView.h"
#include "ui/widgets/KernelOptionsLabel.h"
#include "ui/widgets/WorkloadPage.h"

namespace bertbench::ui {
namespace {

constexpr int kMinRefreshIntervalMs = 50;
constexpr int kRowMinHeight = 250;

QScrollArea* scrolling(QWidget* inner) {
    auto* area = new QScrollArea;
    area->setWidget(inner);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

} // namespace

RunView::RunView(RunDocument* document, QWidget* parent) : QWidget(parent), document_(document) {
    buildUi();
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    connect(refreshTimer_, &QTimer::timeout, this, &RunView::refreshNow);

    connect(document_, &RunDocument::reset, this, &RunView::resetFromDocument);
    connect(document_, &RunDocument::rowAppended, this, [this](int index) {
        table_->appendRow(document_->run().rows[size_t(index)]);
        scheduleRefresh();
    });
    connect(document_, &RunDocument::runningCellChanged, this, &RunView::scheduleRefresh);
    connect(document_, &RunDocument::progressChanged, this, &RunView::refreshHeader);
    connect(document_, &RunDocument::logAppended, this, [this](const QString& line) { log_->appendPlainText(line); });
    resetFromDocument();
}

RunView::~RunView() = default;

void RunView::buildUi() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* header = new QHBoxLayout;
    modelLabel_ = new QLabel(tr("Model"));
    header->addWidget(modelLabel_);
    modelBox_ = new QComboBox;
    modelBox_->setObjectName(QStringLiteral("viewModel"));
    modelBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    modelBox_->setToolTip(tr("The run measured several models, each against its own baseline: the one shown"));
    connect(modelBox_, &QComboBox::activated, this,
            [this](int i) { setModel(modelBox_->itemData(i).toString().toStdString()); });
    header->addWidget(modelBox_);
    header->addSpacing(8);
    header->addWidget(new QLabel(tr("Task")));
    taskBox_ = new QComboBox;
    taskBox_->setObjectName(QStringLiteral("viewTask"));
    connect(taskBox_, &QComboBox::activated, this, [this](int i) {
        if (const auto t = parseTask(taskBox_->itemData(i).toString().toStdString())) setTask(*t);
    });
    header->addWidget(taskBox_);
    header->addSpacing(8);
    header->addWidget(new QLabel(tr("Candidate")));
    candidateBox_ = new QComboBox;
    candidateBox_->setObjectName(QStringLiteral("viewCandidate"));
    candidateBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(candidateBox_, &QComboBox::activated, this,
            [this](int i) { setCandidate(candidateBox_->itemData(i).toString().toStdString()); });
    header->addWidget(candidateBox_);
    header->addSpacing(12);
    headline_ = new QLabel;
    headline_->setObjectName(QStringLiteral("headline"));
    headline_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wrapped, not one long line: beside the Model, Task and Candidate selectors one line would
    // set the window's minimum width past 1280 px (1555 with the Model selector).
    headline_->setWordWrap(true);
    headline_->setMinimumWidth(160);
    header->addWidget(headline_, 1);
    layout->addLayout(header);
    kernelOptions_ = new KernelOptionsLabel;
    layout->addWidget(kernelOptions_);

    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("runTabs"));
    tabs_->setDocumentMode(true);
    auto* heatmapPage = new QWidget;
    heatmapGrid_ = new QGridLayout(heatmapPage);
    heatmapGrid_->setContentsMargins(0, 0, 0, 0);
    heatmapGrid_->setSpacing(2);
    tabs_->addTab(scrolling(heatmapPage), tr("Heatmaps"));
    auto* linePage = new QWidget;
    lineGrid_ = new QGridLayout(linePage);
    lineGrid_->setContentsMargins(0, 0, 0, 0);
    lineGrid_->setSpacing(2);
    tabs_->addTab(scrolling(linePage), tr("Lines"));
    breakdown_ = new BreakdownPage;
    connect(breakdown_, &BreakdownPage::cellChanged, this, &RunView::markSelectedCell);
    connect(breakdown_, &BreakdownPage::chartSaveRequested, this, &RunView::chartSaveRequested);
    tabs_->addTab(breakdown_, tr("Breakdown"));

    auto* tablePage = new QWidget;
    auto* tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 4, 0, 0);
    auto* filters = new QHBoxLayout;
    filter_ = new QLineEdit;
    filter_->setObjectName(QStringLiteral("tableFilter"));
    filter_->setPlaceholderText(tr("Filter rows (any column)…"));
    filter_->setClearButtonEnabled(true);
    statusFilter_ = new QComboBox;
    statusFilter_->setObjectName(QStringLiteral("statusFilter"));
    statusFilter_->addItem(tr("any status"), QString());
    statusFilter_->addItem(tr("ok"), QStringLiteral("ok"));
    statusFilter_->addItem(tr("failed (oom, error, cancelled)"), QStringLiteral("failed"));
    statusFilter_->addItem(tr("oom"), QStringLiteral("oom"));
    statusFilter_->addItem(tr("error"), QStringLiteral("error"));
    statusFilter_->addItem(tr("cancelled"), QStringLiteral("cancelled"));
    filters->addWidget(filter_, 1);
    filters->addWidget(statusFilter_);
    tableLayout->addLayout(filters);
    table_ = new ResultsTableModel(this);
    proxy_ = new ResultsFilterProxy(this);
    proxy_->setSourceModel(table_);
    connect(filter_, &QLineEdit::textChanged, proxy_, &ResultsFilterProxy::setText);
    connect(statusFilter_, &QComboBox::currentIndexChanged, this,
            [this](int i) { proxy_->setStatus(statusFilter_->itemData(i).toString()); });
    tableView_ = new QTableView;
    tableView_->setObjectName(QStringLiteral("resultsTable"));
    tableView_->setModel(proxy_);
    tableView_->setSortingEnabled(true);
    tableView_->sortByColumn(-1, Qt::AscendingOrder);
    tableView_->setAlternatingRowColors(true);
    tableView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tableView_->verticalHeader()->setDefaultSectionSize(tableView_->fontMetrics().height() + 6);
    tableView_->verticalHeader()->hide();
    tableView_->horizontalHeader()->setStretchLastSection(true);
    tableView_->horizontalHeader()->setDefaultSectionSize(80);
    tableView_->horizontalHeader()->setResizeContentsPrecision(200);
    tableLayout->addWidget(tableView_);
    tabs_->addTab(tablePage, tr("Table"));

    log_ = new QPlainTextEdit;
    log_->setObjectName(QStringLiteral("log"));
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(20000);
    log_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    tabs_->addTab(log_, tr("Log"));
    workload_ = new WorkloadPage;
    tabs_->addTab(workload_, tr("Workload"));
    tabs_->setTabVisible(int(Page::Workload), false);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] {
        if (currentPage() == Page::Lines && linesDirty_) refreshLines();
        if (currentPage() == Page::Breakdown && breakdownDirty_) refreshBreakdown();
    });
    layout->addWidget(tabs_, 1);
}

void RunView::resetFromDocument() {
    table_->setRows(document_->run().rows);
    tableView_->resizeColumnsToContents();
    log_->setPlainText(document_->logLines().join(QLatin1Char('\n')));
    refreshNow();   // rebuilds the chart rows only if the axes changed
}

void RunView::scheduleRefresh() {
    if (refreshTimer_->isActive()) return;
    const qint64 since = sinceRefresh_.isValid() ? sinceRefresh_.elapsed() : kMinRefreshIntervalMs;
    refreshTimer_->start(int(std::max<qint64>(0, kMinRefreshIntervalMs - since)));
}

void RunView::refreshNow() {
    refreshTimer_->stop();
    sinceRefresh_.start();
    syncAxes();
    refreshHeatmaps();
    linesDirty_ = true;
    if (currentPage() == Page::Lines) refreshLines();
    breakdownDirty_ = true;
    if (currentPage() == Page::Breakdown) refreshBreakdown();
    refreshHeader();
}

void RunView::refreshBreakdown() {
    breakdownDirty_ = false;
    breakdown_->setRun(&shownRun(), axes_, task_);
    markSelectedCell();
}

std::optional<Cell> RunView::selectedCell() const {
    if (breakdownDirty_) const_cast<RunView*>(this)->refreshBreakdown();
    return breakdown_->cell();
}

void RunView::selectCell(const Cell& cell) {
    if (breakdownDirty_) refreshBreakdown();
    breakdown_->setCell(cell);   // emits cellChanged → markSelectedCell
    markSelectedCell();
}

// Outlines the Breakdown tab's cell in the heatmaps of its sequence length.
void RunView::markSelectedCell() {
    const std::optional<Cell> cell = breakdown_->cell();
    for (size_t i = 0; i < rows_.size(); ++i) {
        int row = -1, column = -1;
        if (cell && cell->task == task_ && cell->seqLen == axes_.seqLens[i]) {
            for (size_t x = 0; x < axes_.batchSizes.size(); ++x)
                if (axes_.batchSizes[x] == cell->batchSize) column = int(x);
            const std::vector<AxisRow> yRows = axisRows(axes_);
            for (size_t y = 0; y < yRows.size(); ++y)
                if (yRows[y].matches(*cell)) row = int(y);
        }
        for (ChartView* v : rows_[i].heatmaps)
            if (v) static_cast<HeatmapChart*>(v->chart())->setSelectedCell(row, column);
    }
}

const Run& RunView::shownRun() const { return models_.size() > 1 ? modelRun_ : document_->run(); }

void RunView::syncModel() {
    const Run& run = document_->run();
    const std::vector<std::string> models = axesOf(run).models;
    if (std::find(models.begin(), models.end(), model_) == models.end())
        model_ = models.empty() ? std::string() : models.front();
    if (models != models_) {
        models_ = models;
        modelBox_->clear();
        for (const std::string& m : models_) {
            modelBox_->addItem(qstr(modelLabel(m)), qstr(m));
            modelBox_->setItemData(modelBox_->count() - 1, qstr(m), Qt::ToolTipRole);
        }
    }
    modelBox_->setCurrentIndex(modelBox_->findData(qstr(model_)));
    const bool several = models_.size() > 1;
    modelLabel_->setVisible(several);
    modelBox_->setVisible(several);
    if (several)
        modelRun_ = runOfModel(run, model_);
    else
        modelRun_ = Run();
}

Metric RunView::heatmapMetric(int column) const {
    if (column == 0) return Metric::Speedup;
    if (column == 1) return Metric::MemorySaved;
    if (column == 2 && showEnergy_) return Metric::EnergySaved;
    return Metric::TaskAgreement;
}

int RunView::heatmapColumn(Metric m) const {
    switch (m) {
    case Metric::Speedup: return 0;
    case Metric::MemorySaved: return 1;
    case Metric::EnergySaved: return showEnergy_ ? 2 : -1;
    case Metric::TaskAgreement: return showAgreement_ ? (showEnergy_ ? 3 : 2) : -1;
    }
    return -1;
}

void RunView::syncAxes() {
    syncModel();
    const RunAxes axes = axesOf(shownRun());
    const bool energy = hasEnergy(shownRun());
    const bool agreement = hasTaskAgreement(shownRun());
    if (axes == axes_ && energy == showEnergy_ && agreement == showAgreement_ && !rows_.empty()) return;
    const bool rowsChanged = axes.seqLens.size() != axes_.seqLens.size() || rows_.empty() || energy != showEnergy_ ||
                             agreement != showAgreement_;
    axes_ = axes;
    showEnergy_ = energy;
    showAgreement_ = agreement;

    // Keep the selection when it still exists.
    if (std::find(axes_.tasks.begin(), axes_.tasks.end(), task_) == axes_.tasks.end() && !axes_.tasks.empty())
        task_ = axes_.tasks.front();
    if (std::find(axes_.candidates.begin(), axes_.candidates.end(), candidate_) == axes_.candidates.end())
        candidate_ = axes_.candidates.empty() ? std::string() : axes_.candidates.front();
    taskBox_->clear();
    for (Task t : axes_.tasks) taskBox_->addItem(qstr(toString(t)), qstr(toString(t)));
    taskBox_->setCurrentIndex(taskBox_->findData(qstr(toString(task_))));
    candidateBox_->clear();
    for (const std::string& c : axes_.candidates) candidateBox_->addItem(qstr(c), qstr(c));
    candidateBox_->setCurrentIndex(candidateBox_->findData(qstr(candidate_)));
    if (rowsChanged) rebuildRows();
}

ChartView* RunView::makeView(ChartView* view) {
    view->setMinimumHeight(kRowMinHeight);
    connect(view, &ChartView::picked, this, [this](ChartView* v) { picked_ = v; });
    connect(view, &ChartView::saveImageRequested, this, &RunView::chartSaveRequested);
    return view;
}

void RunView::rebuildRows() {
    picked_ = nullptr;
    for (SeqRow& row : rows_) {
        for (ChartView* v : row.heatmaps) delete v;   // null columns too
        for (ChartView* v : row.lines) delete v;
        for (HeatmapGridModel* m : row.models) delete m;
    }
    rows_.clear();
    for (size_t i = 0; i < axes_.seqLens.size(); ++i) {
        SeqRow row;
        for (int col = 0; col < heatmapColumns(); ++col) {
            row.models[size_t(col)] = new HeatmapGridModel(this);
            row.heatmaps[size_t(col)] = makeView(ChartView::forHeatmap(row.models[size_t(col)]));
            heatmapGrid_->addWidget(row.heatmaps[size_t(col)], int(i), col);
            const int seqLen = axes_.seqLens[i];
            connect(static_cast<HeatmapChart*>(row.heatmaps[size_t(col)]->chart()), &HeatmapChart::cellClicked, this,
                    [this, seqLen](int y, int x) {
                        const std::vector<AxisRow> yRows = axisRows(axes_);
                        if (y < int(yRows.size()) && x < int(axes_.batchSizes.size()))
                            selectCell(Cell{task_, axes_.batchSizes[size_t(x)], seqLen, yRows[size_t(y)].pad, model_,
                                            yRows[size_t(y)].batching});
                    });
        }
        for (int col = 0; col < 2; ++col) {
            row.lines[size_t(col)] = makeView(new ChartView(new LineChart));
            lineGrid_->addWidget(row.lines[size_t(col)], int(i), col);
        }
        rows_.push_back(row);
    }
    linesDirty_ = true;
}

void RunView::refreshHeatmaps() {
    const Run& run = shownRun();
    const RowLookup lookup(run);
    std::optional<Cell> running = document_->runningCell();
    if (running && models_.size() > 1 && running->model != model_) running.reset();   // another model's cell
    const LiveCells live{document_->isLive(), running};
    std::array<double, kHeatmapColumns> limits{};
    for (size_t i = 0; i < rows_.size(); ++i) {
        for (int col = 0; col < heatmapColumns(); ++col) {
            const Metric metric = heatmapMetric(col);
            HeatmapGrid grid = runHeatmap(lookup, axes_, baselineLabel(run.spec), task_, candidate_, axes_.seqLens[i], metric, live);
            // A chart saved alone still says which of the run's models it shows.
            if (models_.size() > 1) grid.subtitle = qstr(modelLabel(model_)) + QStringLiteral(" · ") + grid.subtitle;
            rows_[i].models[size_t(col)]->setGrid(std::move(grid));
            auto* chart = static_cast<HeatmapChart*>(rows_[i].heatmaps[size_t(col)]->chart());
            limits[size_t(col)] = std::max(limits[size_t(col)], chart->naturalColorLimit());
        }
    }
    // One scale per metric across sequence lengths, so equal colours mean equal values.
    for (SeqRow& row : rows_)
        for (int col = 0; col < heatmapColumns(); ++col)
            static_cast<HeatmapChart*>(row.heatmaps[size_t(col)]->chart())->setColorLimit(limits[size_t(col)]);
}

void RunView::refreshLines() {
    linesDirty_ = false;
    const RowLookup lookup(shownRun());
    for (size_t i = 0; i < rows_.size(); ++i)
        for (int col = 0; col < 2; ++col)
            static_cast<LineChart*>(rows_[i].lines[size_t(col)]->chart())
                ->setPanel(runLinePanel(lookup, axes_, task_, axes_.candidates, axes_.seqLens[i],
                                        col == 0 ? Metric::Speedup : Metric::MemorySaved));
}

void RunView::refreshHeader() {
    const Run& run = shownRun();
    QString state;
    if (document_->isLive()) {
        const SweepProgress& p = document_->progress();
        state = tr("running — %1 of %2 cells done").arg(p.cellsDone).arg(p.cellsTotal);
    } else {
        const qsizetype failed = std::count_if(run.rows.begin(), run.rows.end(),
                                               [](const ResultRow& r) { return r.status != RowStatus::Ok; });
        state = run.rows.size() == 1 ? tr("1 row") : tr("%1 rows").arg(run.rows.size());
        if (failed > 0) state += tr(", %1 not ok").arg(failed);
    }
    // Where the headline wraps, it does not break inside "16 rows" or "baseline cuda:eager" (the
    // device and a sweep's progress may be long enough to need breaking).
    const auto whole = [](const QString& text) { return text.toHtmlEscaped().replace(' ', QStringLiteral("&nbsp;")); };
    const QString dtype = dtypeText(run);
    headline_->setText(QStringLiteral("<b>%1</b>%2 · %3 · %4 · <i>%5</i>")
                           .arg(modelText(run).toHtmlEscaped(),
                                dtype.isEmpty() ? QString() : QStringLiteral(" · ") + whole(dtype),
                                whole(tr("baseline %1").arg(qstr(baselineLabel(run.spec)))), deviceText(run).toHtmlEscaped(),
                                document_->isLive() ? state : whole(state)));
    headline_->setToolTip(document_->sourcePaths().join(QLatin1Char('\n')));
    kernelOptions_->setOptions(run.environment.kernelOptions);
    workload_->setRun(document_->run());
    tabs_->setTabVisible(int(Page::Workload), workload_->hasWorkload());
}

void RunView::setModel(const std::string& model) {
    if (model == model_) return;
    model_ = model;
    breakdownDirty_ = true;
    refreshNow();
}

void RunView::setTask(Task task) {
    if (task == task_) return;
    task_ = task;
    taskBox_->setCurrentIndex(taskBox_->findData(qstr(toString(task_))));
    refreshNow();
}

void RunView::setCandidate(const std::string& candidate) {
    if (candidate == candidate_) return;
    candidate_ = candidate;
    candidateBox_->setCurrentIndex(candidateBox_->findData(qstr(candidate_)));
    refreshNow();
}

void RunView::showPage(Page page) { tabs_->setCurrentIndex(int(page)); }

QStringList RunView::pageNames() {
    return {QStringLiteral("heatmaps"), QStringLiteral("lines"), QStringLiteral("breakdown"), QStringLiteral("table"),
            QStringLiteral("log"), QStringLiteral("workload")};
}

RunView::Page RunView::currentPage() const { return Page(tabs_->currentIndex()); }

QChart* RunView::currentChart() const {
    const Page page = currentPage();
    if (page == Page::Breakdown) return breakdown_->currentChart();
    if (page == Page::Workload) return workload_->firstChart();
    if (page != Page::Heatmaps && page != Page::Lines) return nullptr;
    for (const SeqRow& row : rows_) {
        for (ChartView* v : row.heatmaps)
            if (v && v == picked_ && page == Page::Heatmaps) return v->chart();
        for (ChartView* v : row.lines)
            if (v == picked_ && page == Page::Lines) return v->chart();
    }
    if (rows_.empty()) return nullptr;
    return page == Page::Heatmaps ? rows_.front().heatmaps[0]->chart() : rows_.front().lines[0]->chart();
}

HeatmapGridModel* RunView::heatmapModel(int i, Metric metric) const {
    if (i < 0 || i >= int(rows_.size())) return nullptr;
    const int col = heatmapColumn(metric);
    return col < 0 ? nullptr : rows_[size_t(i)].models[size_t(col)];   // null: energy or agreement not shown
}

HeatmapChart* RunView::heatmapChart(int i, Metric metric) const {
    if (i < 0 || i >= int(rows_.size())) return nullptr;
    const int col = heatmapColumn(metric);
    if (col < 0) return nullptr;
    ChartView* v = rows_[size_t(i)].heatmaps[size_t(col)];
    return v ? static_cast<HeatmapChart*>(v->chart()) : nullptr;
}

LineChart* RunView::lineChart(int i, Metric metric) const {
    if (i < 0 || i >= int(rows_.size())) return nullptr;
    if (linesDirty_) const_cast<RunView*>(this)->refreshLines();
    if (metric == Metric::EnergySaved || metric == Metric::TaskAgreement) return nullptr;   // the old script's figure has two metrics
    return static_cast<LineChart*>(rows_[size_t(i)].lines[metric == Metric::Speedup ? 0 : 1]->chart());
}

} // namespace bertbench::ui

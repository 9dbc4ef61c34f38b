#include "ui/widgets/MainWindow.h"

#include <QChart>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <algorithm>

#include "core/sweep/OfflineJson.h"
#include "core/sweep/SpecJson.h"
#include "ui/models/OpenRuns.h"
#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/ExportActions.h"
#include "ui/widgets/LiveSweep.h"
#include "ui/widgets/MainWindowMenus.h"
#include "ui/widgets/OfflineView.h"
#include "ui/widgets/RecentFiles.h"
#include "ui/widgets/RecoveryController.h"
#include "ui/widgets/RunSettingsSection.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SweepPanel.h"

namespace bertbench::ui {

MainWindow::MainWindow(AppContext context, QWidget* parent) : QMainWindow(parent), context_(std::move(context)) {
    setWindowTitle(tr("BertBench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/bertbench.svg")));
    setAcceptDrops(true);
    buildSweepDock();
    buildCentre();

    sweep_ = new LiveSweep(context_, statusBar(), [this](RunDocument* doc) { addRunView(doc); }, this);
    recent_ = new RecentFiles(this);
    recovery_ = new RecoveryController(
        *sweep_, *panel_, [this](const QStringList& paths, QStringList* problems) { openFiles(paths, problems); }, this);
    exports_ = new ExportActions(this, [this] { return currentRunView(); }, [this] { return currentChart(); }, *recent_);
    connect(sweep_, &LiveSweep::runningChanged, this, &MainWindow::updateActions);
    connect(sweep_, &LiveSweep::saved, recent_, &RecentFiles::add);
    connect(sweep_, &LiveSweep::errorOccurred, this, &MainWindow::showError);
    connect(recovery_, &RecoveryController::errorOccurred, this, &MainWindow::showError);
    connect(exports_, &ExportActions::errorOccurred, this, &MainWindow::showError);
    connect(exports_, &ExportActions::message, this, [this](const QString& text) { statusBar()->showMessage(text, 6000); });
    connect(recent_, &RecentFiles::openRequested, this, [this](const QString& path) { openFiles({path}); });
    connect(panel_, &SweepPanel::runRequested, this, &MainWindow::startSweep);
    connect(panel_, &SweepPanel::stopRequested, this, &MainWindow::stopSweep);
    connect(panel_, &SweepPanel::validityChanged, this, &MainWindow::updateActions);

    actions_ = std::make_unique<MainWindowActions>(buildMainMenus(*this, *exports_, *recent_));
    restoreSettings();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildSweepDock() {
    panel_ = new SweepPanel(*context_.registry);
    panel_->runSettings()->setGpus(context_.gpus);
    auto* scroll = new QScrollArea;
    scroll->setWidget(panel_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(panel_->sizeHint().width() + 24);
    auto* dock = new QDockWidget(tr("Sweep"), this);
    dock->setObjectName(QStringLiteral("sweepDock"));
    dock->setWidget(scroll);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
}

void MainWindow::buildCentre() {
    centre_ = new QStackedWidget;
    auto* welcome = new QLabel(tr("<h2>BertBench</h2>"
                                  "<p>Choose a sweep on the left and press <b>Run</b> — heatmaps fill in cell by cell.</p>"
                                  "<p>Or open past runs: <b>File ▸ Open</b>, or drop run files here (native .json/.csv, "
                                  "or the old script's log_Bert_*.csv; select several to see them side by side).</p>"));
    welcome->setAlignment(Qt::AlignCenter);
    welcome->setWordWrap(true);
    welcome->setStyleSheet(QStringLiteral("color: #444;"));
    centre_->addWidget(welcome);
    tabs_ = new QTabWidget;
    tabs_->setObjectName(QStringLiteral("documentTabs"));
    tabs_->setTabsClosable(true);
    tabs_->setMovable(true);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &MainWindow::closeTab);
    connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::updateActions);
    centre_->addWidget(tabs_);
    setCentralWidget(centre_);
}

void MainWindow::restoreSettings() {
    QSettings settings;
    const QString lastSpec = settings.value(QStringLiteral("lastSpec")).toString();
    if (!lastSpec.isEmpty()) {
        try {
            panel_->setSpec(specFromJson(lastSpec.toStdString(), "settings"));
        } catch (const std::exception&) {
            // A spec from an older version: keep the default.
        }
    }
    resize(1400, 900);
    restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("windowState")).toByteArray());
}

SweepController* MainWindow::controller() const { return sweep_->controller(); }

RunView* MainWindow::currentRunView() const { return qobject_cast<RunView*>(tabs_->currentWidget()); }

template <typename View>
QList<View*> MainWindow::tabsOf() const {
    QList<View*> views;
    for (int i = 0; i < tabs_->count(); ++i)
        if (auto* v = qobject_cast<View*>(tabs_->widget(i))) views << v;
    return views;
}

QList<RunView*> MainWindow::runViews() const { return tabsOf<RunView>(); }
QList<OfflineView*> MainWindow::offlineViews() const { return tabsOf<OfflineView>(); }

QChart* MainWindow::currentChart() const {
    if (RunView* v = currentRunView()) return v->currentChart();
    if (auto* v = qobject_cast<OfflineView*>(tabs_->currentWidget())) return v->chart();
    if (compare_ && tabs_->currentWidget() == compare_) return compare_->currentChart();
    return nullptr;
}

RunView* MainWindow::addRunView(RunDocument* document) {
    auto* view = new RunView(document);
    document->setParent(view);
    connect(view, &RunView::chartSaveRequested, exports_, &ExportActions::exportChartDialog);
    connect(document, &RunDocument::titleChanged, this, [this, view](const QString& title) {
        const int i = tabs_->indexOf(view);
        if (i >= 0) tabs_->setTabText(i, title);
    });
    showDocumentTab(view, document->title(), document->sourcePaths());
    documentsChanged();
    return view;
}

void MainWindow::showDocumentTab(QWidget* view, const QString& title, const QStringList& paths) {
    // Documents go before Compare, so Compare stays last.
    int at = tabs_->count();
    if (compare_) at = tabs_->indexOf(compare_);
    tabs_->insertTab(at, view, title);
    tabs_->setTabToolTip(at, paths.join(QLatin1Char('\n')));
    tabs_->setCurrentIndex(at);
    centre_->setCurrentWidget(tabs_);
}

void MainWindow::closeTab(int index) {
    QWidget* w = tabs_->widget(index);
    if (auto* v = qobject_cast<RunView*>(w); v && v->document() == sweep_->document() && isSweepRunning()) {
        statusBar()->showMessage(tr("Stop the sweep before closing its tab."), 4000);
        return;
    }
    tabs_->removeTab(index);
    w->deleteLater();
    if (tabs_->count() == 0) centre_->setCurrentIndex(0);
    // deleteLater: the documents list must not include the closing view's document.
    QTimer::singleShot(0, this, &MainWindow::documentsChanged);
}

void MainWindow::documentsChanged() {
    if (compare_) {
        QList<RunDocument*> docs;
        for (RunView* v : runViews()) docs << v->document();
        compare_->setDocuments(docs);
    }
    updateActions();
}

CompareView* MainWindow::showCompare() {
    if (!compare_) {
        compare_ = new CompareView;
        connect(compare_, &CompareView::chartSaveRequested, exports_, &ExportActions::exportChartDialog);
        tabs_->addTab(compare_, tr("Compare"));
        centre_->setCurrentWidget(tabs_);
        documentsChanged();
    }
    tabs_->setCurrentWidget(compare_);
    return compare_;
}

void MainWindow::updateActions() {
    if (!actions_) return;   // during construction
    const bool running = isSweepRunning();
    actions_->run->setEnabled(panel_->isValid() && !running);
    actions_->stop->setEnabled(running);
    panel_->setRunning(running);
    const bool haveRun = currentRunView() != nullptr;
    for (QAction* a : actions_->needRunView) a->setEnabled(haveRun);
    if (RunView* v = currentRunView()) setWindowTitle(tr("BertBench — %1").arg(v->document()->title()));
    else setWindowTitle(tr("BertBench"));
}

bool MainWindow::isSweepRunning() const { return sweep_->isRunning(); }

bool MainWindow::startSweep() {
    panel_->validateNow();
    if (!panel_->isValid() || isSweepRunning()) return false;
    const SweepSpec spec = panel_->spec();
    QSettings().setValue(QStringLiteral("lastSpec"), QString::fromStdString(specToJson(spec)));
    // Every finished sweep is kept (written by the worker) and reopens from the recent files.
    const QString savePath = QDir(runsFolder()).filePath(
        QStringLiteral("run-%1.json").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    return sweep_->launch(spec,
                          tr("Run %1 · %2 · %3")
                              .arg(++sweepCount_)
                              .arg(modelText(Run{spec, {}, {}}), QTime::currentTime().toString(QStringLiteral("HH:mm"))),
                          savePath, {}, panel_->runSettings()->options());
}

void MainWindow::stopSweep() { sweep_->stop(); }

QString MainWindow::runsFolder() { return RecoveryController::runsFolder(); }
QStringList MainWindow::interruptedJournals() const { return recovery_->interruptedJournals(); }
bool MainWindow::recoverJournal(const QString& journalPath, bool resume, QString* error) {
    return recovery_->recover(journalPath, resume, error);
}
void MainWindow::offerRecovery() { recovery_->offer(); }

namespace {

// offline.json files, read; the other paths are left in `paths`.
std::vector<OfflineFile> takeOfflineFiles(QStringList& paths, QStringList& problems) {
    std::vector<OfflineFile> files;
    QStringList rest;
    for (const QString& p : paths) {
        try {
            if (std::optional<OfflineResult> result = readIfOfflineFile(p.toStdString()))
                files.push_back({p, std::move(*result)});
            else
                rest << p;
        } catch (const std::exception& e) {   // an offline.json with a bad field
            problems << QFileInfo(p).fileName() + QStringLiteral(": ") + QString::fromStdString(e.what());
        }
    }
    paths = rest;
    return files;
}

} // namespace

void MainWindow::addOfflineView(const std::vector<OfflineFile>& files, QStringList& problems) {
    auto* view = new OfflineView(files, &problems);
    connect(view, &OfflineView::chartSaveRequested, exports_, &ExportActions::exportChartDialog);
    showDocumentTab(view, view->tabTitle(), view->sourcePaths());
    updateActions();
}

QList<RunView*> MainWindow::openFiles(const QStringList& paths, QStringList* errors) {
    QStringList problems;
    QList<RunView*> views;
    QStringList runPaths = paths;
    if (const std::vector<OfflineFile> offline = takeOfflineFiles(runPaths, problems); !offline.empty())
        addOfflineView(offline, problems);
    for (OpenedRun& opened : openRunFiles(runPaths, &problems)) {
        auto* doc = new RunDocument(opened.title);
        doc->setRun(std::move(opened.run), opened.paths);
        views << addRunView(doc);
    }
    // A file that failed to read is not remembered.
    for (const QString& p : paths)
        if (std::none_of(problems.begin(), problems.end(),
                         [&](const QString& e) { return e.startsWith(QFileInfo(p).fileName() + QLatin1Char(':')); }))
            recent_->add(QDir::cleanPath(QFileInfo(p).absoluteFilePath()));
    if (!problems.isEmpty()) {
        if (errors) *errors << problems;
        else showError(tr("Open runs"), problems.join(QLatin1Char('\n')));
    }
    return views;
}

void MainWindow::openDialog() {
    QSettings settings;
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open runs"), settings.value(QStringLiteral("openDir")).toString(),
        tr("Runs and offline results (*.json *.csv);;Native runs, offline.json (*.json);;CSV (*.csv);;All files (*)"));
    if (paths.isEmpty()) return;
    settings.setValue(QStringLiteral("openDir"), QFileInfo(paths.front()).absolutePath());
    openFiles(paths);
}

QStringList MainWindow::recentFiles() const { return recent_->paths(); }

bool MainWindow::saveRun(const QString& path, QString* error) { return exports_->saveRun(path, error); }
bool MainWindow::exportNativeCsv(const QString& path, QString* error) { return exports_->exportNativeCsv(path, error); }
QStringList MainWindow::exportSeedCsvs(const QString& folder, QString* error) {
    return exports_->exportSeedCsvs(folder, error);
}
bool MainWindow::exportCurrentChart(const QString& path, qreal scale, QString* error) {
    return exports_->exportCurrentChart(path, scale, error);
}
bool MainWindow::exportReport(const QString& path, qreal scale, QString* error) {
    return exports_->exportFigure(ExportActions::Figure::Report, path, scale, error);
}
bool MainWindow::exportLines(const QString& path, qreal scale, QString* error) {
    return exports_->exportFigure(ExportActions::Figure::Lines, path, scale, error);
}
bool MainWindow::exportBreakdown(const QString& path, qreal scale, QString* error) {
    return exports_->exportFigure(ExportActions::Figure::Breakdown, path, scale, error);
}

void MainWindow::showError(const QString& title, const QString& text) {
    // Window-modal and non-blocking: the sweep and the event loop go on behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(title + QStringLiteral(": ") + text.section(QLatin1Char('\n'), 0, 0), 8000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (isSweepRunning()) sweep_->controller()->stop();   // its destructor waits for the current forward
    QSettings settings;
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("windowState"), saveState());
    settings.setValue(QStringLiteral("lastSpec"), QString::fromStdString(specToJson(panel_->spec())));
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        openFiles(paths);
        event->acceptProposedAction();
    }
}

} // namespace bertbench::ui

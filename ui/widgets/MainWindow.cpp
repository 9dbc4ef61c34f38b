#include "ui/widgets/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QToolBar>

#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/sweep/SpecJson.h"
#include "ui/models/OpenRuns.h"
#include "ui/models/RowText.h"
#include "ui/models/RunDocument.h"
#include "ui/report/ReportRenderer.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SweepPanel.h"

namespace bertbench::ui {
namespace {

constexpr int kMaxRecent = 10;

QString clockText(double seconds) {
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString withSuffix(QString path, const QString& suffix) {
    if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + suffix;
    return path;
}

} // namespace

MainWindow::MainWindow(AppContext context, QWidget* parent) : QMainWindow(parent), context_(std::move(context)) {
    setWindowTitle(tr("BertBench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/bertbench.svg")));
    setAcceptDrops(true);

    panel_ = new SweepPanel(*context_.registry);
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

    controller_ = new SweepController(*context_.registry, context_.weights, this);
    connect(controller_, &SweepController::cellStarted, this, [this](const Cell& cell, int index, int total) {
        if (liveDocument_) liveDocument_->setRunningCell(cell);
        cellLabel_->setText(tr("cell %1/%2").arg(index + 1).arg(total));
        progressBar_->setMaximum(std::max(1, total));
    });
    connect(controller_, &SweepController::rowReady, this, [this](const ResultRow& row) {
        if (liveDocument_) liveDocument_->appendRow(row);
    });
    connect(controller_, &SweepController::progress, this, [this](const SweepProgress& p) {
        if (liveDocument_) liveDocument_->setProgress(p);
        progressBar_->setMaximum(std::max(1, p.cellsTotal));
        progressBar_->setValue(p.cellsDone);
        lastEtaS_ = p.etaS;
        sinceProgress_.start();
        tickClock();
    });
    connect(controller_, &SweepController::logLine, this, [this](const QString& line) {
        if (liveDocument_) liveDocument_->appendLog(line);
    });
    connect(controller_, &SweepController::saved, this, &MainWindow::addRecentFile);
    connect(controller_, &SweepController::finished, this, &MainWindow::onSweepFinished);
    connect(panel_, &SweepPanel::runRequested, this, &MainWindow::startSweep);
    connect(panel_, &SweepPanel::stopRequested, this, &MainWindow::stopSweep);
    connect(panel_, &SweepPanel::validityChanged, this, &MainWindow::updateActions);

    buildMenus();
    buildStatusBar();

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
    updateRecentMenu();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open runs…"), this,
                                    &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    QAction* save = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Save run as…"), this,
                                    &MainWindow::saveRunDialog);
    save->setShortcut(QKeySequence::Save);
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    QAction* csv = exportMenu->addAction(tr("Native &CSV…"), this, &MainWindow::exportNativeCsvDialog);
    QAction* seed = exportMenu->addAction(tr("&Seed-compatible CSVs (old script's format)…"), this,
                                          &MainWindow::exportSeedCsvDialog);
    exportMenu->addSeparator();
    QAction* chart = exportMenu->addAction(tr("Current c&hart as image…"), this,
                                           [this] { exportChartDialog(currentChart()); });
    chart->setShortcut(QKeySequence(tr("Ctrl+E")));
    QAction* report = exportMenu->addAction(tr("&Report figure (heatmaps, every seq len)…"), this,
                                            [this] { exportFigureDialog(false); });
    report->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    QAction* lines = exportMenu->addAction(tr("&Lines figure (the old script's plot)…"), this,
                                           [this] { exportFigureDialog(true); });
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    runActions_ = {save, csv, seed, report, lines};

    QMenu* sweep = menuBar()->addMenu(tr("&Sweep"));
    runAction_ = sweep->addAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run"), this, &MainWindow::startSweep);
    runAction_->setShortcut(QKeySequence(tr("Ctrl+R")));
    stopAction_ = sweep->addAction(style()->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this, &MainWindow::stopSweep);
    stopAction_->setShortcut(QKeySequence(tr("Ctrl+.")));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* compare = view->addAction(tr("&Compare runs"), this, [this] { showCompare(); });
    compare->setShortcut(QKeySequence(tr("Ctrl+K")));
    view->addSeparator();
    const QStringList pages{tr("&Heatmaps"), tr("&Lines"), tr("&Table"), tr("L&og")};
    for (int i = 0; i < pages.size(); ++i) {
        QAction* a = view->addAction(pages[i], this, [this, i] {
            if (RunView* v = currentRunView()) v->showPage(RunView::Page(i));
        });
        a->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
    }
    view->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About BertBench"), this, [this] {
        QMessageBox::about(this, tr("About BertBench"),
                           tr("<b>BertBench %1</b><p>How BERT inference speed and memory change with the attention "
                              "implementation, batch size, sequence length and padding.</p>"
                              "<p>speedup % = (t_baseline / t_candidate − 1) × 100<br>"
                              "memory saved % = (peak_baseline / peak_candidate − 1) × 100</p>")
                               .arg(QStringLiteral(BERTBENCH_VERSION)));
    });

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setMovable(false);
    bar->addAction(runAction_);
    bar->addAction(stopAction_);
    bar->addSeparator();
    bar->addAction(open);
    bar->addAction(compare);
    bar->addAction(report);
}

void MainWindow::buildStatusBar() {
    progressBar_ = new QProgressBar;
    progressBar_->setObjectName(QStringLiteral("progress"));
    progressBar_->setMaximumWidth(220);
    progressBar_->setTextVisible(true);
    progressBar_->setValue(0);
    cellLabel_ = new QLabel(tr("idle"));
    cellLabel_->setObjectName(QStringLiteral("cellLabel"));
    timeLabel_ = new QLabel;
    timeLabel_->setObjectName(QStringLiteral("timeLabel"));
    deviceLabel_ = new QLabel;
    deviceLabel_->setObjectName(QStringLiteral("deviceLabel"));
    const Environment env = machine();
    bool cuda = false;
    for (const std::string& n : context_.registry->names()) cuda = cuda || n.rfind("cuda", 0) == 0;
    QString device = cuda && !env.gpu.empty() ? tr("GPU: %1").arg(qstr(env.gpu)) : tr("CPU: %1").arg(qstr(env.cpu));
    deviceLabel_->setText(device);
    deviceLabel_->setToolTip(tr("host %1\nCPU %2\nBLAS %3\nGPU %4\ndriver %5, CUDA runtime %6")
                                 .arg(qstr(env.host), qstr(env.cpu), qstr(env.blas),
                                      env.gpu.empty() ? tr("none") : qstr(env.gpu), qstr(env.driver), qstr(env.cudaRuntime)));
    statusBar()->addPermanentWidget(cellLabel_);
    statusBar()->addPermanentWidget(progressBar_);
    statusBar()->addPermanentWidget(timeLabel_);
    statusBar()->addPermanentWidget(deviceLabel_);
    clock_ = new QTimer(this);
    clock_->setInterval(1000);
    connect(clock_, &QTimer::timeout, this, &MainWindow::tickClock);
}

Environment MainWindow::machine() const {
    return context_.environment ? context_.environment() : currentEnvironment();
}

void MainWindow::tickClock() {
    if (!isSweepRunning()) return;
    const double elapsed = sweepClock_.elapsed() / 1000.0;
    QString text = tr("elapsed %1").arg(clockText(elapsed));
    if (lastEtaS_ >= 0) {
        const double eta = std::max(0.0, lastEtaS_ - sinceProgress_.elapsed() / 1000.0);
        text += tr(" · ETA %1").arg(clockText(eta));
    } else {
        text += tr(" · ETA …");
    }
    timeLabel_->setText(text);
}

RunView* MainWindow::currentRunView() const { return qobject_cast<RunView*>(tabs_->currentWidget()); }

QList<RunView*> MainWindow::runViews() const {
    QList<RunView*> views;
    for (int i = 0; i < tabs_->count(); ++i)
        if (auto* v = qobject_cast<RunView*>(tabs_->widget(i))) views << v;
    return views;
}

RunView* MainWindow::addRunView(RunDocument* document) {
    auto* view = new RunView(document);
    document->setParent(view);
    connect(view, &RunView::chartSaveRequested, this, &MainWindow::exportChartDialog);
    connect(document, &RunDocument::titleChanged, this, [this, view](const QString& title) {
        const int i = tabs_->indexOf(view);
        if (i >= 0) tabs_->setTabText(i, title);
    });
    // Runs go before Compare, so Compare stays last.
    int at = tabs_->count();
    if (compare_) at = tabs_->indexOf(compare_);
    tabs_->insertTab(at, view, document->title());
    tabs_->setTabToolTip(at, document->sourcePaths().join(QLatin1Char('\n')));
    tabs_->setCurrentIndex(at);
    centre_->setCurrentWidget(tabs_);
    documentsChanged();
    return view;
}

void MainWindow::closeTab(int index) {
    QWidget* w = tabs_->widget(index);
    if (auto* v = qobject_cast<RunView*>(w); v && v->document() == liveDocument_ && isSweepRunning()) {
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
        connect(compare_, &CompareView::chartSaveRequested, this, &MainWindow::exportChartDialog);
        tabs_->addTab(compare_, tr("Compare"));
        centre_->setCurrentWidget(tabs_);
        documentsChanged();
    }
    tabs_->setCurrentWidget(compare_);
    return compare_;
}

void MainWindow::updateActions() {
    const bool running = isSweepRunning();
    runAction_->setEnabled(panel_->isValid() && !running);
    stopAction_->setEnabled(running);
    panel_->setRunning(running);
    const bool haveRun = currentRunView() != nullptr;
    for (QAction* a : runActions_) a->setEnabled(haveRun);
    if (RunView* v = currentRunView()) setWindowTitle(tr("BertBench — %1").arg(v->document()->title()));
    else setWindowTitle(tr("BertBench"));
}

bool MainWindow::isSweepRunning() const { return controller_->isRunning(); }

bool MainWindow::startSweep() {
    panel_->validateNow();
    if (!panel_->isValid() || isSweepRunning()) return false;
    const SweepSpec spec = panel_->spec();
    QSettings().setValue(QStringLiteral("lastSpec"), QString::fromStdString(specToJson(spec)));
    // Every finished sweep is kept (written by the worker) and reopens from the recent files.
    const QString savePath = QDir(runsFolder()).filePath(
        QStringLiteral("run-%1.json").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    return launchSweep(spec,
                       tr("Run %1 · %2 · %3")
                           .arg(++sweepCount_)
                           .arg(qstr(spec.model), QTime::currentTime().toString(QStringLiteral("HH:mm"))),
                       savePath, {});
}

bool MainWindow::launchSweep(const SweepSpec& spec, const QString& title, const QString& savePath,
                             const SweepResume& resume) {
    const Environment env = machine();
    auto* doc = new RunDocument(title);
    doc->beginLive(spec, env);
    liveDocument_ = doc;
    addRunView(doc);
    progressBar_->setValue(0);
    progressBar_->setMaximum(1);
    cellLabel_->setText(tr("starting…"));
    lastEtaS_ = -1;
    sweepClock_.start();
    sinceProgress_.start();
    controller_->start(spec, env, savePath, resume);
    clock_->start();
    tickClock();
    updateActions();
    statusBar()->showMessage(resume.journalPath.isEmpty() ? tr("Sweep started") : tr("Sweep resumed"), 3000);
    return true;
}

QString MainWindow::runsFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/runs");
}

QStringList MainWindow::interruptedJournals() const {
    QStringList paths;
    const QDir dir(runsFolder());
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("*.journal")}, QDir::Files, QDir::Time))
        paths << f.absoluteFilePath();
    return paths;
}

bool MainWindow::recoverJournal(const QString& journalPath, bool resume, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (resume && isSweepRunning()) return fail(tr("a sweep is running"));
    JournalContents contents;
    try {
        contents = readJournal(journalPath.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    QString savePath = journalPath;
    savePath.chop(QStringLiteral(".journal").size());
    savePath += QStringLiteral(".json");
    if (resume) {
        panel_->setSpec(contents.run.spec);
        SweepResume r;
        r.previousRows = contents.run.rows;
        r.skip = finishedCells(contents.run);
        r.journalPath = journalPath;
        return launchSweep(contents.run.spec, tr("Recovered · %1").arg(QFileInfo(savePath).completeBaseName()), savePath, r);
    }
    try {
        Run run = contents.run;
        run.rows = mergeRows(run.spec, run.rows);
        writeRunJson(run, savePath.toStdString());
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    QFile::remove(journalPath);
    QStringList problems;
    openFiles({savePath}, &problems);
    if (!problems.isEmpty()) return fail(problems.join(QLatin1Char('\n')));
    return true;
}

void MainWindow::offerRecovery() {
    for (const QString& path : interruptedJournals()) {
        if (isSweepRunning()) return;   // one resumed sweep at a time; the rest are offered next start
        int rows = 0, cells = 0;
        try {
            const JournalContents c = readJournal(path.toStdString());
            rows = int(c.run.rows.size());
            cells = int(cellsOf(c.run.spec).size());
        } catch (const std::exception& e) {
            showError(tr("Interrupted sweep"), tr("%1 cannot be read: %2").arg(path, QString::fromStdString(e.what())));
            continue;
        }
        QMessageBox box(QMessageBox::Question, tr("Recover an interrupted sweep"),
                        tr("BertBench was closed while a sweep was running. %n row(s) of it were saved "
                           "(%1 cells in the sweep).",
                           nullptr, rows)
                            .arg(cells),
                        QMessageBox::NoButton, this);
        box.setInformativeText(path);
        QPushButton* resumeButton = box.addButton(tr("Resume the sweep"), QMessageBox::AcceptRole);
        QPushButton* openButton = box.addButton(tr("Open the saved rows"), QMessageBox::ActionRole);
        QPushButton* discardButton = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("Later"), QMessageBox::RejectRole);
        box.setDefaultButton(resumeButton);
        box.exec();
        QString error;
        if (box.clickedButton() == resumeButton && !recoverJournal(path, true, &error)) showError(tr("Resume"), error);
        else if (box.clickedButton() == openButton && !recoverJournal(path, false, &error)) showError(tr("Open"), error);
        else if (box.clickedButton() == discardButton) QFile::remove(path);
    }
}

void MainWindow::stopSweep() {
    if (!isSweepRunning()) return;
    controller_->stop();
    cellLabel_->setText(tr("stopping after this forward pass…"));
}

void MainWindow::onSweepFinished(const Run& run, bool cancelled, const QString& error) {
    clock_->stop();
    const double elapsed = sweepClock_.elapsed() / 1000.0;
    if (liveDocument_) liveDocument_->finishLive(run);
    liveDocument_ = nullptr;
    progressBar_->setValue(progressBar_->maximum() > 0 && !cancelled && error.isEmpty() ? progressBar_->maximum()
                                                                                         : progressBar_->value());
    const QString state = !error.isEmpty() ? tr("failed") : cancelled ? tr("stopped") : tr("finished");
    cellLabel_->setText(tr("%1 · %n rows", nullptr, int(run.rows.size())).arg(state));
    timeLabel_->setText(tr("took %1").arg(clockText(elapsed)));
    if (!error.isEmpty()) showError(tr("Sweep failed"), error);
    else statusBar()->showMessage(tr("Sweep %1 in %2").arg(state, clockText(elapsed)), 6000);
    updateActions();
}

QList<RunView*> MainWindow::openFiles(const QStringList& paths, QStringList* errors) {
    QStringList problems;
    QList<RunView*> views;
    for (OpenedRun& opened : openRunFiles(paths, &problems)) {
        auto* doc = new RunDocument(opened.title);
        doc->setRun(std::move(opened.run), opened.paths);
        views << addRunView(doc);
    }
    for (const QString& p : paths)
        if (std::none_of(problems.begin(), problems.end(), [&](const QString& e) { return e.startsWith(QFileInfo(p).fileName() + QLatin1Char(':')); }))
            addRecentFile(QDir::cleanPath(QFileInfo(p).absoluteFilePath()));
    if (!problems.isEmpty()) {
        if (errors) *errors << problems;
        else showError(tr("Open runs"), problems.join(QLatin1Char('\n')));
    }
    return views;
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    updateRecentMenu();
}

QStringList MainWindow::recentFiles() const { return QSettings().value(QStringLiteral("recentFiles")).toStringList(); }

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList recent = recentFiles();
    for (const QString& path : recent) {
        QAction* a = recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openFiles({path}); });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (recent.isEmpty()) recentMenu_->addAction(tr("(none yet)"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear list"), this, [this] {
            QSettings().remove(QStringLiteral("recentFiles"));
            updateRecentMenu();
        });
    }
}

QChart* MainWindow::currentChart() const {
    if (RunView* v = currentRunView()) return v->currentChart();
    if (compare_ && tabs_->currentWidget() == compare_) return compare_->currentChart();
    return nullptr;
}

bool MainWindow::saveRun(const QString& path, QString* error) {
    RunView* v = currentRunView();
    if (!v) return false;
    try {
        writeRunJson(v->document()->run(), path.toStdString());
        addRecentFile(QFileInfo(path).absoluteFilePath());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = qstr(e.what());
        return false;
    }
}

bool MainWindow::exportNativeCsv(const QString& path, QString* error) {
    RunView* v = currentRunView();
    if (!v) return false;
    try {
        writeNativeCsv(v->document()->run(), path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = qstr(e.what());
        return false;
    }
}

QStringList MainWindow::exportSeedCsvs(const QString& folder, QString* error) {
    QStringList written;
    RunView* v = currentRunView();
    if (!v) return written;
    try {
        QDir().mkpath(folder);
        for (const std::string& p : writeSeedCsvs(v->document()->run(), folder.toStdString())) written << qstr(p);
    } catch (const std::exception& e) {
        if (error) *error = qstr(e.what());
    }
    return written;
}

bool MainWindow::exportCurrentChart(const QString& path, qreal scale, QString* error) {
    QChart* chart = currentChart();
    if (!chart) {
        if (error) *error = tr("no chart on this page (choose Heatmaps, Lines or Compare)");
        return false;
    }
    return saveChart(*chart, path, scale, error);
}

bool MainWindow::exportReport(const QString& path, qreal scale, QString* error) {
    RunView* v = currentRunView();
    if (!v) return false;
    RunFigure figure(v->document()->run(), RunFigure::Kind::Heatmaps, v->task(), {v->candidate()});
    return figure.save(path, scale, error);
}

bool MainWindow::exportLines(const QString& path, qreal scale, QString* error) {
    RunView* v = currentRunView();
    if (!v) return false;
    RunFigure figure(v->document()->run(), RunFigure::Kind::Lines, v->task(), v->axes().candidates);
    return figure.save(path, scale, error);
}

void MainWindow::showError(const QString& title, const QString& text) {
    // Window-modal and non-blocking: the sweep and the event loop go on behind it.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(title + QStringLiteral(": ") + text.section(QLatin1Char('\n'), 0, 0), 8000);
}

void MainWindow::openDialog() {
    QSettings settings;
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open runs"), settings.value(QStringLiteral("openDir")).toString(),
        tr("Runs (*.json *.csv);;Native runs (*.json);;CSV (*.csv);;All files (*)"));
    if (paths.isEmpty()) return;
    settings.setValue(QStringLiteral("openDir"), QFileInfo(paths.front()).absolutePath());
    openFiles(paths);
}

void MainWindow::saveRunDialog() {
    RunView* v = currentRunView();
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save run"), v->document()->title() + QStringLiteral(".json"),
                                                      tr("Native runs (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!saveRun(withSuffix(path, QStringLiteral("json")), &error)) showError(tr("Save run"), error);
}

void MainWindow::exportNativeCsvDialog() {
    RunView* v = currentRunView();
    if (!v) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export native CSV"), v->document()->title() + QStringLiteral(".csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportNativeCsv(withSuffix(path, QStringLiteral("csv")), &error)) showError(tr("Export CSV"), error);
}

void MainWindow::exportSeedCsvDialog() {
    if (!currentRunView()) return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for the seed-compatible CSVs"));
    if (folder.isEmpty()) return;
    QString error;
    const QStringList written = exportSeedCsvs(folder, &error);
    if (!error.isEmpty()) showError(tr("Export seed CSVs"), error);
    else statusBar()->showMessage(tr("Wrote %1").arg(written.join(QStringLiteral(", "))), 8000);
}

bool MainWindow::askImageFile(const QString& title, const QString& suggestedName, QString* file, int* scale) {
    const QString path = QFileDialog::getSaveFileName(this, title, suggestedName + QStringLiteral(".png"),
                                                      tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"));
    if (path.isEmpty()) return false;
    *file = withSuffix(path, QStringLiteral("png"));
    *scale = 1;
    if (QFileInfo(*file).suffix().toLower() != QLatin1String("png")) return true;   // vector: no scale
    bool ok = true;
    *scale = QInputDialog::getInt(this, tr("Scale"), tr("Device pixels per pixel (2× or more for print):"), 2, 2, 8, 1, &ok);
    return ok;
}

void MainWindow::exportChartDialog(QChart* chart) {
    if (!chart) {
        statusBar()->showMessage(tr("No chart on this page: choose Heatmaps, Lines or Compare."), 5000);
        return;
    }
    // "Speedup (%) · seq len 128<br>…" → "Speedup_seq_len_128"
    static const QRegularExpression notWord(QStringLiteral("[^A-Za-z0-9]+"));
    QString plain = QTextDocumentFragment::fromHtml(chart->title()).toPlainText().section(QLatin1Char('\n'), 0, 0);
    QString name = plain.replace(notWord, QStringLiteral("_"));
    while (name.endsWith(QLatin1Char('_'))) name.chop(1);
    QString file, error;
    int scale = 2;
    if (!askImageFile(tr("Save chart"), name.isEmpty() ? QStringLiteral("chart") : name, &file, &scale)) return;
    if (!saveChart(*chart, file, scale, &error)) showError(tr("Save chart"), error);
    else statusBar()->showMessage(tr("Saved %1").arg(file), 5000);
}

void MainWindow::exportFigureDialog(bool lines) {
    RunView* v = currentRunView();
    if (!v) return;
    const QString name = (lines ? QStringLiteral("lines_") : QStringLiteral("report_")) + qstr(toString(v->task())) +
                         (lines ? QString() : QStringLiteral("_") + fileSafe(v->candidate()));
    QString file, error;
    int scale = 2;
    if (!askImageFile(lines ? tr("Export lines figure") : tr("Export report figure"), name, &file, &scale)) return;
    if (!(lines ? exportLines(file, scale, &error) : exportReport(file, scale, &error))) showError(tr("Export figure"), error);
    else statusBar()->showMessage(tr("Saved %1").arg(file), 5000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (isSweepRunning()) {
        controller_->stop();   // the controller's destructor waits for the current forward
    }
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

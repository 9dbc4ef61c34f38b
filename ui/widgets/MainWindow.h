#pragma once
// The workbench window: the sweep panel (left), one tab per open run plus Compare (centre),
// the status bar (progress, cell n/N, elapsed and ETA, device). Runs open from files (menu,
// recent files, drag and drop, several at once) or come live from a sweep. Window state, the
// last spec and recent files persist in QSettings.
#include <QMainWindow>
#include <QElapsedTimer>
#include <QPointer>

#include "ui/widgets/AppContext.h"

QT_BEGIN_NAMESPACE
class QAction;
class QChart;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QTimer;
QT_END_NAMESPACE

namespace bertbench::ui {

class CompareView;
class RunDocument;
class RunView;
class SweepController;
class SweepPanel;
struct SweepResume;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppContext context, QWidget* parent = nullptr);
    ~MainWindow() override;

    SweepPanel* sweepPanel() const { return panel_; }
    SweepController* controller() const { return controller_; }
    // The run view of the current tab, or null (no runs, or Compare is current).
    RunView* currentRunView() const;
    QList<RunView*> runViews() const;
    // Opens (creating if needed) the Compare tab.
    CompareView* showCompare();

    // Opens files; files that fit together become one run (OpenRuns.h). Returns the views
    // created; problems go to `errors` (shown in a dialog when null).
    QList<RunView*> openFiles(const QStringList& paths, QStringList* errors = nullptr);
    // Starts the panel's sweep in a new tab. False if the spec is invalid or one is running.
    bool startSweep();
    void stopSweep();
    bool isSweepRunning() const;

    // Crash recovery. Every sweep journals its rows in runsFolder(); a journal left there means
    // the GUI was killed mid-sweep.
    static QString runsFolder();
    QStringList interruptedJournals() const;
    // resume: the journal's spec goes into the panel and the cells not yet finished are measured;
    // otherwise its rows open as a run. Either way they end up in a run file and the journal goes.
    bool recoverJournal(const QString& journalPath, bool resume, QString* error = nullptr);
    // Asks about each interrupted sweep (app/ calls this once the window is shown).
    void offerRecovery();

    // Exports of the current run view (or Compare for the chart). False + error on failure.
    bool saveRun(const QString& path, QString* error);
    bool exportNativeCsv(const QString& path, QString* error);
    QStringList exportSeedCsvs(const QString& folder, QString* error);
    bool exportCurrentChart(const QString& path, qreal scale, QString* error);
    bool exportReport(const QString& path, qreal scale, QString* error);
    bool exportLines(const QString& path, qreal scale, QString* error);

    QStringList recentFiles() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildStatusBar();
    RunView* addRunView(RunDocument* document);
    void closeTab(int index);
    void updateActions();
    void updateRecentMenu();
    void addRecentFile(const QString& path);
    void documentsChanged();
    void onSweepFinished(const Run& run, bool cancelled, const QString& error);
    bool launchSweep(const SweepSpec& spec, const QString& title, const QString& savePath, const SweepResume& resume);
    void tickClock();
    void showError(const QString& title, const QString& text);
    QChart* currentChart() const;
    Environment machine() const;

    // Menu actions with dialogs around the methods above.
    void openDialog();
    void saveRunDialog();
    void exportNativeCsvDialog();
    void exportSeedCsvDialog();
    void exportChartDialog(QChart* chart);
    // A save dialog for PNG/SVG/PDF, then the scale for PNG (≥ 2×). False when cancelled.
    bool askImageFile(const QString& title, const QString& suggestedName, QString* file, int* scale);
    void exportFigureDialog(bool lines);

    AppContext context_;
    SweepPanel* panel_ = nullptr;
    SweepController* controller_ = nullptr;
    QStackedWidget* centre_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QPointer<CompareView> compare_;
    QPointer<RunDocument> liveDocument_;
    int sweepCount_ = 0;

    QMenu* recentMenu_ = nullptr;
    QAction* runAction_ = nullptr;
    QAction* stopAction_ = nullptr;
    QList<QAction*> runActions_;   // need a current run view

    QProgressBar* progressBar_ = nullptr;
    QLabel* cellLabel_ = nullptr;
    QLabel* timeLabel_ = nullptr;
    QLabel* deviceLabel_ = nullptr;
    QTimer* clock_ = nullptr;
    QElapsedTimer sweepClock_;
    QElapsedTimer sinceProgress_;
    double lastEtaS_ = -1;
};

} // namespace bertbench::ui

#pragma once
// The workbench window: the sweep panel (left), one tab per open run plus Compare (centre),
// the status bar. Runs open from files (menu, recent files, drag and drop, several at once) or
// come live from a sweep. Window state and the last spec persist in QSettings.
// The jobs around it have rooms of their own: LiveSweep (sweep control, status bar),
// RecoveryController (interrupted sweeps), ExportActions (files and figures), RecentFiles,
// MainWindowMenus. The methods here are the window's public face for app/ and the tests.
#include <QMainWindow>
#include <QPointer>
#include <memory>

#include "ui/models/OfflineComparison.h"
#include "ui/widgets/AppContext.h"

QT_BEGIN_NAMESPACE
class QChart;
class QStackedWidget;
class QTabWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class CompareView;
class ExportActions;
class LiveSweep;
class OfflineView;
class RecentFiles;
class RecoveryController;
class RunDocument;
class RunView;
class SweepController;
class SweepPanel;
struct MainWindowActions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppContext context, QWidget* parent = nullptr);
    ~MainWindow() override;

    SweepPanel* sweepPanel() const { return panel_; }
    SweepController* controller() const;
    // The run view of the current tab, or null (no runs, or Compare is current).
    RunView* currentRunView() const;
    QList<RunView*> runViews() const;
    // The chart the user last picked on the current tab, or null.
    QChart* currentChart() const;
    // Opens (creating if needed) the Compare tab.
    CompareView* showCompare();

    // Opens files; files that fit together become one run (OpenRuns.h). offline.json files
    // (`bertbench-cli offline`) open in one offline tab (OfflineView.h). Returns the run views
    // created; problems go to `errors` (shown in a dialog when null).
    QList<RunView*> openFiles(const QStringList& paths, QStringList* errors = nullptr);
    QList<OfflineView*> offlineViews() const;
    void openDialog();
    // Starts the panel's sweep in a new tab. False if the spec is invalid or one is running.
    bool startSweep();
    void stopSweep();
    bool isSweepRunning() const;

    // Crash recovery (RecoveryController.h).
    static QString runsFolder();
    QStringList interruptedJournals() const;
    bool recoverJournal(const QString& journalPath, bool resume, QString* error = nullptr);
    // Asks about each interrupted sweep (app/ calls this once the window is shown).
    void offerRecovery();

    // Exports of the current run view (or Compare for the chart). False + error on failure.
    ExportActions* exports() const { return exports_; }
    bool saveRun(const QString& path, QString* error);
    bool exportNativeCsv(const QString& path, QString* error);
    QStringList exportSeedCsvs(const QString& folder, QString* error);
    bool exportCurrentChart(const QString& path, qreal scale, QString* error);
    bool exportReport(const QString& path, qreal scale, QString* error);
    bool exportLines(const QString& path, qreal scale, QString* error);
    bool exportBreakdown(const QString& path, qreal scale, QString* error);

    QStringList recentFiles() const;

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildCentre();
    void buildSweepDock();
    void restoreSettings();
    RunView* addRunView(RunDocument* document);
    // A run or offline tab, inserted before Compare and made current.
    void showDocumentTab(QWidget* view, const QString& title, const QStringList& paths);
    // The tabs that are a View.
    template <typename View>
    QList<View*> tabsOf() const;
    // One tab for offline.json files of one cell (files of another cell add to `problems`).
    void addOfflineView(const std::vector<OfflineFile>& files, QStringList& problems);
    void closeTab(int index);
    void updateActions();
    void documentsChanged();
    void showError(const QString& title, const QString& text);

    AppContext context_;
    SweepPanel* panel_ = nullptr;
    LiveSweep* sweep_ = nullptr;
    RecentFiles* recent_ = nullptr;
    RecoveryController* recovery_ = nullptr;
    ExportActions* exports_ = nullptr;
    std::unique_ptr<MainWindowActions> actions_;
    QStackedWidget* centre_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QPointer<CompareView> compare_;
    int sweepCount_ = 0;
};

} // namespace bertbench::ui

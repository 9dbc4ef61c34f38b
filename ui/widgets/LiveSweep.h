#pragma once
// The window's sweep control: starts a sweep in a new run tab, feeds that tab's RunDocument as
// rows arrive, and follows the sweep in the status bar (cell n/N, progress, elapsed and ETA,
// the device). One sweep at a time; the worker thread itself is ui/runner's SweepController.
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <functional>

#include "ui/runner/SweepWorker.h"
#include "ui/widgets/AppContext.h"

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
class QStatusBar;
class QTimer;
QT_END_NAMESPACE

namespace bertbench::ui {

class RunDocument;
class SweepController;

class LiveSweep : public QObject {
    Q_OBJECT
public:
    // `openTab` shows a new document (the window gives it a tab). `bar` gets the status widgets.
    LiveSweep(const AppContext& context, QStatusBar* bar, std::function<void(RunDocument*)> openTab,
              QObject* parent);

    SweepController* controller() const { return controller_; }
    bool isRunning() const;
    RunDocument* document() const;   // the live run, or null
    Environment machine() const;

    // A new tab titled `title` fills in as the sweep runs; `savePath` gets the finished run.
    bool launch(const SweepSpec& spec, const QString& title, const QString& savePath, const SweepResume& resume,
                const SweepRunOptions& options = {});
    void stop();

signals:
    void runningChanged();                                   // started or finished
    void saved(const QString& path);
    void errorOccurred(const QString& title, const QString& text);

private:
    void buildStatusWidgets();
    void onFinished(const Run& run, bool cancelled, const QString& error);
    void tickClock();

    const AppContext& context_;
    QStatusBar* bar_;
    std::function<void(RunDocument*)> openTab_;
    SweepController* controller_ = nullptr;
    QPointer<RunDocument> document_;

    QProgressBar* progressBar_ = nullptr;
    QLabel* cellLabel_ = nullptr;
    QLabel* timeLabel_ = nullptr;
    QLabel* deviceLabel_ = nullptr;
    QTimer* clock_ = nullptr;
    QElapsedTimer sweepClock_;
    QElapsedTimer sinceProgress_;
    double lastEtaS_ = -1;
};

// "1:05" or "1:02:03".
QString clockText(double seconds);

} // namespace bertbench::ui

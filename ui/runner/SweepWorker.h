#pragma once
// The sweep runs here, never on the GUI thread (a long forward must not freeze the window). SweepWorker lives on a
// QThread and drives core::SweepRunner; its observer turns progress into signals, which reach
// the GUI's objects as queued calls. Stop sets an atomic flag the runner checks between
// forward passes; every row finished before it stays.
#include <QObject>
#include <QThread>
#include <atomic>
#include <functional>
#include <memory>

#include "core/sweep/SweepRunner.h"

Q_DECLARE_METATYPE(bertbench::Cell)
Q_DECLARE_METATYPE(bertbench::ResultRow)
Q_DECLARE_METATYPE(bertbench::SweepProgress)
Q_DECLARE_METATYPE(bertbench::SweepSpec)
Q_DECLARE_METATYPE(bertbench::Environment)
Q_DECLARE_METATYPE(bertbench::Run)

namespace bertbench::ui {

// Continuing an interrupted sweep: the rows it already has, the cells to skip, its journal.
struct SweepResume {
    std::vector<ResultRow> previousRows;
    std::vector<Cell> skip;
    QString journalPath;   // appended to; empty = a new journal beside the save path
};

// What a sweep runs with besides its spec: the Sweep panel's machine settings.
struct SweepRunOptions {
    std::string python = "python3";   // the torch:* backends' interpreter
    std::vector<int> gpus;            // GPU indices chosen; empty = the default device
};

// The journal of a sweep saved at `savePath` ("run-….json" → "run-….journal").
QString journalPathFor(const QString& savePath);

class SweepWorker : public QObject {
    Q_OBJECT
public:
    SweepWorker(const BackendRegistry& registry, WeightsProvider weights);

    // Thread-safe; takes effect at the runner's next check (between forward passes).
    void requestStop() { cancel_.store(true); }
    void clearStop() { cancel_.store(false); }

public slots:
    // Runs the whole sweep on this object's thread. `environment` describes the machine.
    // A non-empty `savePath` gets the finished run as a native run file (written here, so
    // the GUI thread never waits on the disk).
    // With a save path, every finished row is first appended to the run's journal (fsynced), so
    // a killed GUI loses at most the cell in flight; the journal goes once the run file is saved.
    void run(const bertbench::SweepSpec& spec, const bertbench::Environment& environment, const QString& savePath,
             const bertbench::ui::SweepResume& resume = {});

signals:
    void cellStarted(const bertbench::Cell& cell, int index, int total);
    void rowReady(const bertbench::ResultRow& row);
    void progress(const bertbench::SweepProgress& progress);
    void logLine(const QString& line);
    void saved(const QString& path);
    // `error` is non-empty when the sweep could not run at all (e.g. weights failed to load).
    void finished(const bertbench::Run& run, bool cancelled, const QString& error);

private:
    const BackendRegistry& registry_;
    WeightsProvider weights_;
    std::atomic<bool> cancel_{false};
};

// Owns the worker thread. One sweep at a time.
class SweepController : public QObject {
    Q_OBJECT
public:
    SweepController(const BackendRegistry& registry, WeightsProvider weights, QObject* parent = nullptr);
    ~SweepController() override;   // stops a running sweep and waits for its thread

    bool isRunning() const { return running_; }
    // False (and nothing happens) while a sweep runs. See SweepWorker::run for `savePath`.
    bool start(const SweepSpec& spec, const Environment& environment, const QString& savePath = {},
               const SweepResume& resume = {}, const SweepRunOptions& options = {});
    void stop();

signals:
    void started();
    void cellStarted(const bertbench::Cell& cell, int index, int total);
    void rowReady(const bertbench::ResultRow& row);
    void progress(const bertbench::SweepProgress& progress);
    void logLine(const QString& line);
    void saved(const QString& path);   // before finished()
    void finished(const bertbench::Run& run, bool cancelled, const QString& error);

private:
    QThread thread_;
    SweepWorker* worker_ = nullptr;
    bool running_ = false;
};

} // namespace bertbench::ui

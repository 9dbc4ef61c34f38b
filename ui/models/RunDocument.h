#pragma once
// One run on screen: the Run itself, whether a sweep is still filling it, the running cell,
// its log and where it came from. Views observe it; the sweep controller and file opening fill it.
#include <QObject>
#include <QStringList>
#include <optional>

#include "core/sweep/Run.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench::ui {

class RunDocument : public QObject {
    Q_OBJECT
public:
    explicit RunDocument(QString title, QObject* parent = nullptr);

    const Run& run() const { return run_; }
    const QString& title() const { return title_; }
    const QStringList& sourcePaths() const { return sourcePaths_; }
    bool isLive() const { return live_; }
    const std::optional<Cell>& runningCell() const { return running_; }
    const SweepProgress& progress() const { return progress_; }
    const QStringList& logLines() const { return log_; }

    // A finished or loaded run, replacing everything.
    void setRun(Run run, QStringList sourcePaths = {});
    // Live sweeps: begin with the spec, then rows one by one, then finish.
    void beginLive(const SweepSpec& spec, const Environment& environment);
    void appendRow(const ResultRow& row);
    void setRunningCell(const std::optional<Cell>& cell);
    void setProgress(const SweepProgress& progress);
    // The runner's returned run is the truth (rows of an interrupted cell, end time).
    void finishLive(Run finalRun);
    void appendLog(const QString& line);
    void setTitle(const QString& title);

signals:
    void rowAppended(int index);
    void runningCellChanged();
    void progressChanged();
    void logAppended(const QString& line);
    void liveFinished();
    void reset();           // the whole run changed
    void titleChanged(const QString& title);

private:
    QString title_;
    QStringList sourcePaths_;
    Run run_;
    bool live_ = false;
    std::optional<Cell> running_;
    SweepProgress progress_;
    QStringList log_;
};

} // namespace bertbench::ui

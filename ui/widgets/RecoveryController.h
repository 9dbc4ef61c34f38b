#pragma once
// Crash recovery. Every sweep journals its rows in runsFolder(); a journal left there means
// the GUI was killed mid-sweep. Each can be resumed (its spec goes into the Sweep panel and only
// the unfinished cells are measured), opened as it is, or discarded. Either way its rows end up
// in a run file beside it and the journal goes.
#include <QObject>
#include <QStringList>
#include <functional>

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class LiveSweep;
class SweepPanel;

class RecoveryController : public QObject {
    Q_OBJECT
public:
    // Opens run files as tabs; problems go to the list.
    using OpenFiles = std::function<void(const QStringList& paths, QStringList* problems)>;

    RecoveryController(LiveSweep& sweep, SweepPanel& panel, OpenFiles openFiles, QWidget* dialogParent);

    static QString runsFolder();
    QStringList interruptedJournals() const;
    // False with `error` set when the journal can't be read, a sweep is running (resume), or
    // the run file can't be written.
    bool recover(const QString& journalPath, bool resume, QString* error = nullptr);
    // Asks about each interrupted sweep, one dialog at a time.
    void offer();

signals:
    void errorOccurred(const QString& title, const QString& text);

private:
    LiveSweep& sweep_;
    SweepPanel& panel_;
    OpenFiles openFiles_;
    QWidget* dialogParent_;
};

} // namespace bertbench::ui

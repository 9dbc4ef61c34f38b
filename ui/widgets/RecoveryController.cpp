#include "ui/widgets/RecoveryController.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>

#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/LiveSweep.h"
#include "ui/widgets/SweepPanel.h"

namespace bertbench::ui {

RecoveryController::RecoveryController(LiveSweep& sweep, SweepPanel& panel, OpenFiles openFiles, QWidget* dialogParent)
    : QObject(dialogParent), sweep_(sweep), panel_(panel), openFiles_(std::move(openFiles)), dialogParent_(dialogParent) {}

QString RecoveryController::runsFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/runs");
}

QStringList RecoveryController::interruptedJournals() const {
    QStringList paths;
    const QDir dir(runsFolder());
    for (const QFileInfo& f : dir.entryInfoList({QStringLiteral("*.journal")}, QDir::Files, QDir::Time))
        paths << f.absoluteFilePath();
    return paths;
}

bool RecoveryController::recover(const QString& journalPath, bool resume, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = why;
        return false;
    };
    if (resume && sweep_.isRunning()) return fail(tr("a sweep is running"));
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
        panel_.setSpec(contents.run.spec);
        SweepResume r;
        r.previousRows = contents.run.rows;
        r.skip = finishedCells(contents.run);
        r.journalPath = journalPath;
        return sweep_.launch(contents.run.spec, tr("Recovered · %1").arg(QFileInfo(savePath).completeBaseName()),
                             savePath, r);
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
    openFiles_({savePath}, &problems);
    if (!problems.isEmpty()) return fail(problems.join(QLatin1Char('\n')));
    return true;
}

void RecoveryController::offer() {
    for (const QString& path : interruptedJournals()) {
        if (sweep_.isRunning()) return;   // one resumed sweep at a time; the rest are offered next start
        int rows = 0, cells = 0;
        try {
            const JournalContents c = readJournal(path.toStdString());
            rows = int(c.run.rows.size());
            cells = int(cellsOf(c.run.spec).size());
        } catch (const std::exception& e) {
            emit errorOccurred(tr("Interrupted sweep"),
                               tr("%1 cannot be read: %2").arg(path, QString::fromStdString(e.what())));
            continue;
        }
        QMessageBox box(QMessageBox::Question, tr("Recover an interrupted sweep"),
                        tr("BertBench was closed while a sweep was running. %n row(s) of it were saved "
                           "(%1 cells in the sweep).",
                           nullptr, rows)
                            .arg(cells),
                        QMessageBox::NoButton, dialogParent_);
        box.setInformativeText(path);
        QPushButton* resumeButton = box.addButton(tr("Resume the sweep"), QMessageBox::AcceptRole);
        QPushButton* openButton = box.addButton(tr("Open the saved rows"), QMessageBox::ActionRole);
        QPushButton* discardButton = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.addButton(tr("Later"), QMessageBox::RejectRole);
        box.setDefaultButton(resumeButton);
        box.exec();
        QString error;
        if (box.clickedButton() == resumeButton && !recover(path, true, &error)) emit errorOccurred(tr("Resume"), error);
        else if (box.clickedButton() == openButton && !recover(path, false, &error)) emit errorOccurred(tr("Open"), error);
        else if (box.clickedButton() == discardButton) QFile::remove(path);
    }
}

} // namespace bertbench::ui

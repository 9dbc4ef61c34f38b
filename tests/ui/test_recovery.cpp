// Crash recovery in the GUI: a sweep journals its rows; a journal left behind by a killed GUI is
// found on the next start and either resumed (only the missing cells are measured, the saved
// rows kept as they were) or opened as a run. A finished sweep leaves no journal.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;
using namespace bertbench::ui;

class TestRecovery : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry(nullptr);

    // A journal as a killed GUI leaves it: the header and the rows of the first two cells.
    static QString writeInterruptedJournal(const QString& name, const SweepSpec& spec) {
        QDir().mkpath(MainWindow::runsFolder());
        const QString path = QDir(MainWindow::runsFolder()).filePath(name);
        RunJournal journal = RunJournal::create(path.toStdString(), spec, Environment{});
        const auto cells = cellsOf(spec);
        for (int i = 0; i < 2; ++i)
            for (const std::string& cand : spec.candidates) {
                ResultRow r = test::makeRow(Task::Encoder, cand, cells[size_t(i)].batchSize, cells[size_t(i)].seqLen,
                                            cells[size_t(i)].pad, 123.0, 61.5);
                journal.append(r);
            }
        return path;
    }

private slots:
    void initTestCase() {
        test::useTestSettings();
        QDir(MainWindow::runsFolder()).removeRecursively();
    }

    void finishedSweepLeavesNoJournal() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.sweepPanel()->setSpec(test::tinySpec());
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QVERIFY(window.startSweep());
        QVERIFY(finished.wait(60000));
        QVERIFY(window.interruptedJournals().isEmpty());
        QVERIFY(!QDir(MainWindow::runsFolder()).entryList({"*.json"}).isEmpty());
    }

    void resumeMeasuresOnlyTheMissingCells() {
        const SweepSpec spec = test::tinySpec();
        const QString journal = writeInterruptedJournal("run-killed.journal", spec);
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QCOMPARE(window.interruptedJournals(), QStringList{journal});

        QSignalSpy cells(window.controller(), &SweepController::cellStarted);
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QString error;
        QVERIFY2(window.recoverJournal(journal, true, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        const auto all = cellsOf(spec);
        QCOMPARE(cells.size(), int(all.size()) - 2);   // the two journaled cells are not measured again

        const Run run = finished.front().at(0).value<Run>();
        QCOMPARE(run.rows.size(), all.size() * spec.candidates.size());
        for (const ResultRow& r : run.rows) {
            const bool journaled = r.cell == all[0] || r.cell == all[1];
            QCOMPARE(r.baseline.latency.medianMs == 123.0, journaled);   // kept exactly as saved
            QCOMPARE(toString(r.status), std::string("ok"));
        }
        QVERIFY(!QFile::exists(journal));
        const Run saved = readRunFile(QDir(MainWindow::runsFolder()).filePath("run-killed.json").toStdString());
        QCOMPARE(saved.rows.size(), run.rows.size());
    }

    void openShowsTheSavedRows() {
        const QString journal = writeInterruptedJournal("run-open.journal", test::tinySpec());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QString error;
        QVERIFY2(window.recoverJournal(journal, false, &error), qPrintable(error));
        QVERIFY(!QFile::exists(journal));
        const Run saved = readRunFile(QDir(MainWindow::runsFolder()).filePath("run-open.json").toStdString());
        QCOMPARE(int(saved.rows.size()), 4);
        QCOMPARE(window.runViews().size(), 1);
    }

    void unreadableJournalIsAnErrorNotACrash() {
        QDir().mkpath(MainWindow::runsFolder());
        const QString path = QDir(MainWindow::runsFolder()).filePath("broken.journal");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a journal\n");
        f.close();
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QString error;
        QVERIFY(!window.recoverJournal(path, true, &error));
        QVERIFY(error.contains("journal"));
        QFile::remove(path);
    }
};

QTEST_MAIN(TestRecovery)
#include "test_recovery.moc"

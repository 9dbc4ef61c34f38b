// Live sweeps through the window: a tiny CPU sweep runs to the end on the worker thread with
// rows arriving as signals, the heatmaps show those rows, Stop keeps finished rows and leaves
// the window ready for the next sweep. No forward ever runs on the GUI thread.
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RunDocument.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;
using namespace bertbench::ui;

class TestSweepRun : public QObject {
    Q_OBJECT
    std::atomic<int> guiForwards_{0};
    BackendRegistry registry_ = test::cpuRegistry(&guiForwards_);

    static std::vector<ResultRow> rowsOf(const QSignalSpy& spy) {
        std::vector<ResultRow> rows;
        for (const QList<QVariant>& args : spy) rows.push_back(args.at(0).value<ResultRow>());
        return rows;
    }

private slots:
    void initTestCase() { test::useTestSettings(); }

    void tinySweepRunsToTheEnd() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.show();
        window.sweepPanel()->setSpec(test::tinySpec());
        QSignalSpy rows(window.controller(), &SweepController::rowReady);
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QSignalSpy cells(window.controller(), &SweepController::cellStarted);

        QTest::mouseClick(window.sweepPanel()->findChild<QPushButton*>("run"), Qt::LeftButton);
        QVERIFY(window.isSweepRunning());
        QVERIFY(!window.sweepPanel()->findChild<QPushButton*>("run")->isEnabled());
        QVERIFY(window.sweepPanel()->findChild<QPushButton*>("stop")->isEnabled());
        QVERIFY(finished.wait(60000));
        QVERIFY(!window.isSweepRunning());
        QCOMPARE(finished.front().at(1).toBool(), false);                 // not cancelled
        QVERIFY(finished.front().at(2).toString().isEmpty());             // no error

        // 1 task × 2 batch sizes × 2 lengths × 2 pads = 8 cells, 2 candidates each.
        QCOMPARE(cells.count(), 8);
        QCOMPARE(rows.count(), 16);
        QCOMPARE(guiForwards_.load(), 0);
        const std::vector<ResultRow> got = rowsOf(rows);
        for (const ResultRow& r : got) QVERIFY(r.status == RowStatus::Ok);

        RunView* view = window.currentRunView();
        QVERIFY(view);
        QVERIFY(!view->document()->isLive());
        QCOMPARE(view->document()->run().rows.size(), size_t(16));
        QCOMPARE(view->tableModel()->rowCount(), 16);
        QCOMPARE(window.findChild<QProgressBar*>("progress")->value(), 8);
        QVERIFY(window.findChild<QLabel*>("cellLabel")->text().contains("finished"));
        QVERIFY(!view->document()->run().environment.startTime.empty());

        // Heatmap cells equal the rows that arrived.
        view->refreshNow();
        const RunAxes& axes = view->axes();
        for (const std::string& cand : axes.candidates) {
            view->setCandidate(cand);
            for (const ResultRow& r : got) {
                if (r.candidate.backend != cand) continue;
                const int s = int(std::find(axes.seqLens.begin(), axes.seqLens.end(), r.cell.seqLen) - axes.seqLens.begin());
                const int x = int(std::find(axes.batchSizes.begin(), axes.batchSizes.end(), r.cell.batchSize) - axes.batchSizes.begin());
                const int y = r.cell.pad == 0 ? 0 : 1;
                QCOMPARE(view->heatmapModel(s, Metric::Speedup)->index(y, x).data(HeatmapGridModel::ValueRole).toDouble(),
                         r.speedupPercent());
                QCOMPARE(view->heatmapModel(s, Metric::MemorySaved)->index(y, x).data(HeatmapGridModel::ValueRole).toDouble(),
                         r.memorySavedPercent());
            }
        }
        // The finished run was saved and is among the recent files.
        QVERIFY(!window.recentFiles().isEmpty());
        QVERIFY(QFile::exists(window.recentFiles().front()));
    }

    void stopKeepsFinishedRowsAndTheWindowStaysUsable() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.show();
        // Long enough (~10 s in full) that Stop always lands mid-run; stopping takes < 1 s.
        SweepSpec big = test::tinySpec();
        big.batchSizes = {1, 2, 4, 8, 16};
        big.seqLens = {32, 64, 128, 256};
        big.pads = {0.0, 0.25, 0.5};
        big.numBatches = 5;
        window.sweepPanel()->setSpec(big);
        QSignalSpy rows(window.controller(), &SweepController::rowReady);
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QVERIFY(window.startSweep());
        QVERIFY(rows.wait(60000));
        QTest::mouseClick(window.sweepPanel()->findChild<QPushButton*>("stop"), Qt::LeftButton);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().at(1).toBool(), true);   // cancelled

        RunView* view = window.currentRunView();
        const Run& run = view->document()->run();
        const std::vector<ResultRow> arrived = rowsOf(rows);
        QVERIFY(arrived.size() < size_t(60 * 2));
        // Every row that arrived as finished is kept, as it arrived.
        size_t ok = 0;
        for (const ResultRow& a : arrived) {
            if (a.status != RowStatus::Ok) continue;
            ++ok;
            QVERIFY(std::any_of(run.rows.begin(), run.rows.end(), [&](const ResultRow& r) {
                return r.cell == a.cell && r.candidate.backend == a.candidate.backend && r.status == RowStatus::Ok &&
                       r.candidate.latency.medianMs == a.candidate.latency.medianMs;
            }));
        }
        QVERIFY(ok >= 1);
        QVERIFY(!view->document()->isLive());
        view->refreshNow();
        // Unmeasured cells are "not measured", the finished ones keep their values.
        int okCells = 0, empty = 0;
        for (int s = 0; s < 4; ++s)
            for (int y = 0; y < 3; ++y)
                for (int x = 0; x < 5; ++x) {
                    const auto state = CellState(view->heatmapModel(s, Metric::Speedup)->index(y, x).data(HeatmapGridModel::StateRole).toInt());
                    okCells += state == CellState::Ok;
                    empty += state == CellState::NoData;
                }
        QVERIFY(okCells >= 1);
        QVERIFY(empty >= 1);

        // Usable: the next sweep runs to its end.
        QVERIFY(window.sweepPanel()->findChild<QPushButton*>("run")->isEnabled());
        window.sweepPanel()->setSpec(test::tinySpec());
        finished.clear();
        QVERIFY(window.startSweep());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().at(1).toBool(), false);
        QCOMPARE(window.runViews().size(), 2);
        QCOMPARE(window.currentRunView()->document()->run().rows.size(), size_t(16));
        QCOMPARE(guiForwards_.load(), 0);
    }

    void stopRightAfterRunStillStops() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        SweepSpec big = test::tinySpec();
        big.batchSizes = {1, 2, 4, 8, 16};
        big.seqLens = {64, 128};
        window.sweepPanel()->setSpec(big);
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QVERIFY(window.startSweep());
        window.stopSweep();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().at(1).toBool(), true);
        QVERIFY(window.currentRunView()->document()->run().rows.size() <= size_t(2));
    }

    void closingDuringASweepStopsIt() {
        QSignalSpy* finished = nullptr;
        {
            MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
            SweepSpec big = test::tinySpec();
            big.batchSizes = {1, 2, 4, 8, 16};
            window.sweepPanel()->setSpec(big);
            finished = new QSignalSpy(window.controller(), &SweepController::finished);
            QVERIFY(window.startSweep());
            QTest::qWait(50);
            window.close();
        }   // the controller's destructor stops the sweep and joins its thread
        delete finished;
    }
};

QTEST_MAIN(TestSweepRun)
#include "test_sweep_run.moc"

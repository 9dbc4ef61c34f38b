// A run's axes are derived once (core/sweep/RunAxes): the GUI's axes of a run and the spec a CSV
// rebuilds from its rows list the same values in the same order, whatever order the sweep
// gave its pads in or measured its cells in.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/results/RunFiles.h"
#include "core/sweep/RunAxes.h"

using namespace bertbench;

namespace {

// A sweep whose spec lists pads, batch sizes and seq lens out of order, measured in that order.
Run outOfOrderRun() {
    Run run;
    SweepSpec& s = run.spec;
    s.tasks = {Task::Encoder};
    s.baseline = "cpu:eager";
    s.candidates = {"cpu:sdpa"};
    s.batchSizes = {4, 1};
    s.seqLens = {256, 128};
    s.pads = {0.5, 0.0, 0.25};
    s.numBatches = 3;
    for (int b : s.batchSizes)
        for (int len : s.seqLens)
            for (double pad : s.pads) {
                ResultRow r;
                r.cell = Cell{Task::Encoder, b, len, pad, s.models.front()};
                r.numBatches = s.numBatches;
                r.baseline.backend = s.baseline;
                r.baseline.latency.medianMs = 2;
                r.candidate.backend = "cpu:sdpa";
                r.candidate.latency.medianMs = 1;
                run.rows.push_back(r);
            }
    return run;
}

} // namespace

class TestRunAxes : public QObject {
    Q_OBJECT

private slots:
    void padsAreAscendingWhateverTheSpecOrder() {
        const RunAxes axes = axesOf(outOfOrderRun());
        QCOMPARE(axes.pads, (std::vector<double>{0.0, 0.25, 0.5}));
        QCOMPARE(axes.batchSizes, (std::vector<int>{1, 4}));
        QCOMPARE(axes.seqLens, (std::vector<int>{128, 256}));
    }

    void aCsvRebuildsTheSameAxesAsTheRunOnScreen() {
        const Run run = outOfOrderRun();
        const RunAxes onScreen = axesOf(run);

        const Run native = runFromNativeCsv(runToNativeCsv(run), "results.csv");
        QCOMPARE(native.spec.pads, onScreen.pads);
        QCOMPARE(native.spec.batchSizes, onScreen.batchSizes);
        QCOMPARE(native.spec.seqLens, onScreen.seqLens);
        QCOMPARE(axesOf(native), onScreen);

        const Run seed = runFromSeedCsv(rowsToSeedCsv(run.rows), "log_Bert_sdpa_mlm.csv");
        QCOMPARE(seed.spec.pads, onScreen.pads);
        QCOMPARE(axesOf(seed).pads, onScreen.pads);
        QCOMPARE(axesOf(seed).batchSizes, onScreen.batchSizes);
    }

    void rowsAloneGiveTheSameAxesAsSpecAndRows() {
        const Run run = outOfOrderRun();
        QCOMPARE(axesOfRows(run.rows), axesOf(run));
    }

    void padsWithinAMillionthAreOnePadAndNanGoesLast() {
        Run run;
        run.spec.tasks.clear();
        run.spec.candidates.clear();
        run.spec.batchSizes.clear();
        run.spec.seqLens.clear();
        run.spec.pads = {0.1};
        for (double pad : {std::numeric_limits<double>::quiet_NaN(), 0.1000000001, 0.05}) {
            ResultRow r;
            r.cell = Cell{Task::Encoder, 1, 8, pad};
            r.candidate.backend = "cpu:sdpa";
            run.rows.push_back(r);
        }
        const RunAxes axes = axesOf(run);
        QCOMPARE(axes.pads.size(), size_t(3));
        QCOMPARE(axes.pads[0], 0.05);
        QCOMPARE(axes.pads[1], 0.1);   // the spec's value, not the row's near-copy
        QVERIFY(std::isnan(axes.pads[2]));
        QCOMPARE(padKey(0.1), padKey(0.1000000001));
        QVERIFY(padKey(0.1) != padKey(0.100002));
    }

    void mergedAxesStaySortedWithoutRepeats() {
        RunAxes a = axesOf(outOfOrderRun());
        RunAxes b;
        b.batchSizes = {8, 1};
        b.pads = {0.75, 0.2500000001};
        mergeGridAxes(a, b);
        QCOMPARE(a.batchSizes, (std::vector<int>{1, 4, 8}));
        QCOMPARE(a.pads, (std::vector<double>{0.0, 0.25, 0.5, 0.75}));
    }
};

QTEST_GUILESS_MAIN(TestRunAxes)
#include "test_run_axes.moc"

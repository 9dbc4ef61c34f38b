// Compare: per-cell speedup deltas (points) and latency ratios (B/A), the geometric mean,
// best and worst cells — from synthetic runs with known numbers and from the seed fixtures.
#include <QComboBox>
#include <QLabel>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "ui/models/Comparison.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/RunDocument.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

class TestCompare : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void deltasRatiosAndSummary() {
        // A: candidate 2 ms everywhere (baseline 4 → +100 %).
        // B: candidate 1, 2, 4 ms at batch 1, 2, 4 (baseline 4 → +300 %, +100 %, 0 %).
        Run a, b;
        a.spec = b.spec = test::tinySpec();
        for (int batch : {1, 2, 4}) {
            a.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", batch, 16, 0, 4, 2));
            b.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", batch, 16, 0, 4, batch));
        }
        b.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", 8, 16, 0, 4, 1));   // only in B
        a.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", 16, 16, 0, 4, 1, 1, 1, RowStatus::Oom));
        b.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", 16, 16, 0, 4, 1));   // A failed there
        const CompareSide sa{&a, "cpu:sdpa", Task::Encoder, "A"}, sb{&b, "cpu:sdpa", Task::Encoder, "B"};
        const std::vector<CellComparison> cells = compareCells(sa, sb);
        QCOMPARE(cells.size(), size_t(3));
        QCOMPARE(cells[0].latencyRatio, 0.5);
        QCOMPARE(cells[0].speedupDelta, 200.0);
        QCOMPARE(cells[1].latencyRatio, 1.0);
        QCOMPARE(cells[1].speedupDelta, 0.0);
        QCOMPARE(cells[2].latencyRatio, 2.0);
        QCOMPARE(cells[2].speedupDelta, -100.0);
        const ComparisonSummary s = summarize(cells);
        QCOMPARE(s.cells, 3);
        QVERIFY(std::fabs(s.geoMeanLatencyRatio - 1.0) < 1e-12);   // (0.5 · 1 · 2)^(1/3)
        QVERIFY(std::fabs(s.meanSpeedupDelta - 100.0 / 3) < 1e-12);
        QCOMPARE(s.best->batchSize, 1);
        QCOMPARE(s.worst->batchSize, 4);
        const QString text = summaryText(s, sa, sb);
        QVERIFY2(text.contains("3 common cells") && text.contains("1.00"), qPrintable(text));

        const RunAxes axes = compareAxes(sa, sb);
        QCOMPARE(axes.batchSizes, (std::vector<int>{1, 2, 4, 8, 16}));
        const HeatmapGrid ratio = compareHeatmap(cells, axes, 16, CompareMetric::LatencyRatio);
        QCOMPARE(ratio.at(0, 0).value, 0.5);
        QCOMPARE(ratio.at(0, 3).state, CellState::NoData);   // only B has batch 8
        QCOMPARE(ratio.at(0, 4).state, CellState::NoData);   // A's row is OOM
        const HeatmapGrid delta = compareHeatmap(cells, axes, 16, CompareMetric::SpeedupDelta);
        QCOMPARE(delta.at(0, 2).value, -100.0);
        QCOMPARE(delta.kind, ValueKind::PercentPoints);
    }

    void twoCandidatesOfTheSeedRunInTheCompareView() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        const QList<RunView*> views =
            window.openFiles({test::seedCsv("log_Bert_sdpa_mlm.csv"), test::seedCsv("log_Bert_flash_attention_2_mlm.csv")});
        QCOMPARE(views.size(), 1);
        RunDocument* doc = views.front()->document();
        CompareView* compare = window.showCompare();
        compare->setSides(doc, "torch:sdpa", doc, "torch:flash_attention_2");
        QCOMPARE(compare->cells().size(), size_t(120));
        QCOMPARE(compare->axes().seqLens, (std::vector<int>{128, 256, 512}));

        // Recompute from the rows: flash (B) against sdpa (A).
        const RowLookup rows(doc->run());
        double logSum = 0;
        for (int s = 0; s < 3; ++s) {
            const int seq = compare->axes().seqLens[size_t(s)];
            for (size_t y = 0; y < compare->axes().pads.size(); ++y)
                for (size_t x = 0; x < compare->axes().batchSizes.size(); ++x) {
                    const int batch = compare->axes().batchSizes[x];
                    const double pad = compare->axes().pads[y];
                    const ResultRow* ra = rows.find(Task::Encoder, "torch:sdpa", batch, seq, pad);
                    const ResultRow* rb = rows.find(Task::Encoder, "torch:flash_attention_2", batch, seq, pad);
                    QVERIFY(ra && rb);
                    const double ratio = rb->candidate.latency.medianMs / ra->candidate.latency.medianMs;
                    logSum += std::log(ratio);
                    QCOMPARE(compare->deltaModel(s, CompareMetric::LatencyRatio)->index(int(y), int(x)).data(HeatmapGridModel::ValueRole).toDouble(), ratio);
                    QCOMPARE(compare->deltaModel(s, CompareMetric::SpeedupDelta)->index(int(y), int(x)).data(HeatmapGridModel::ValueRole).toDouble(),
                             rb->speedupPercent() - ra->speedupPercent());
                }
        }
        QVERIFY(std::fabs(compare->summary().geoMeanLatencyRatio - std::exp(logSum / 120)) < 1e-12);
        // At batch 1, seq 128, flash is ~1.9× slower than sdpa in the fixture.
        QVERIFY(compare->deltaModel(0, CompareMetric::LatencyRatio)->index(0, 0).data(HeatmapGridModel::ValueRole).toDouble() > 1.5);
        const QString summary = compare->findChild<QLabel*>("compareSummary")->text();
        QVERIFY2(summary.contains("120 common cells"), qPrintable(summary));
    }

    void compareListsEveryOpenRun() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.openFiles({test::seedCsv("log_Bert_sdpa_mlm.csv")});
        window.openFiles({test::seedCsv("log_Bert_sdpa_classification.csv")});
        CompareView* compare = window.showCompare();
        QCOMPARE(window.runViews().size(), 2);
        QVERIFY(compare->findChild<QLabel*>("compareSummary")->text().contains("No cell")
                || compare->cells().empty());   // different tasks: nothing in common
        QTest::qWait(10);
        QCOMPARE(compare->findChild<QComboBox*>("runA")->count(), 2);
    }
};

QTEST_MAIN(TestCompare)
#include "test_compare.moc"

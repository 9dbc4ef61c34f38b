// Numbers with their uncertainty on screen: a "same" speedup is drawn neutral and hatched with its
// value still written (heatmap pixels checked), the tooltip gives the interval, the legend explains
// it, the lines mark it hollow; Compare's per-cell verdict from both runs' samples; the Sweep
// panel's Sampling section (the quick demo is adaptive).
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSpinBox>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "ui/charts/HeatmapChart.h"
#include "ui/models/Comparison.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RunFigures.h"
#include "ui/widgets/SamplingSection.h"
#include "ui/widgets/SpecPresets.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

std::vector<double> samplesAround(double ms, double spread, int n) {
    std::vector<double> x;
    for (int i = 0; i < n; ++i) x.push_back(ms * (1 + spread * (double(i % 7) / 6 - 0.5)));
    return x;
}

// Rows with samples: a clear speedup (b1), a noisy nothing (b2), a clear slowdown (b4).
Run verdictRun(double candidateScale = 1.0) {
    Run run;
    run.spec = test::tinySpec();
    run.spec.candidates = {"cpu:sdpa"};
    run.spec.batchSizes = {1, 2, 4};
    run.spec.seqLens = {32};
    run.spec.pads = {0.0};
    const double cand[] = {5.0, 10.1, 14.0};
    const double spread[] = {0.02, 1.0, 0.02};
    int k = 0;
    for (int b : run.spec.batchSizes) {
        ResultRow r = test::makeRow(Task::Encoder, "cpu:sdpa", b, 32, 0.0, 10.0, cand[k] * candidateScale);
        r.baseline.samplesMs = samplesAround(10.0, spread[k], 40);
        r.candidate.samplesMs = samplesAround(cand[k] * candidateScale, spread[k], 40);
        r.baseline.latency.samples = r.candidate.latency.samples = 40;
        const SpeedupInterval si = speedupInterval(r.baseline.samplesMs, r.candidate.samplesMs);
        r.speedupCiPct = si.pct;
        r.verdict = si.verdict;
        r.baseline.stop = r.candidate.stop = StopReason::Noise;
        run.rows.push_back(r);
        ++k;
    }
    return run;
}

} // namespace

class TestNoiseFigures : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { test::useTestSettings(); }

    void sameCellsAreMarkedAndTheirTooltipGivesTheInterval() {
        const Run run = verdictRun();
        QCOMPARE(toString(run.rows[0].verdict), std::string("faster"));
        QCOMPARE(toString(run.rows[1].verdict), std::string("same"));
        QCOMPARE(toString(run.rows[2].verdict), std::string("slower"));
        const RowLookup rows(run);
        const RunAxes axes = axesOf(run);
        const HeatmapGrid speed = runHeatmap(rows, axes, "cpu:eager", Task::Encoder, "cpu:sdpa", 32, Metric::Speedup);
        QVERIFY(!speed.at(0, 0).uncertain);
        QVERIFY(speed.at(0, 1).uncertain);
        QVERIFY(!speed.at(0, 2).uncertain);
        QVERIFY2(speed.at(0, 1).tooltip.contains(QStringLiteral("<b>same</b>: the speedup's 95 % interval")),
                 qPrintable(speed.at(0, 1).tooltip));
        QVERIFY(speed.at(0, 0).tooltip.contains(QStringLiteral("<b>faster</b>")));
        QVERIFY(speed.at(0, 0).tooltip.contains(QStringLiteral("forwards: baseline 40 (noise), candidate 40 (noise)")));
        // Memory is measured exactly: never marked.
        const HeatmapGrid mem = runHeatmap(rows, axes, "cpu:eager", Task::Encoder, "cpu:sdpa", 32, Metric::MemorySaved);
        for (const HeatmapCell& c : mem.cells) QVERIFY(!c.uncertain);
        // Lines: the same point is hollow and carries its interval.
        const LinePanelData panel = runLinePanel(rows, axes, Task::Encoder, {"cpu:sdpa"}, 32, Metric::Speedup);
        QCOMPARE(int(panel.series.size()), 1);
        QVERIFY(!panel.series[0].points[0].same && panel.series[0].points[1].same);
        QVERIFY(panel.series[0].points[1].ci.contains(0));
        // The table: verdict, interval and forwards columns.
        ResultsTableModel table;
        table.setRows(run.rows);
        QCOMPARE(table.index(1, ResultsTableModel::VerdictColumn).data().toString(), QStringLiteral("same"));
        QCOMPARE(table.index(0, ResultsTableModel::ForwardsColumn).data().toString(), QStringLiteral("40/40"));
        QVERIFY(table.index(1, ResultsTableModel::SpeedupCiColumn).data().toString().contains(QStringLiteral(" … ")));
    }

    // Drawn: the "same" cell is grey (r = g = b) where the faster cell is blue and the slower red,
    // and the legend has its swatch.
    void sameCellsAreDrawnNeutral() {
        const Run run = verdictRun();
        HeatmapGridModel model;
        model.setGrid(runHeatmap(RowLookup(run), axesOf(run), "cpu:eager", Task::Encoder, "cpu:sdpa", 32, Metric::Speedup));
        HeatmapChart chart;
        chart.setModel(&model);
        chart.resize(600, 300);
        QGraphicsScene scene;
        scene.addItem(&chart);
        QCoreApplication::processEvents();
        QImage image(600, 300, QImage::Format_ARGB32);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            scene.render(&p, QRectF(0, 0, 600, 300), QRectF(0, 0, 600, 300));
        }
        scene.removeItem(&chart);
        const QRectF plot = chart.plotArea();
        auto pixelOfColumn = [&](int x) {
            // Near the cell's lower-left corner, away from the text in its middle.
            const double cw = plot.width() / 3;
            return image.pixelColor(int(plot.left() + x * cw + 4), int(plot.bottom() - 6));
        };
        const QColor faster = pixelOfColumn(0), same = pixelOfColumn(1), slower = pixelOfColumn(2);
        QVERIFY2(faster.blue() > faster.red() + 30, qPrintable(faster.name()));
        QVERIFY2(slower.red() > slower.blue() + 30, qPrintable(slower.name()));
        QVERIFY2(std::abs(same.red() - same.blue()) < 8 && std::abs(same.red() - same.green()) < 8, qPrintable(same.name()));
    }

    // Compare: a run against itself with the candidate 20 % slower everywhere: the clear cells are
    // "B slower", the noisy one "same"; the summary counts them.
    void compareGivesEachCellItsOwnVerdict() {
        const Run a = verdictRun();
        const Run b = verdictRun(1.2);
        const CompareSide sa{&a, "cpu:sdpa", Task::Encoder, QStringLiteral("A")};
        const CompareSide sb{&b, "cpu:sdpa", Task::Encoder, QStringLiteral("B")};
        const std::vector<CellComparison> cells = compareCells(sa, sb);
        QCOMPARE(int(cells.size()), 3);
        QCOMPARE(toString(cells[0].verdict), std::string("slower"));
        QCOMPARE(toString(cells[1].verdict), std::string("same"));
        QCOMPARE(toString(cells[2].verdict), std::string("slower"));
        QVERIFY(cells[0].latencyRatioCi.lo > 1);
        const ComparisonSummary s = summarize(cells);
        QCOMPARE(s.slower, 2);
        QCOMPARE(s.same, 1);
        QVERIFY(summaryText(s, sa, sb).contains(QStringLiteral("slower in <b>2</b>")));
        const HeatmapGrid ratio = compareHeatmap(cells, compareAxes(sa, sb), 32, CompareMetric::LatencyRatio);
        QVERIFY(!ratio.at(0, 0).uncertain && ratio.at(0, 1).uncertain);
        QVERIFY(ratio.at(0, 1).tooltip.contains(QStringLiteral("<b>same</b>: latency ratio's 95 % interval")));
        // Rows without samples (CSV files): no interval, no marking.
        Run noSamples = a;
        for (ResultRow& r : noSamples.rows) r.candidate.samplesMs.clear();
        const CompareSide sn{&noSamples, "cpu:sdpa", Task::Encoder, QStringLiteral("A")};
        for (const CellComparison& c : compareCells(sn, sb)) QCOMPARE(int(c.verdict), int(Verdict::Unknown));
    }

    void theQuickDemoIsAdaptiveAndTheSectionRoundTrips() {
        const std::vector<SpecPreset> presets = loadSpecPresets();
        QVERIFY(!presets.empty());
        QCOMPARE(presets.front().spec.maxNoisePct, 2.0);
        QCOMPARE(presets.front().spec.maxTimeS, 1.0);
        BackendRegistry registry = test::cpuRegistry();
        SweepPanel panel(registry);
        panel.setSpec(presets.front().spec);
        panel.validateNow();
        QVERIFY2(panel.isValid(), qPrintable(QStringList(panel.problems().values()).join(QStringLiteral("; "))));
        QCOMPARE(panel.spec().maxNoisePct, 2.0);
        QVERIFY(panel.spec().interleave);
        auto* numBatches = panel.findChild<QSpinBox*>(QStringLiteral("numBatches"));
        QVERIFY(numBatches && !numBatches->isEnabled());
        // Fixed count: the noise target off, the timed batches on; the A/A baseline is a valid candidate.
        SweepSpec fixed = presets.front().spec;
        fixed.maxNoisePct = 0;
        fixed.interleave = false;
        fixed.candidates = {"cpu:eager"};
        panel.setSpec(fixed);
        panel.validateNow();
        QVERIFY(panel.isValid());
        QCOMPARE(panel.spec().maxNoisePct, 0.0);
        QVERIFY(!panel.spec().interleave);
        QVERIFY(numBatches->isEnabled());
    }
};

QTEST_MAIN(TestNoiseFigures)
#include "test_noise_figures.moc"

// ui/models and ui/charts without a sweep: heatmap grids equal the rows they come from,
// cell states, the grid model's change signals, the results table and its filter, the
// colour scale, and the heatmap chart's geometry.
#include <QChartView>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "ui/charts/ColorScale.h"
#include "ui/charts/HeatmapChart.h"
#include "ui/charts/LineChart.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/OpenRuns.h"
#include "ui/models/ResultsFilterProxy.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RunFigures.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

// 2 candidates × batch {1, 4} × seq {64} × pad {0, 0.5}; one OOM and one error row.
Run sampleRun() {
    Run run;
    run.spec = test::tinySpec();
    run.spec.batchSizes = {1, 4};
    run.spec.seqLens = {64};
    run.spec.pads = {0.0, 0.5};
    double t = 1;
    for (const char* cand : {"cpu:sdpa", "cpu:flash_attention_2"})
        for (int b : {1, 4})
            for (double pad : {0.0, 0.5}) {
                t += 0.37;
                run.rows.push_back(test::makeRow(Task::Encoder, cand, b, 64, pad, 2 * t, t + b * 0.1, 100 + b, 90 - pad * 10));
            }
    run.rows[5].status = RowStatus::Oom;
    run.rows[5].message = "out of memory at 2 MB";
    run.rows[6].status = RowStatus::Error;
    return run;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void heatmapCellsEqualTheRows() {
        const Run run = sampleRun();
        const RunAxes axes = axesOf(run);
        const RowLookup rows(run);
        for (Metric metric : {Metric::Speedup, Metric::MemorySaved}) {
            for (const std::string& cand : axes.candidates) {
                HeatmapGridModel model;
                model.setGrid(runHeatmap(rows, axes, run.spec.baseline, Task::Encoder, cand, 64, metric));
                QCOMPARE(model.rowCount(), 2);      // pads
                QCOMPARE(model.columnCount(), 2);   // batch sizes
                QCOMPARE(model.headerData(1, Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("4"));
                QCOMPARE(model.headerData(1, Qt::Vertical, Qt::DisplayRole).toString(), QStringLiteral("0.5"));
                for (const ResultRow& r : run.rows) {
                    if (r.candidate.backend != cand) continue;
                    const int x = r.cell.batchSize == 1 ? 0 : 1, y = r.cell.pad == 0 ? 0 : 1;
                    const QModelIndex i = model.index(y, x);
                    const auto state = CellState(i.data(HeatmapGridModel::StateRole).toInt());
                    if (r.status != RowStatus::Ok) {
                        QCOMPARE(state, r.status == RowStatus::Oom ? CellState::Oom : CellState::Error);
                        QVERIFY(!i.data(HeatmapGridModel::ValueRole).isValid());
                        QVERIFY(i.data(Qt::ToolTipRole).toString().contains(QString::fromStdString(toString(r.status))));
                        continue;
                    }
                    QCOMPARE(state, CellState::Ok);
                    const double expected = metric == Metric::Speedup ? r.speedupPercent() : r.memorySavedPercent();
                    QCOMPARE(i.data(HeatmapGridModel::ValueRole).toDouble(), expected);
                    QCOMPARE(i.data(Qt::DisplayRole).toString(), formatCellValue(expected, ValueKind::Percent));
                    const QString tip = i.data(Qt::ToolTipRole).toString();
                    QVERIFY2(tip.contains("p10–p90") && tip.contains("peak memory") && tip.contains("output error"), qPrintable(tip));
                }
            }
        }
    }

    void liveCellsArePendingOrRunning() {
        Run run = sampleRun();
        run.rows.resize(2);   // two cells measured
        const RunAxes axes = axesOf(run);
        const LiveCells live{true, Cell{Task::Encoder, 4, 64, 0.0}};
        const HeatmapGrid g = runHeatmap(RowLookup(run), axes, "cpu:eager", Task::Encoder, "cpu:sdpa", 64, Metric::Speedup, live);
        QCOMPARE(g.at(0, 0).state, CellState::Ok);
        QCOMPARE(g.at(1, 0).state, CellState::Ok);
        QCOMPARE(g.at(0, 1).state, CellState::Running);
        QCOMPARE(g.at(1, 1).state, CellState::Pending);
        const HeatmapGrid loaded = runHeatmap(RowLookup(run), axes, "cpu:eager", Task::Encoder, "cpu:sdpa", 64, Metric::Speedup);
        QCOMPARE(loaded.at(1, 1).state, CellState::NoData);
    }

    void gridModelSignalsOnlyWhatChanged() {
        const Run run = sampleRun();
        const RunAxes axes = axesOf(run);
        HeatmapGridModel model;
        model.setGrid(runHeatmap(RowLookup(run), axes, "cpu:eager", Task::Encoder, "cpu:sdpa", 64, Metric::Speedup));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        HeatmapGrid g = model.grid();
        model.setGrid(g);
        QCOMPARE(changed.count(), 0);
        g.at(1, 1).value += 1;
        model.setGrid(g);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.front().at(0).toModelIndex().row(), 1);
        QCOMPARE(reset.count(), 0);
        g.resize({"1", "2", "3"}, g.yLabels);
        model.setGrid(g);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.columnCount(), 3);
    }

    void tableSortsByNumberAndFilters() {
        const Run run = sampleRun();
        ResultsTableModel table;
        table.setRows(run.rows);
        ResultsFilterProxy proxy;
        proxy.setSourceModel(&table);
        QCOMPARE(proxy.rowCount(), 8);
        proxy.setStatus("failed");
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStatus("oom");
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, ResultsTableModel::MessageColumn).data().toString(), QStringLiteral("out of memory at 2 MB"));
        proxy.setStatus("");
        proxy.setCandidate("cpu:sdpa");
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setCandidate("");
        proxy.setText("flash");
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setText("");
        proxy.sort(ResultsTableModel::SpeedupColumn, Qt::DescendingOrder);
        double last = 1e300;
        int numbers = 0;
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const QVariant v = proxy.index(r, ResultsTableModel::SpeedupColumn).data(ResultsTableModel::SortRole);
            if (!v.isValid()) continue;   // failed rows: no speedup
            QVERIFY(v.toDouble() <= last);
            last = v.toDouble();
            ++numbers;
        }
        QCOMPARE(numbers, 6);
        table.appendRow(run.rows.front());
        QCOMPARE(proxy.rowCount(), 9);
    }

    void colourScaleIsCentredAndSymmetric() {
        const DivergingScale pct(ValueKind::Percent, 2);   // ratios 0.5..2
        QCOMPARE(pct.position(0), 0.0);
        QVERIFY(std::fabs(pct.position(100) - 1) < 1e-12);
        QVERIFY(std::fabs(pct.position(-50) + 1) < 1e-12);   // 2× slower as strong as 2× faster
        const QColor neutral = pct.color(0);
        QVERIFY(neutral.red() > 240 && neutral.green() > 240 && neutral.blue() > 240);
        QVERIFY(pct.color(100).blue() > pct.color(100).red());
        QVERIFY(pct.color(-50).red() > pct.color(-50).blue());
        const DivergingScale ratio(ValueKind::Ratio, 2);
        QVERIFY(ratio.position(0.5) > 0.99);   // lower latency is better
        QVERIFY(ratio.position(2) < -0.99);
        const DivergingScale pts(ValueKind::PercentPoints, 20);
        QCOMPARE(pts.position(10), 0.5);
        const std::vector<double> ticks = pct.ticks();
        QCOMPARE(ticks.size(), size_t(5));
        QCOMPARE(ticks[2], 0.0);
        QCOMPARE(DivergingScale::niceLimit(ValueKind::Percent, {-40, 70}), 2.0);
        QCOMPARE(DivergingScale::niceLimit(ValueKind::PercentPoints, {-4, 13}), 20.0);
        QCOMPARE(formatCellValue(-0.04, ValueKind::Percent), QStringLiteral("0.0"));
        QCOMPARE(formatCellValue(12.345, ValueKind::Percent), QStringLiteral("+12.3"));
        QCOMPARE(formatCellValue(0.5, ValueKind::Ratio), QString("0.50") + QChar(0x00D7));
    }

    // Task agreement runs one way: 100 % is the neutral colour at the top of the bar, lower reads
    // red; a value is cut, not rounded, so an answer that changed never prints as 100.
    void agreementScaleRunsFromRedToNeutral() {
        QCOMPARE(DivergingScale::niceLimit(ValueKind::Agreement, {99.1, 66.3, NAN}), 50.0);
        QCOMPARE(DivergingScale::niceLimit(ValueKind::Agreement, {100, 100}), 1.0);
        QCOMPARE(DivergingScale::niceLimit(ValueKind::Agreement, {0}), 100.0);
        const DivergingScale agree(ValueKind::Agreement, 50);
        QCOMPARE(agree.bestPosition(), 0.0);
        QCOMPARE(agree.position(100), 0.0);
        QCOMPARE(agree.position(75), -0.5);
        QCOMPARE(agree.position(10), -1.0);   // beyond the limit: clamped
        QCOMPARE(agree.valueAt(-1), 50.0);
        const QColor neutral = agree.color(100);
        QVERIFY(neutral.red() > 240 && neutral.green() > 240 && neutral.blue() > 240);
        QVERIFY(agree.color(60).red() > agree.color(60).blue());
        const std::vector<double> ticks = agree.ticks();
        QCOMPARE(ticks.size(), size_t(3));
        QCOMPARE(ticks.front(), 50.0);
        QCOMPARE(ticks.back(), 100.0);
        QCOMPARE(agree.tickLabel(100), QStringLiteral("100"));
        QCOMPARE(agree.tickLabel(97.5), QStringLiteral("97.5"));
        QCOMPARE(formatCellValue(100, ValueKind::Agreement), QStringLiteral("100"));
        QCOMPARE(formatCellValue(99.96, ValueKind::Agreement), QStringLiteral("99.9"));
        QCOMPARE(formatCellValue(66.31, ValueKind::Agreement), QStringLiteral("66.3"));
    }

    void heatmapChartMapsPointsToCells() {
        const Run run = sampleRun();
        HeatmapGridModel model;
        model.setGrid(runHeatmap(RowLookup(run), axesOf(run), "cpu:eager", Task::Encoder, "cpu:sdpa", 64, Metric::Speedup));
        auto* chart = new HeatmapChart;
        chart->setModel(&model);
        QChartView view(chart);
        view.resize(640, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(chart->plotArea().width() > 100);
        for (int row = 0; row < 2; ++row)
            for (int col = 0; col < 2; ++col) {
                const QRectF r = chart->cellRect(row, col);
                QVERIFY(chart->plotArea().contains(r.center()));
                QCOMPARE(chart->cellAt(r.center()), QPoint(row, col));
            }
        QCOMPARE(chart->cellAt(QPointF(1, 1)), QPoint(-1, -1));
        // Row 0 (pad 0) is drawn at the bottom.
        QVERIFY(chart->cellRect(0, 0).top() > chart->cellRect(1, 0).top());
        const QImage shot = view.grab().toImage();
        QVERIFY(!shot.isNull());
    }

    void linePanelsHaveOneSeriesPerCandidateAndPad() {
        const Run run = sampleRun();
        const RunAxes axes = axesOf(run);
        const LinePanelData panel = runLinePanel(RowLookup(run), axes, Task::Encoder, axes.candidates, 64, Metric::Speedup);
        QCOMPARE(panel.series.size(), size_t(4));
        QCOMPARE(panel.series[0].name, QStringLiteral("sdpa · pad 0"));
        // The OOM/error rows leave gaps, not zeros.
        size_t points = 0;
        for (const LineSeriesData& s : panel.series) points += s.points.size();
        QCOMPARE(points, size_t(6));
        QVERIFY(panel.series[0].points[0].hasBand);
        QVERIFY(panel.series[0].points[0].low <= panel.series[0].points[0].y);
        QVERIFY(panel.series[0].points[0].high >= panel.series[0].points[0].y);
        LineChart chart;
        chart.setPanel(panel);
        QVERIFY(chart.series().size() >= 4);
    }

    void filesThatFitTogetherMerge() {
        std::vector<OpenedRun> runs(3);
        for (size_t i = 0; i < runs.size(); ++i) {
            runs[i].run.spec = test::tinySpec();
            runs[i].title = QString::number(i);
        }
        runs[0].run.rows = {test::makeRow(Task::Encoder, "cpu:sdpa", 1, 16, 0, 2, 1)};
        runs[1].run.rows = {test::makeRow(Task::Encoder, "cpu:flash_attention_2", 1, 16, 0, 2, 1)};
        runs[2].run.rows = {test::makeRow(Task::Encoder, "cpu:sdpa", 1, 16, 0, 3, 1)};   // overlaps run 0
        const std::vector<OpenedRun> merged = mergeCompatible(std::move(runs));
        QCOMPARE(merged.size(), size_t(2));
        QCOMPARE(merged[0].run.rows.size(), size_t(2));
        QCOMPARE(merged[0].title, QStringLiteral("0 + 1"));
    }
};

QTEST_MAIN(TestModels)
#include "test_models.moc"

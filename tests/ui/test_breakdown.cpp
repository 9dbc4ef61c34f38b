// Breakdown, efficiency and energy on screen: the per-op breakdown model (parts, other,
// shares, not recorded), energy saved % as a heatmap metric with throttled cells flagged, the table's new columns, Compare's
// energy ratio, the Breakdown tab following a heatmap click, and the breakdown figure.
// BERTBENCH_SCREENSHOTS=DIR also writes the window's Breakdown tab (docs/screenshots).
#include <QGraphicsTextItem>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

#include "ProfiledRunFixtures.h"
#include "core/results/RunFiles.h"
#include "ui/charts/BreakdownBarChart.h"
#include "ui/charts/HeatmapChart.h"
#include "ui/charts/ShareAreaChart.h"
#include "ui/models/Breakdown.h"
#include "ui/models/Comparison.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RunDocument.h"
#include "ui/models/RunFigures.h"
#include "ui/report/BreakdownFigure.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/BreakdownPage.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

int categoryIndex(const QString& name) {
    const auto& all = breakdownCategories();
    for (size_t i = 0; i < all.size(); ++i)
        if (all[i].name == name) return int(i);
    return -1;
}

} // namespace

class TestBreakdown : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void barsHoldThePartsTheOtherAndTheMedian() {
        const Run run = test::syntheticProfiledRun();
        const Cell cell{Task::Encoder, 8, 512, 0.5};
        const CellBreakdown b = cellBreakdown(run, RowLookup(run), run.spec.candidates, cell);
        QCOMPARE(b.bars.size(), size_t(3));
        QVERIFY(b.bars[0].isBaseline);
        QCOMPARE(b.bars[0].backend, QStringLiteral("cuda:eager"));
        QCOMPARE(b.bars[2].backend, QStringLiteral("cuda:flash_attention_2"));
        const OpBreakdown expected = test::syntheticBreakdown("cuda:flash_attention_2", 8, 512, 0.5);
        const BreakdownBar& fa2 = b.bars[2];
        QCOMPARE(fa2.state, BreakdownState::Measured);
        QCOMPARE(fa2.ms[size_t(categoryIndex("attention"))], expected.msOf(OpCategory::Attention));
        QCOMPARE(fa2.ms[size_t(categoryIndex("padding"))], expected.msOf(OpCategory::Padding));
        QCOMPARE(b.bars[0].ms[size_t(categoryIndex("padding"))], 0.0);   // eager runs padded: no packing
        QCOMPARE(fa2.forwardMs, expected.forwardMs);
        QVERIFY(std::fabs(fa2.otherMs - (expected.forwardMs - expected.sumMs)) < 1e-12);
        QCOMPARE(fa2.ms.back(), fa2.otherMs);   // "other" is the last part
        QVERIFY(fa2.otherMs > 0);
        QVERIFY(fa2.tooltip.contains("attention"));
        QVERIFY(b.anyMeasured());
        QVERIFY(b.emptyNote().isEmpty());
        // The view opens on the largest cell with data.
        QCOMPARE(*firstBreakdownCell(run, axesOf(run), Task::Encoder), (Cell{Task::Encoder, 32, 512, 0.5}));
    }

    void sharesSumToOneAndAttentionGrowsWithLength() {
        const Run run = test::syntheticProfiledRun();
        const RunAxes axes = axesOf(run);
        const RowLookup rows(run);
        const BreakdownShares s128 = breakdownShares(run, rows, axes, Task::Encoder, "cuda:eager", 128, 0);
        const BreakdownShares s512 = breakdownShares(run, rows, axes, Task::Encoder, "cuda:eager", 512, 0);
        QCOMPARE(s512.measuredPoints, int(axes.batchSizes.size()));
        for (size_t x = 0; x < axes.batchSizes.size(); ++x) {
            double sum = 0;
            for (const ShareSeries& series : s512.series) sum += series.share[x];
            QVERIFY2(std::fabs(sum - 1) < 1e-9, qPrintable(QString::number(sum)));
        }
        const size_t att = size_t(categoryIndex("attention"));
        QVERIFY(s512.series[att].share[2] > s128.series[att].share[2]);
        // FA2 packs: at pad 0.5 its attention share is below eager's.
        const BreakdownShares fa2 = breakdownShares(run, rows, axes, Task::Encoder, "cuda:flash_attention_2", 512, 0.5);
        const BreakdownShares eager = breakdownShares(run, rows, axes, Task::Encoder, "cuda:eager", 512, 0.5);
        QVERIFY(fa2.series[att].share[4] < eager.series[att].share[4]);
    }

    void oneBatchSizeSaysWhyNoAreaIsDrawn() {
        const Run run = test::syntheticProfiledRun();
        RunAxes axes = axesOf(run);
        axes.batchSizes = {axes.batchSizes.back()};
        const BreakdownShares s = breakdownShares(run, RowLookup(run), axes, Task::Encoder, "cuda:sdpa", 512, 0);
        QCOMPARE(s.measuredPoints, 1);
        QVERIFY2(s.emptyNote.contains("one batch size"), qPrintable(s.emptyNote));
        ShareAreaChart chart;
        chart.setShares(s);
        const QList<QGraphicsItem*> items = chart.childItems();
        const bool shown = std::any_of(items.begin(), items.end(), [](QGraphicsItem* item) {
            auto* note = dynamic_cast<QGraphicsTextItem*>(item);
            return note && note->isVisible() && note->toPlainText().contains("one batch size");
        });
        QVERIFY(shown);
    }

    void oldFilesSayNotRecorded() {
        Run run = test::syntheticProfiledRun();
        for (ResultRow& r : run.rows) r.baseline.breakdown = r.candidate.breakdown = std::nullopt;
        const CellBreakdown b = cellBreakdown(run, RowLookup(run), run.spec.candidates, Cell{Task::Encoder, 1, 128, 0});
        QVERIFY(!b.anyMeasured());
        QCOMPARE(b.bars[1].state, BreakdownState::NotRecorded);
        QVERIFY2(b.emptyNote().contains("not recorded"), qPrintable(b.emptyNote()));
        const BreakdownShares s = breakdownShares(run, RowLookup(run), axesOf(run), Task::Encoder, "cuda:sdpa", 128, 0);
        QCOMPARE(s.measuredPoints, 0);
        QVERIFY(s.emptyNote.contains("not recorded"));
        QVERIFY(!hasBreakdown(run));
        QCOMPARE(*firstBreakdownCell(run, axesOf(run), Task::Encoder), (Cell{Task::Encoder, 1, 128, 0}));
        // A breakdown the backend could not take says why.
        run.rows[0].candidate.breakdown = unavailableBreakdown("no profiler in torch:sdpa");
        const CellBreakdown c = cellBreakdown(run, RowLookup(run), run.spec.candidates, run.rows[0].cell);
        QCOMPARE(c.bars[1].state, BreakdownState::NotAvailable);
        QVERIFY(c.bars[1].note.contains("no profiler"));
    }

    void aVersion1FileOpensWithNotRecorded() {
        const Run run = readRunFile(BERTBENCH_SOURCE_DIR "/tests/fixtures/run-v1/run.json");
        QVERIFY(!run.rows.empty());
        QVERIFY(!hasBreakdown(run));
        QVERIFY(!hasEnergy(run));
        const CellBreakdown b = cellBreakdown(run, RowLookup(run), axesOf(run).candidates, run.rows.front().cell);
        QCOMPARE(b.bars.front().state, BreakdownState::NotRecorded);
        QVERIFY(b.emptyNote().contains("not recorded"));
        ResultsTableModel table;
        table.setRows(run.rows);
        QCOMPARE(table.index(0, ResultsTableModel::CandidateJoulesColumn).data().toString(), QStringLiteral("—"));
        QCOMPARE(table.index(0, ResultsTableModel::CandidateTflopsColumn).data().toString(), QStringLiteral("—"));
        const HeatmapGrid energy = runHeatmap(RowLookup(run), axesOf(run), run.spec.baseline, Task::Encoder,
                                              run.rows.front().candidate.backend, run.rows.front().cell.seqLen,
                                              Metric::EnergySaved);
        QCOMPARE(energy.at(0, 0).state, CellState::NotAvailable);
    }

    void energySavedIsAHeatmapMetricWithThrottledCellsFlagged() {
        Run run = test::syntheticProfiledRun();
        run.rows[0].candidate.energy = Energy{};   // not available in one cell
        const RunAxes axes = axesOf(run);
        const HeatmapGrid grid = runHeatmap(RowLookup(run), axes, run.spec.baseline, Task::Encoder, "cuda:sdpa", 512,
                                            Metric::EnergySaved);
        QCOMPARE(grid.palette, Palette::BrownTeal);
        QVERIFY(grid.title.startsWith("Energy saved (%)"));
        int flagged = 0;
        for (int y = 0; y < grid.rows(); ++y)
            for (int x = 0; x < grid.columns(); ++x) {
                const HeatmapCell& c = grid.at(y, x);
                flagged += c.flagged;
                const ResultRow* row = RowLookup(run).find("cuda:sdpa", Cell{Task::Encoder, axes.batchSizes[size_t(x)], 512, axes.pads[size_t(y)]});
                QVERIFY(row);
                QCOMPARE(c.state, CellState::Ok);
                QVERIFY(std::fabs(c.value - row->energySavedPercent()) < 1e-9);
            }
        QCOMPARE(flagged, 1);   // batch 32 · seq 512 · pad 0.5
        const HeatmapGrid g128 = runHeatmap(RowLookup(run), axes, run.spec.baseline, Task::Encoder, "cuda:sdpa", 128,
                                            Metric::EnergySaved);
        QCOMPARE(g128.at(0, 0).state, CellState::NotAvailable);
        HeatmapGridModel model;
        model.setGrid(grid);
        QCOMPARE(model.index(2, 4).data(HeatmapGridModel::FlaggedRole).toBool(), true);
        QVERIFY(hasEnergy(run));
        // The Breakdown tab's bars carry the flag too.
        const CellBreakdown hot = cellBreakdown(run, RowLookup(run), run.spec.candidates, Cell{Task::Encoder, 32, 512, 0.5});
        QVERIFY(hot.bars[1].throttled);
        QVERIFY(!hot.bars[0].throttled);
    }

    void tableShowsEnergyEfficiencyAndThrottled() {
        const Run run = test::syntheticProfiledRun();
        ResultsTableModel table;
        table.setRows(run.rows);
        QCOMPARE(table.headerData(ResultsTableModel::EnergySavedColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QStringLiteral("energy saved %"));
        const ResultRow& r = run.rows[0];
        QCOMPARE(table.index(0, ResultsTableModel::CandidateJoulesColumn).data(ResultsTableModel::SortRole).toDouble(),
                 r.candidate.energy.joulesPerForward);
        QCOMPARE(table.index(0, ResultsTableModel::CandidateTflopsColumn).data(ResultsTableModel::SortRole).toDouble(),
                 r.candidate.efficiency.achievedTflops);
        QCOMPARE(table.index(0, ResultsTableModel::ThrottledColumn).data().toString(), QStringLiteral("no"));
        QCOMPARE(table.index(0, ResultsTableModel::CandidateCompileMsColumn).data().toString(), QStringLiteral("—"));
        int throttled = 0;
        for (int i = 0; i < table.rowCount(); ++i)
            throttled += table.index(i, ResultsTableModel::ThrottledColumn).data().toString() == QLatin1String("throttled");
        QCOMPARE(throttled, 2);   // both candidates in the throttled cell
        // An old row: every new column reads "—".
        table.setRows({test::makeRow(Task::Encoder, "cpu:sdpa", 1, 16, 0, 2, 1)});
        for (int c : {int(ResultsTableModel::EnergySavedColumn), int(ResultsTableModel::CandidateJoulesColumn),
                      int(ResultsTableModel::ThrottledColumn), int(ResultsTableModel::GpuColumn)})
            QCOMPARE(table.index(0, c).data().toString(), QStringLiteral("—"));
    }

    void compareComparesEnergy() {
        Run a = test::syntheticProfiledRun(), b = a;
        for (ResultRow& r : b.rows) r.candidate.energy.joulesPerForward *= 0.8;
        const CompareSide sa{&a, "cuda:sdpa", Task::Encoder, "A"}, sb{&b, "cuda:sdpa", Task::Encoder, "B"};
        const std::vector<CellComparison> cells = compareCells(sa, sb);
        QVERIFY(!cells.empty());
        for (const CellComparison& c : cells) QVERIFY(std::fabs(c.energyRatio - 0.8) < 1e-9);
        const ComparisonSummary s = summarize(cells);
        QCOMPARE(s.energyCells, int(cells.size()));
        QVERIFY(std::fabs(s.geoMeanEnergyRatio - 0.8) < 1e-9);
        QVERIFY(summaryText(s, sa, sb).contains("20.0 % less"));
        const HeatmapGrid grid = compareHeatmap(cells, compareAxes(sa, sb), 128, CompareMetric::EnergyRatio);
        QCOMPARE(grid.at(0, 0).state, CellState::Ok);
        QVERIFY(std::fabs(grid.at(0, 0).value - 0.8) < 1e-9);
    }

    void clickingAHeatmapCellSelectsItForTheBreakdownTab() {
        QTemporaryDir dir;
        const QString path = dir.filePath("profiled-run.json");
        writeRunJson(test::syntheticProfiledRun(), path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList errors;
        QCOMPARE(window.openFiles({path}, &errors).size(), 1);
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
        RunView* view = window.currentRunView();
        view->refreshNow();
        QVERIFY(view->showsEnergy());
        QVERIFY(view->heatmapModel(1, Metric::EnergySaved));
        // A click on seq len 512's speedup heatmap, batch 16 (column 3), pad 0.25 (row 1).
        HeatmapChart* chart = view->heatmapChart(1, Metric::Speedup);
        QApplication::processEvents();
        emit chart->cellClicked(1, 3);
        const std::optional<Cell> cell = view->selectedCell();
        QVERIFY(cell);
        QCOMPARE(cell->batchSize, 16);
        QCOMPARE(cell->seqLen, 512);
        QCOMPARE(cell->pad, 0.25);
        view->showPage(RunView::Page::Breakdown);
        QApplication::processEvents();
        const CellBreakdown& shown = view->breakdownPage()->barChart()->breakdown();
        QVERIFY(shown.title.contains("batch 16"));
        QCOMPARE(view->breakdownPage()->shareCharts().size(), size_t(3));
        QCOMPARE(window.currentChart(), static_cast<QChart*>(view->breakdownPage()->barChart()));

        QString error;
        const QString png = dir.filePath("breakdown.png");
        QVERIFY2(window.exportBreakdown(png, 2, &error), qPrintable(error));
        QVERIFY(QImage(png).width() >= 2 * 900);
        QVERIFY2(window.exportBreakdown(dir.filePath("breakdown.pdf"), 1, &error), qPrintable(error));

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            // The same run as a file, for opening it in the real app (bertbench --tab breakdown FILE).
            writeRunJson(test::syntheticProfiledRun(), QDir(out).filePath("synthetic-profiled-run.json").toStdString());
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("breakdown-tab.png")));
            view->showPage(RunView::Page::Heatmaps);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("breakdown-heatmaps-energy.png")));
            view->selectCell(Cell{Task::Encoder, 32, 512, 0.5});   // the throttled cell
            view->showPage(RunView::Page::Breakdown);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("breakdown-tab-throttled.png")));
            // A run without the data (like a version-1 file): "not recorded".
            Run old = test::syntheticProfiledRun();
            for (ResultRow& r : old.rows) {
                r.baseline.breakdown = r.candidate.breakdown = std::nullopt;
                r.baseline.energy = r.candidate.energy = Energy{};
            }
            const QString oldPath = dir.filePath("old.json");
            writeRunJson(old, oldPath.toStdString());
            RunView* oldView = window.openFiles({oldPath}).front();
            oldView->showPage(RunView::Page::Breakdown);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("breakdown-not-recorded.png")));
            QVERIFY(BreakdownFigure(view->document()->run(), Task::Encoder, Cell{Task::Encoder, 32, 512, 0.5})
                        .save(QDir(out).filePath("breakdown-figure.png"), 1, &error));
        }
    }

    void plotWritesTheBreakdownFigureOnlyWithData() {
        QTemporaryDir dir;
        QString error;
        const QStringList with = renderRunPlots(test::syntheticProfiledRun(), dir.filePath("with"), 1, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(with.join(' ').contains("breakdown_encoder.png"));
        Run old = test::syntheticProfiledRun();
        for (ResultRow& r : old.rows) r.baseline.breakdown = r.candidate.breakdown = std::nullopt;
        const QStringList without = renderRunPlots(old, dir.filePath("without"), 1, &error);
        QVERIFY(!without.join(' ').contains("breakdown_"));
    }
};

QTEST_MAIN(TestBreakdown)
#include "test_breakdown.moc"

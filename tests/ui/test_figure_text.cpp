// Figures keep their words: at the default window size (1400 × 900) and at 1280 × 800, with the
// energy column present (three heatmaps a row) and the run header at its widest (a run of two
// models: the Model selector beside Task and Candidate), the window is that size, and no chart
// title, axis title, axis label or legend entry of the heatmaps, line charts, breakdown charts,
// Compare or the report figures is elided. Qt Charts elides with "..."; every heatmap's drawn
// title has all the words of its title and subtitle; the line charts' own legend must fit its
// chart's width; the colour bars' tick labels keep apart.
// BERTBENCH_SCREENSHOTS=DIR also writes the window at both sizes (docs/screenshots): the
// heatmaps with the energy column, and an old script's CSV (torch:*) beside a torch:* run in Compare.
#include <QChartView>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegendMarker>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocumentFragment>
#include <cmath>
#include <functional>

#include "ProfiledRunFixtures.h"
#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "ui/charts/BreakdownBarChart.h"
#include "ui/charts/ColorScale.h"
#include "ui/charts/FittedTitle.h"
#include "ui/charts/HeatmapChart.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/RunDocument.h"
#include "ui/charts/LineChart.h"
#include "ui/report/BreakdownFigure.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

bool elided(const QString& text) { return text.contains(QStringLiteral("...")) || text.contains(QChar(0x2026)); }

// Every visible text of `chart` that lost characters, as "chart title: shown text".
QStringList elidedTextsOf(QChart* chart) {
    QStringList found;
    const QString name = QTextDocumentFragment::fromHtml(chart->title()).toPlainText().simplified();
    std::function<void(QGraphicsItem*)> visit = [&](QGraphicsItem* item) {
        if (!item->isVisible()) return;
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && elided(text->toPlainText()))
            found << name + QStringLiteral(": ") + text->toPlainText().simplified();
        for (QGraphicsItem* child : item->childItems()) visit(child);
    };
    for (QGraphicsItem* child : chart->childItems()) visit(child);
    if (chart->legend()->isVisible())
        for (QLegendMarker* marker : chart->legend()->markers())
            if (marker->isVisible() && elided(marker->label())) found << name + QStringLiteral(": legend ") + marker->label();
    if (auto* lines = dynamic_cast<LineChart*>(chart); lines && lines->legendWidth() > lines->size().width())
        found << name + QStringLiteral(": legend %1 px wide in %2 px").arg(lines->legendWidth()).arg(lines->size().width());
    return found;
}

QStringList elidedTextsIn(QWidget* window) {
    QStringList found;
    for (QChartView* view : window->findChildren<QChartView*>())
        if (view->isVisible() && view->chart()) found << elidedTextsOf(view->chart());
    return found;
}

// The words of a title as shown: line breaks and the " · " separators are not words.
QStringList wordsOf(QString text) {
    text.replace(QChar(0x2028), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
    text.replace(QChar(0x00B7), QLatin1Char(' '));
    return text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

// The text Qt drew as `chart`'s title (its title item is the chart's one direct text child).
QString drawnTitle(QChart* chart) {
    for (QGraphicsItem* item : chart->childItems())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible() && !text->toPlainText().isEmpty())
            return text->toPlainText();
    return {};
}

// A torch:* run of the seed CSV's cells: synthetic test data (not a measurement), for Compare.
Run syntheticTorchRun(const Run& seed) {
    Run run = seed;
    run.environment = Environment{};
    run.environment.source = "bertbench";
    run.environment.gpu = "synthetic GPU (test data)";
    for (ResultRow& r : run.rows) {
        r.recordedSpeedupPct = r.recordedMemSavedPct = std::nan("");
        r.candidate.latency.medianMs *= 0.9;
        r.baseline.latency.medianMs *= 1.02;
    }
    return run;
}

} // namespace

class TestFigureText : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void wrapBreaksAtSeparatorsFirst() {
        QFont font;
        font.setPixelSize(12);
        const QFontMetricsF fm(font);
        const QString text = QStringLiteral("Memory saved (%) · seq len 512");
        QCOMPARE(wrapTitleText(text, font, 1e6), QStringList{text});
        const QStringList two = wrapTitleText(text, font, fm.horizontalAdvance(text) - 1);
        QCOMPARE(two, (QStringList{QStringLiteral("Memory saved (%)"), QStringLiteral("seq len 512")}));
        // Narrower than a part: that part breaks at its spaces, and no word is lost.
        const QStringList narrow = wrapTitleText(text, font, fm.horizontalAdvance(QStringLiteral("saved (%)")));
        QCOMPARE(narrow.join(' ').split(' ', Qt::SkipEmptyParts).join(' '), QString(text).remove(QStringLiteral(" ·")));
        for (const QString& line : narrow) QVERIFY(fm.horizontalAdvance(line) <= fm.horizontalAdvance(QStringLiteral("saved (%)")));
    }

    void windowFiguresKeepTheirText_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1400x900") << QSize(1400, 900);
        QTest::newRow("1280x800") << QSize(1280, 800);
    }
    void windowFiguresKeepTheirText() {
        QFETCH(QSize, size);
        QTemporaryDir dir;
        const QString path = dir.filePath("profiled-run.json");
        writeRunJson(test::syntheticTwoModelProfiledRun(), path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.openFiles({path}).size(), 1);
        RunView* view = window.currentRunView();
        view->refreshNow();
        QVERIFY(view->showsEnergy());   // three heatmaps a row: the narrowest charts
        QTest::qWait(50);
        // The window may be this small: the header's headline wraps rather than widening it.
        QCOMPARE(window.width(), size.width());
        const QString shots = qEnvironmentVariable("BERTBENCH_SCREENSHOTS");
        const QString suffix = QStringLiteral("-%1x%2.png").arg(size.width()).arg(size.height());
        for (RunView::Page page : {RunView::Page::Heatmaps, RunView::Page::Lines, RunView::Page::Breakdown}) {
            view->showPage(page);
            QTest::qWait(150);
            // Saved before the checks, so that a failure can be looked at.
            if (page == RunView::Page::Heatmaps && !shots.isEmpty()) {
                QDir().mkpath(shots);
                QVERIFY(window.grab().save(QDir(shots).filePath("heatmaps-energy" + suffix)));
            }
            if (page == RunView::Page::Breakdown && !shots.isEmpty())
                QVERIFY(window.grab().save(QDir(shots).filePath("breakdown" + suffix)));
            const QStringList found = elidedTextsIn(&window);
            QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
        }
        // Every heatmap shows its whole title and subtitle ("seq len 512" is what tells rows apart).
        view->showPage(RunView::Page::Heatmaps);
        QTest::qWait(50);
        for (int i = 0; i < 2; ++i)
            for (Metric metric : {Metric::Speedup, Metric::MemorySaved, Metric::EnergySaved}) {
                const HeatmapGrid& grid = view->heatmapModel(i, metric)->grid();
                const QString drawn = drawnTitle(view->heatmapChart(i, metric));
                QCOMPARE(wordsOf(drawn), wordsOf(grid.title + QLatin1Char(' ') + grid.subtitle));
            }
        QVERIFY(drawnTitle(view->heatmapChart(1, Metric::EnergySaved)).contains("seq len 512"));

        // An old script's CSV (torch:*, from its file) beside a torch:* run in Compare.
        const Run seed = readRunFile(test::seedCsv("log_Bert_sdpa_mlm.csv").toStdString());
        const QString torchPath = dir.filePath("synthetic-torch-run.json");
        writeRunJson(syntheticTorchRun(seed), torchPath.toStdString());
        const QList<RunView*> opened = window.openFiles({test::seedCsv("log_Bert_sdpa_mlm.csv")});
        const QList<RunView*> torch = window.openFiles({torchPath});
        QCOMPARE(opened.size(), 1);
        QCOMPARE(torch.size(), 1);
        QCOMPARE(opened.front()->document()->run().spec.baseline, std::string("torch:eager"));
        QCOMPARE(opened.front()->document()->title(), QStringLiteral("log_Bert_sdpa_mlm (the old script's CSV)"));
        CompareView* compare = window.showCompare();
        compare->setSides(opened.front()->document(), "torch:sdpa", torch.front()->document(), "torch:sdpa");
        QTest::qWait(150);
        QCOMPARE(compare->cells().size(), size_t(120));
        const QStringList found = elidedTextsIn(&window);
        QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
        if (!shots.isEmpty()) QVERIFY(window.grab().save(QDir(shots).filePath("compare-old-csv-vs-torch" + suffix)));
    }

    // The in-between ticks sit near the bar's halfway colours and apart from its ends, even where
    // rounding would carry one onto an end (−91 % → −100 % for a limit of 128×, +12,700 %).
    void colourBarTicksKeepApart() {
        for (ValueKind kind : {ValueKind::Percent, ValueKind::Ratio})
            for (double limit : {1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 1024.0}) {
                const DivergingScale scale(kind, limit);
                const std::vector<double> ticks = scale.ticks();
                QCOMPARE(ticks.size(), size_t(5));
                for (size_t i = 1; i < ticks.size(); ++i) {
                    const double lower = std::min(scale.position(ticks[i - 1]), scale.position(ticks[i]));
                    const double upper = std::max(scale.position(ticks[i - 1]), scale.position(ticks[i]));
                    QVERIFY2(upper - lower >= 0.3, qPrintable(QStringLiteral("limit %1: %2 and %3 too close")
                                                                  .arg(limit)
                                                                  .arg(scale.tickLabel(ticks[i - 1]), scale.tickLabel(ticks[i]))));
                    QVERIFY(scale.tickLabel(ticks[i - 1]) != scale.tickLabel(ticks[i]));
                }
            }
    }

    void reportFiguresKeepTheirText() {
        const Run run = test::syntheticProfiledRun();
        for (RunFigure::Kind kind : {RunFigure::Kind::Heatmaps, RunFigure::Kind::Lines}) {
            RunFigure figure(run, kind, Task::Encoder, run.spec.candidates);
            QVERIFY(!figure.charts().empty());
            for (QChart* chart : figure.charts()) {
                const QStringList found = elidedTextsOf(chart);
                QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
            }
        }
        BreakdownFigure breakdown(run, Task::Encoder);
        const QStringList found = elidedTextsOf(breakdown.barChart());
        QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
    }
};

QTEST_MAIN(TestFigureText)
#include "test_figure_text.moc"

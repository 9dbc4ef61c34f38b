// Figures keep their words: at the default window size (1400 × 900) and at 1280 × 800, with the
// energy column present (three heatmaps a row), no chart title, axis title, axis label or legend
// entry of the heatmaps, line charts, breakdown charts, Compare or the report figures is elided.
// Qt Charts elides with "..."; the line charts' own legend must fit its chart's width.
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
#include "ui/charts/FittedTitle.h"
#include "ui/charts/HeatmapChart.h"
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
        writeRunJson(test::syntheticProfiledRun(), path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.openFiles({path}).size(), 1);
        RunView* view = window.currentRunView();
        view->refreshNow();
        QVERIFY(view->showsEnergy());   // three heatmaps a row: the narrowest charts
        const QString shots = qEnvironmentVariable("BERTBENCH_SCREENSHOTS");
        const QString suffix = QStringLiteral("-%1x%2.png").arg(size.width()).arg(size.height());
        for (RunView::Page page : {RunView::Page::Heatmaps, RunView::Page::Lines, RunView::Page::Breakdown}) {
            view->showPage(page);
            QTest::qWait(150);
            const QStringList found = elidedTextsIn(&window);
            QVERIFY2(found.isEmpty(), qPrintable(found.join('\n')));
            if (page == RunView::Page::Heatmaps && !shots.isEmpty()) {
                QDir().mkpath(shots);
                QVERIFY(window.grab().save(QDir(shots).filePath("heatmaps-energy" + suffix)));
            }
            if (page == RunView::Page::Breakdown && !shots.isEmpty())
                QVERIFY(window.grab().save(QDir(shots).filePath("breakdown" + suffix)));
        }
        // The heatmap titles name the sequence length in full.
        const QString title = QTextDocumentFragment::fromHtml(view->heatmapChart(1, Metric::EnergySaved)->title()).toPlainText();
        QVERIFY2(title.contains("seq len 512"), qPrintable(title));

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

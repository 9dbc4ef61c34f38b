// Exports: native and seed-compatible CSVs read back; PNGs load at the chosen scale; the
// report and lines figures also as SVG and PDF; renderRunPlots (bertbench-cli plot's engine)
// writes every figure of a run.
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "ui/charts/HeatmapChart.h"
#include "ui/models/RunDocument.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

QByteArray head(const QString& path, int n) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void csvExportsReadBack() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QStringList errors;
        window.openFiles({test::seedCsv("log_Bert_sdpa_mlm.csv"), test::seedCsv("log_Bert_flash_attention_2_mlm.csv")}, &errors);
        QVERIFY(errors.isEmpty());
        QTemporaryDir dir;
        QString error;

        const QString native = dir.filePath("run.csv");
        QVERIFY2(window.exportNativeCsv(native, &error), qPrintable(error));
        const Run back = readRunFile(native.toStdString());
        QCOMPARE(back.rows.size(), size_t(240));

        const QStringList seeds = window.exportSeedCsvs(dir.filePath("seed"), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(seeds.size(), 2);
        for (const QString& p : seeds) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readLine().trimmed(), QByteArray(kSeedCsvHeader));
            QCOMPARE(readRunFile(p.toStdString()).rows.size(), size_t(120));
        }
        // Byte for byte what the old script wrote? At least the rows the fixture has.
        QVERIFY(seeds.join(' ').contains("log_Bert_sdpa_mlm.csv"));

        const QString json = dir.filePath("run.json");
        QVERIFY2(window.saveRun(json, &error), qPrintable(error));
        QCOMPARE(readRunFile(json.toStdString()).rows.size(), size_t(240));
    }

    void chartAndFigureImages() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openFiles({test::seedCsv("log_Bert_sdpa_mlm.csv"), test::seedCsv("log_Bert_flash_attention_2_mlm.csv")});
        QTemporaryDir dir;
        QString error;

        const QString chartPng = dir.filePath("chart.png");
        QVERIFY2(window.exportCurrentChart(chartPng, 2, &error), qPrintable(error));
        const QImage chart(chartPng);
        QVERIFY(!chart.isNull());
        QChart* shown = window.currentRunView()->heatmapChart(0, Metric::Speedup);
        QCOMPARE(chart.size(), (shown->size() * 2).toSize());

        const QString report = dir.filePath("report.png");
        QVERIFY2(window.exportReport(report, 3, &error), qPrintable(error));
        const QImage reportImage(report);
        QVERIFY(reportImage.width() >= 3 * 1200);   // two 600-px columns at 3×
        QVERIFY(reportImage.height() >= 3 * 3 * 330);

        QVERIFY2(window.exportReport(dir.filePath("report.svg"), 1, &error), qPrintable(error));
        QVERIFY(head(dir.filePath("report.svg"), 64).contains("<?xml"));
        QVERIFY2(window.exportLines(dir.filePath("lines.pdf"), 1, &error), qPrintable(error));
        QCOMPARE(head(dir.filePath("lines.pdf"), 4), QByteArray("%PDF"));
        QVERIFY2(window.exportLines(dir.filePath("lines.png"), 2, &error), qPrintable(error));
        QVERIFY(!QImage(dir.filePath("lines.png")).isNull());

        // The table page has no chart: a clear refusal, not a crash.
        window.currentRunView()->showPage(RunView::Page::Table);
        QVERIFY(!window.exportCurrentChart(dir.filePath("none.png"), 2, &error));
        QVERIFY(!error.isEmpty());
    }

    void renderRunPlotsWritesEveryFigure() {
        Run run;
        run.spec = test::tinySpec();
        for (const char* cand : {"cpu:sdpa", "cpu:flash_attention_2"})
            for (int b : {1, 2})
                for (int s : {16, 32})
                    for (double p : {0.0, 0.5}) run.rows.push_back(test::makeRow(Task::Encoder, cand, b, s, p, 2, 1.5));
        run.rows[3].status = RowStatus::Oom;
        QTemporaryDir dir;
        QString error;
        const QStringList written = renderRunPlots(run, dir.path(), 2, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Per candidate: 2 seq lens × 2 metrics heatmaps + a report; and one lines figure.
        QCOMPARE(written.size(), 2 * (4 + 1) + 1);
        for (const QString& p : written) {
            const QImage image(p);
            QVERIFY2(!image.isNull(), qPrintable(p));
            QVERIFY(image.width() >= 1000);   // ≥ 2× device pixels
        }
        QVERIFY(QFile::exists(dir.filePath("report_encoder_cpu-sdpa.png")));
        QVERIFY(QFile::exists(dir.filePath("heatmap_encoder_cpu-flash_attention_2_seq32_memory.png")));
        QVERIFY(QFile::exists(dir.filePath("lines_encoder.png")));
        const QStringList vector = renderRunPlots(run, dir.filePath("svg"), 1, &error, "svg");
        QVERIFY(vector.join(' ').contains("report_encoder_cpu-sdpa.svg"));
    }

    void renderedHeatmapShowsItsColours() {
        // A strong speedup is drawn blue, a strong slowdown red: look at the pixels.
        Run run;
        run.spec = test::tinySpec();
        run.spec.batchSizes = {1, 2};
        run.spec.seqLens = {16};
        run.spec.pads = {0.0};
        run.spec.candidates = {"cpu:sdpa"};
        run.rows = {test::makeRow(Task::Encoder, "cpu:sdpa", 1, 16, 0, 4, 1),    // +300 %
                    test::makeRow(Task::Encoder, "cpu:sdpa", 2, 16, 0, 1, 4)};   // −75 %
        RunFigure figure(run, RunFigure::Kind::Heatmaps, Task::Encoder, {"cpu:sdpa"});
        auto* chart = static_cast<HeatmapChart*>(figure.charts().front());
        const QImage image = renderImage(chart->size(), 1, [&](QPainter& p) { paintChart(*chart, p, QRectF(QPointF(0, 0), chart->size())); });
        const QPointF fast = chart->cellRect(0, 0).topLeft() + QPointF(4, 4);
        const QPointF slow = chart->cellRect(0, 1).topLeft() + QPointF(4, 4);
        const QColor f = image.pixelColor(fast.toPoint()), s = image.pixelColor(slow.toPoint());
        QVERIFY2(f.blue() > f.red() + 60, qPrintable(f.name()));
        QVERIFY2(s.red() > s.blue() + 60, qPrintable(s.name()));
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"

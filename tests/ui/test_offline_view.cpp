// offline.json in the GUI: the three files of one H100 call open in one Offline tab (a line per
// backend and data type, each best ringed and bold in the table, MLPerf's figures dashed because
// the cell is theirs), the chart is the window's current chart for export, no legend entry or
// title is elided at the sizes the figure tests use; a file of another cell is refused by name
// and a broken one with its field; other JSON still opens as a run; `plot`'s file of the figure.
#include <QFileInfo>
#include <QImage>
#include <QLegend>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/results/RunFiles.h"
#include "core/sweep/OfflineJson.h"
#include "ui/charts/OfflineChart.h"
#include "ui/report/OfflineFigure.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/OfflineView.h"
#include "UiTestSupport.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

QString fixture(const char* name) { return QStringLiteral(BERTBENCH_FIXTURES_DIR "/offline/") + QLatin1String(name); }

QStringList threeFiles() {
    return {fixture("h100-bert-large-qa-fp16.json"), fixture("h100-bert-large-qa-fp8.json"),
            fixture("h100-bert-large-qa-hf-sdpa.json")};
}

// A copy of the fp8 file with one change.
QString editedCopy(const QTemporaryDir& dir, const char* name, const std::function<void(nlohmann::ordered_json&)>& edit) {
    std::ifstream in(fixture("h100-bert-large-qa-fp8.json").toStdString());
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(in);
    edit(j);
    const QString path = dir.filePath(QLatin1String(name));
    std::ofstream(path.toStdString()) << j.dump(2);
    return path;
}

bool elided(const QString& text) { return text.contains(QStringLiteral("...")) || text.contains(QChar(0x2026)); }

} // namespace

class TestOfflineView : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void threeFilesOfOneCallShareATab_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1400x900") << QSize(1400, 900);
        QTest::newRow("1280x800") << QSize(1280, 800);
    }
    void threeFilesOfOneCallShareATab() {
        QFETCH(QSize, size);
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList problems;
        QCOMPARE(window.openFiles(threeFiles(), &problems).size(), 0);   // no run views
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
        QCOMPARE(window.offlineViews().size(), 1);
        OfflineView* view = window.offlineViews().front();
        const OfflineComparison& c = view->comparison();
        QCOMPARE(int(c.curves.size()), 5);   // fa2 + sdpa fp16, fa2 + sdpa fp8, HF sdpa
        QCOMPARE(c.curves[2].dtype, QStringLiteral("fp8"));
        QCOMPARE(c.curves[4].backend, QStringLiteral("torch:sdpa"));
        QCOMPARE(c.curves[0].bestBatch, 512);
        QCOMPARE(rateText(c.curves[0].bestSamplesPerS), QStringLiteral("4,752.9"));
        QCOMPARE(int(c.published.size()), 2);   // bert-large qa 384: MLPerf's cell
        QCOMPARE(c.device, QStringLiteral("NVIDIA H100 80GB HBM3"));   // once, though HF's file adds torch's version
        QCOMPARE(window.currentChart(), view->chart());

        // The table: every size tried (2 + 2 + 2 + 2 + 3), each backend's best in bold.
        QTableWidget* table = view->table();
        QCOMPARE(table->rowCount(), 11);
        int bold = 0;
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 7) && table->item(r, 7)->font().bold()) {
                ++bold;
                QVERIFY(table->item(r, 10) && !table->item(r, 10)->text().isEmpty());   // its agreement
            }
        QCOMPARE(bold, 5);

        // Every line and the two published ones in the legend, each whole within the chart's width
        // (Qt's own legend, hidden, would elide them); the best rings have no entry.
        QTest::qWait(100);
        auto* chart = static_cast<OfflineChart*>(view->chart());
        const QStringList labels = chart->legendEntries();
        QCOMPARE(labels.size(), 7);
        QVERIFY2(chart->legendEntryWidth() <= chart->size().width(),
                 qPrintable(QString("%1 px legend entry in a %2 px chart").arg(chart->legendEntryWidth()).arg(chart->size().width())));
        QVERIFY(!chart->legend()->isVisible());
        QVERIFY(labels.filter(QStringLiteral("MLPerf v4.0 bert-99.9")).size() == 1);
        QVERIFY(labels.filter(QStringLiteral("cuda:flash_attention_2 fp8 · 4,047.7/s at 512 · 65.4 % agree")).size() == 1);
        for (QGraphicsItem* item : view->chart()->childItems())
            if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
                QVERIFY2(!elided(text->toPlainText()), qPrintable(text->toPlainText()));

        const QString shots = qEnvironmentVariable("BERTBENCH_SCREENSHOTS");
        if (!shots.isEmpty())
            QVERIFY(window.grab().save(QDir(shots).filePath(QStringLiteral("offline-%1x%2.png").arg(size.width()).arg(size.height()))));
    }

    void aFileOfAnotherCellIsRefusedByName() {
        QTemporaryDir dir;
        const QString other = editedCopy(dir, "short.json", [](nlohmann::ordered_json& j) { j["spec"]["max_length"] = 128; });
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QStringList problems;
        window.openFiles({fixture("h100-bert-large-qa-fp16.json"), other}, &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().startsWith(QStringLiteral("short.json: another cell")), qPrintable(problems.front()));
        QCOMPARE(int(window.offlineViews().front()->comparison().curves.size()), 2);
        // max 128 is not MLPerf's cell: no published lines.
        OfflineView alone(std::vector<OfflineFile>{OfflineFile{other, readOfflineFile(other.toStdString())}});
        QVERIFY(alone.comparison().published.empty());
    }

    // Every size out of memory: the chart says nothing was measured, the table says why.
    void nothingMeasuredIsSaid() {
        QTemporaryDir dir;
        const QString oom = editedCopy(dir, "oom.json", [](nlohmann::ordered_json& j) {
            for (auto& b : j["backends"]) {
                for (auto& t : b["trials"]) {
                    nlohmann::ordered_json kept{{"batch_size", t["batch_size"]}, {"batches", t["batches"]},
                                                {"status", "oom"}, {"message", "CUDA out of memory"},
                                                {"pad_fraction", t["pad_fraction"]}};
                    t = kept;
                }
                b.erase("best_batch_size");
                b.erase("samples_per_s");
                b.erase("real_tokens_per_s");
            }
        });
        OfflineView view(std::vector<OfflineFile>{OfflineFile{oom, readOfflineFile(oom.toStdString())}});
        view.resize(1000, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* chart = static_cast<OfflineChart*>(view.chart());
        QVERIFY(chart->legendEntries().isEmpty());
        bool noteShown = false;
        for (QGraphicsItem* item : chart->childItems())
            if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
                noteShown = noteShown || text->toPlainText().contains(QStringLiteral("No batch size was measured"));
        QVERIFY(noteShown);
        QCOMPARE(view.table()->rowCount(), 4);
        QVERIFY(view.table()->item(0, 11)->text().contains(QStringLiteral("CUDA out of memory")));
        QVERIFY(view.table()->item(0, 7) == nullptr);   // no rate for a size that did not run
    }

    void aBrokenFileIsNamedWithItsField() {
        QTemporaryDir dir;
        const QString broken = editedCopy(dir, "broken.json", [](nlohmann::ordered_json& j) { j["backends"][0]["trials"] = 3; });
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QStringList problems;
        window.openFiles({broken}, &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().contains(QStringLiteral("backends[0].trials")), qPrintable(problems.front()));
        QVERIFY(window.offlineViews().isEmpty());
    }

    // `bertbench-cli plot offline.json`'s engine: the same chart as a report-sized PNG at 2×, and SVG.
    void theFigureAsAFile() {
        std::vector<OfflineFile> files;
        for (const QString& p : threeFiles()) files.push_back({p, readOfflineFile(p.toStdString())});
        const OfflineComparison c = compareOffline(files, nullptr);
        QTemporaryDir dir;
        QString error;
        const QString png = renderOfflinePlot(c, files.front().result.spec, dir.path(), 2, QStringLiteral("png"), &error);
        QVERIFY2(!png.isEmpty(), qPrintable(error));
        QVERIFY(png.endsWith(QStringLiteral("offline_bert-large_qa_max384.png")));
        const QImage image(png);
        QCOMPARE(image.width(), 1920);
        // Not blank: the five coloured lines are drawn (some pixel of the first curve's colour).
        const QColor first = OfflineChart::curveColor(0);
        bool found = false;
        for (int y = 0; y < image.height() && !found; y += 2)
            for (int x = 0; x < image.width() && !found; x += 2) found = image.pixelColor(x, y) == first;
        QVERIFY(found);
        const QString svg = renderOfflinePlot(c, files.front().result.spec, dir.path(), 1, QStringLiteral("svg"), &error);
        QVERIFY2(QFileInfo(svg).size() > 1000, qPrintable(error));
    }

    void aRunJsonStillOpensAsARun() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("run.json"));
        Run run;
        run.spec = test::tinySpec();
        run.rows.push_back(test::makeRow(Task::Encoder, "cpu:sdpa", 1, 16, 0, 2, 1));
        writeRunJson(run, path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        QStringList problems;
        QCOMPARE(window.openFiles({path}, &problems).size(), 1);
        QVERIFY(window.offlineViews().isEmpty());
    }
};

QTEST_MAIN(TestOfflineView)
#include "test_offline_view.moc"

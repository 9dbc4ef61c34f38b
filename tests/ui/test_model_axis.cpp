// A run of several models on screen: the run header's Model selector shows one model at a time
// (heatmaps, lines and the headline follow it), Compare puts two models of one run side by
// side, and the figures of `plot` are one set a model, named and titled by it.
// BERTBENCH_SCREENSHOTS=DIR also writes the window with the selector and the Compare view
// (model-axis-run.png, model-axis-compare.png).
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/ResultsTableModel.h"
#include "ui/models/RowText.h"
#include "ui/report/ReportRenderer.h"
#include "ui/widgets/CompareView.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SweepPanel.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

// bert-base: the candidate twice as fast as the baseline everywhere (+100 %); distilbert-base:
// both halve (a model of half the layers), the candidate four times as fast (+300 %).
Run twoModelRun() {
    Run run;
    run.spec = test::tinySpec();
    run.spec.models = {"bert-base", "distilbert-base"};
    run.spec.candidates = {"cpu:sdpa"};
    run.spec.seqLens = {16, 32};
    run.spec.pads = {0.0, 0.5};
    for (const std::string& model : run.spec.models)
        for (int batch : run.spec.batchSizes)
            for (int seq : run.spec.seqLens)
                for (double pad : run.spec.pads) {
                    const bool small = model == "distilbert-base";
                    ResultRow r = test::makeRow(Task::Encoder, "cpu:sdpa", batch, seq, pad, small ? 2.0 : 4.0,
                                                small ? 0.5 : 2.0);
                    r.cell.model = model;
                    run.rows.push_back(r);
                }
    return run;
}

double cellValue(RunView* view, int seqIndex, int row, int column) {
    return view->heatmapModel(seqIndex, Metric::Speedup)->grid().at(row, column).value;
}

} // namespace

class TestModelAxis : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void theRunViewShowsOneModelAtATime() {
        QTemporaryDir dir;
        const QString path = dir.filePath("two-models.json");
        writeRunJson(twoModelRun(), path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunView* view = window.openFiles({path}).front();
        view->refreshNow();

        auto* box = view->findChild<QComboBox*>(QStringLiteral("viewModel"));
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QCOMPARE(box->count(), 2);
        QCOMPARE(box->itemText(1), QStringLiteral("distilbert-base"));
        QCOMPARE(view->model(), std::string("bert-base"));
        QCOMPARE(cellValue(view, 0, 0, 0), 100.0);
        QCOMPARE(int(view->shownRun().rows.size()), 8);
        auto* headline = view->findChild<QLabel*>(QStringLiteral("headline"));
        QVERIFY(headline->text().contains(QStringLiteral("bert-base")));
        QVERIFY(!headline->text().contains(QStringLiteral("distilbert")));

        view->setModel("distilbert-base");
        QCOMPARE(box->currentText(), QStringLiteral("distilbert-base"));
        QCOMPARE(cellValue(view, 0, 0, 0), 300.0);
        QCOMPARE(cellValue(view, 1, 1, 1), 300.0);
        QVERIFY(headline->text().contains(QStringLiteral("distilbert-base")));
        // A chart saved alone names the model it shows.
        QVERIFY(view->heatmapModel(0, Metric::Speedup)->grid().subtitle.startsWith(QStringLiteral("distilbert-base")));
        // The table lists every row of both models.
        QCOMPARE(view->tableModel()->rowCount(), 16);

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("model-axis-run.png")));
        }
    }

    void aRunOfOneModelHidesTheSelector() {
        QTemporaryDir dir;
        Run run = twoModelRun();
        run = runOfModel(run, "bert-base");
        const QString path = dir.filePath("one-model.json");
        writeRunJson(run, path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunView* view = window.openFiles({path}).front();
        view->refreshNow();
        QVERIFY(!view->findChild<QComboBox*>(QStringLiteral("viewModel"))->isVisible());
        QCOMPARE(cellValue(view, 0, 0, 0), 100.0);
        // The headline names the data type, and what a backend really ran where it differs.
        auto* headline = view->findChild<QLabel*>(QStringLiteral("headline"));
        QVERIFY(headline);
        const QString asked = qstr(toString(run.spec.dtype));
        QVERIFY2(headline->text().contains(QStringLiteral(" · ") + asked + QStringLiteral(" · ")), qPrintable(headline->text()));
        Run fp8 = run;
        fp8.spec.dtype = DType::Float8;
        fp8.environment.kernelOptions["cuda:flash_attention_2"].push_back({"dtype_ran", "fp16"});
        QCOMPARE(dtypeText(fp8), QStringLiteral("fp8; cuda:flash_attention_2 ran fp16"));
        {   // a baseline in fp32 of its own, recorded under its label, ran what it was asked for
            Run mixed = fp8;
            mixed.spec.baseline = "cuda:eager";
            mixed.spec.baselineDType = DType::Float32;
            mixed.environment.kernelOptions["cuda:eager fp32"].push_back({"dtype_ran", "fp32"});
            QCOMPARE(dtypeText(mixed), QStringLiteral("fp8; cuda:flash_attention_2 ran fp16"));
        }
        fp8.rows.resize(1);
        const QString onePath = dir.filePath("one-row.json");
        writeRunJson(fp8, onePath.toStdString());
        RunView* one = window.openFiles({onePath}).front();
        one->refreshNow();
        const QString text = one->findChild<QLabel*>(QStringLiteral("headline"))->text();
        QVERIFY2(text.contains(QStringLiteral("fp8;&nbsp;cuda:flash_attention_2&nbsp;ran&nbsp;fp16")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral(">1&nbsp;row<")) && !text.contains(QStringLiteral("1&nbsp;rows")),
                 qPrintable(text));
    }

    void compareSetsTwoModelsOfOneRunSideBySide() {
        QTemporaryDir dir;
        const QString path = dir.filePath("two-models.json");
        writeRunJson(twoModelRun(), path.toStdString());
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunView* view = window.openFiles({path}).front();
        CompareView* compare = window.showCompare();
        QVERIFY(compare);
        compare->setSides(view->document(), "cpu:sdpa", view->document(), "");
        auto* modelA = compare->findChild<QComboBox*>(QStringLiteral("modelA"));
        auto* modelB = compare->findChild<QComboBox*>(QStringLiteral("modelB"));
        QVERIFY(modelA && modelB);
        QVERIFY(modelA->isVisible());
        QCOMPARE(modelA->currentText(), QStringLiteral("bert-base"));
        QCOMPARE(modelB->currentText(), QStringLiteral("distilbert-base"));
        QCOMPARE(compare->findChild<QComboBox*>(QStringLiteral("candidateB"))->currentText(), QStringLiteral("cpu:sdpa"));
        // Every cell: distilbert's candidate at 0.5 ms against bert's at 2 ms.
        QCOMPARE(compare->cells().size(), size_t(8));
        for (const CellComparison& c : compare->cells()) {
            QCOMPARE(c.latencyRatio, 0.25);
            QCOMPARE(c.speedupDelta, 200.0);
        }
        auto* summary = compare->findChild<QLabel*>(QStringLiteral("compareSummary"));
        QVERIFY(summary->text().contains(QStringLiteral("distilbert-base")));

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("model-axis-compare.png")));
        }
    }

    void theSweepPanelTakesSeveralModelsAndMarksWhatABackendCannotRun() {
        BackendRegistry registry = test::cpuRegistry();
        // cpu:sdpa, as if it were a backend without DistilBERT: the panel says so on its field.
        BackendRegistry limited;
        for (const BackendInfo& info : registry.all()) {
            BackendInfo copy = info;
            if (copy.name == "cpu:sdpa")
                copy.unavailableFor = [](const ModelConfig& m, Task) {
                    return m.modelType == "distilbert" ? std::string("no DistilBERT here") : std::string();
                };
            limited.add(copy);
        }
        SweepPanel panel(limited);
        SweepSpec spec = test::tinySpec();
        spec.models = {"tiny", "distilbert-base"};
        spec.candidates = {"cpu:sdpa"};
        panel.setSpec(spec);
        panel.validateNow();
        QCOMPARE(panel.spec().models, (std::vector<std::string>{"tiny", "distilbert-base"}));
        QVERIFY(panel.problems().contains(QStringLiteral("candidates")));
        QVERIFY2(panel.problems().value(QStringLiteral("candidates"))
                     .contains(QStringLiteral("cpu:sdpa cannot run distilbert-base for encoder: no DistilBERT here")),
                 qPrintable(panel.problems().value(QStringLiteral("candidates"))));
        spec.models = {"tiny", "bert-base"};
        panel.setSpec(spec);
        panel.validateNow();
        QVERIFY2(panel.isValid(), qPrintable(QStringList(panel.problems().values()).join('\n')));
        spec.models = {"tiny", "no-such-model"};
        panel.setSpec(spec);
        panel.validateNow();
        QVERIFY(panel.problems().value(QStringLiteral("model")).contains(QStringLiteral("no-such-model")));
    }

    void plotsAreOneSetAModel() {
        QTemporaryDir dir;
        QString error;
        const QStringList written = renderRunPlots(twoModelRun(), dir.path(), 1, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList names;
        for (const QString& p : written) names << QFileInfo(p).fileName();
        QVERIFY(names.contains(QStringLiteral("bert-base_report_encoder_cpu-sdpa.png")));
        QVERIFY(names.contains(QStringLiteral("distilbert-base_report_encoder_cpu-sdpa.png")));
        QVERIFY(names.contains(QStringLiteral("distilbert-base_heatmap_encoder_cpu-sdpa_seq32_speedup.png")));
        QCOMPARE(names.filter(QStringLiteral("bert-base_")).size() - names.filter(QStringLiteral("distilbert-base_")).size(),
                 names.filter(QStringLiteral("distilbert-base_")).size());
        // The report figure's title names its model.
        const RunFigure figure(runOfModel(twoModelRun(), "distilbert-base"), RunFigure::Kind::Heatmaps, Task::Encoder,
                               {"cpu:sdpa"});
        QVERIFY(figure.title().contains(QStringLiteral("distilbert-base")));
    }
};

QTEST_MAIN(TestModelAxis)
#include "test_model_axis.moc"

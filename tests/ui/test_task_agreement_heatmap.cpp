// The task-agreement heatmap: shown beside speedup and memory only when rows measured agreement
// (a real tiny CPU sweep of the QA task), its cells the % of decisions that agree (100 where the
// cpu:* backends agree on every start and end position), on a scale that runs one way; absent for
// a run of encoder rows only.
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include <QDir>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
#include "ui/charts/HeatmapChart.h"
#include "core/sweep/SweepRunner.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/RunFigures.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

Run measuredTinyRun(const BackendRegistry& registry, Task task) {
    SweepSpec spec = test::tinySpec();
    spec.tasks = {task};
    spec.seqLens = {16};
    SweepObserver quiet;
    std::atomic<bool> cancel{false};
    SweepRunner runner(registry);
    return runner.run(spec, quiet, cancel);
}

RunView* open(MainWindow& window, const Run& run, const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    writeRunJson(run, path.toStdString());
    if (window.openFiles({path}).size() != 1) return nullptr;
    RunView* view = window.currentRunView();
    view->refreshNow();
    return view;
}

// QA rows of a made-up fp8 run (test data, not a measurement): agreement falls with the batch size
// and with the sequence length, from 100 % down to 62.5 %.
Run syntheticAgreementRun() {
    Run run;
    run.spec.models = {"bert-base"};
    run.spec.tasks = {Task::Qa};
    run.spec.baseline = "cuda:eager";
    run.spec.candidates = {"cuda:flash_attention_2"};
    run.spec.dtype = DType::Float8;
    run.spec.batchSizes = {1, 8, 32, 128};
    run.spec.seqLens = {128, 512};
    run.spec.pads = {0.0, 0.5};
    run.environment.source = "bertbench";
    run.environment.gpu = "synthetic GPU (test data)";
    for (int b : run.spec.batchSizes)
        for (int s : run.spec.seqLens)
            for (double p : run.spec.pads) {
                ResultRow r = test::makeRow(Task::Qa, "cuda:flash_attention_2", b, s, p, 2, 1);
                r.baseline.backend = run.spec.baseline;
                r.isCuda = true;
                r.taskAgreementPct = 100.0 - 36.0 * std::log2(double(b)) / 7 * (s / 512.0) - (p > 0 ? 1.5 : 0.0);
                run.rows.push_back(r);
            }
    return run;
}

} // namespace

class TestTaskAgreementHeatmap : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void qaRunShowsTheAgreementColumn() {
        QTemporaryDir dir;
        const Run run = measuredTinyRun(registry_, Task::Qa);
        QVERIFY(hasTaskAgreement(run));
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        RunView* view = open(window, run, dir, "qa.json");
        QVERIFY(view);
        QVERIFY(view->showsTaskAgreement());
        QVERIFY(!view->showsEnergy());
        QVERIFY(view->heatmapModel(0, Metric::EnergySaved) == nullptr);
        HeatmapGridModel* model = view->heatmapModel(0, Metric::TaskAgreement);
        QVERIFY(model);
        QCOMPARE(model->grid().title.left(15), metricTitle(Metric::TaskAgreement).left(15));
        int ok = 0;
        for (const HeatmapCell& c : model->grid().cells) {
            if (c.state != CellState::Ok) continue;
            ++ok;
            QCOMPARE(c.value, 100.0);   // cpu:* agree on every decision
        }
        QCOMPARE(ok, 4);   // 2 batch sizes × 2 pads
        QCOMPARE(model->grid().kind, ValueKind::Agreement);
        QCOMPARE(model->grid().unit, QStringLiteral("%"));
    }

    // The colours run one way: 100 % is the scale's neutral top, lower agreement redder; one scale
    // for every sequence length, reaching the lowest value.
    void agreementColoursRunFromNeutralToRed() {
        QTemporaryDir dir;
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        RunView* view = open(window, syntheticAgreementRun(), dir, "agreement.json");
        QVERIFY(view);
        QVERIFY(view->showsTaskAgreement());
        HeatmapChart* short128 = view->heatmapChart(0, Metric::TaskAgreement);
        HeatmapChart* long512 = view->heatmapChart(1, Metric::TaskAgreement);
        QVERIFY(short128 && long512);
        const DivergingScale scale = long512->scale();
        QCOMPARE(scale.kind(), ValueKind::Agreement);
        QCOMPARE(short128->scale().limit(), scale.limit());   // one scale across sequence lengths
        QCOMPARE(scale.limit(), 50.0);                        // the lowest, 62.5 %, within 100 − 50
        const QColor full = scale.color(100), mid = scale.color(90), low = scale.color(64);
        QVERIFY(full.red() > 240 && full.green() > 240 && full.blue() > 240);
        QVERIFY(mid.green() > low.green() && mid.red() >= low.red() - 40);
        QVERIFY(low.red() > low.green() + 60);
        HeatmapGridModel* model = view->heatmapModel(1, Metric::TaskAgreement);
        QVERIFY(model);
        double lowest = 100;
        for (const HeatmapCell& c : model->grid().cells) lowest = std::min(lowest, c.value);
        QCOMPARE(lowest, 62.5);   // batch 128 · seq 512 · pad 0.5

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            QTest::qWait(200);
            QVERIFY(window.grab().save(QDir(out).filePath("task-agreement-heatmaps.png")));
        }
    }

    void encoderRunHasNone() {
        QTemporaryDir dir;
        const Run run = measuredTinyRun(registry_, Task::Encoder);
        QVERIFY(!hasTaskAgreement(run));
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.show();
        RunView* view = open(window, run, dir, "encoder.json");
        QVERIFY(view);
        QVERIFY(!view->showsTaskAgreement());
        QVERIFY(view->heatmapModel(0, Metric::TaskAgreement) == nullptr);
        QVERIFY(view->heatmapModel(0, Metric::MemorySaved) != nullptr);
    }
};

QTEST_MAIN(TestTaskAgreementHeatmap)
#include "test_task_agreement_heatmap.moc"

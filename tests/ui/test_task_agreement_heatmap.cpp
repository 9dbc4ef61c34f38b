// The task-agreement heatmap: shown beside speedup and memory only when rows measured agreement
// (a real tiny CPU sweep of the QA task), its cells the points below 100 % (0 where the cpu:*
// backends agree on every start and end position); absent for a run of encoder rows only.
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "UiTestSupport.h"
#include "core/results/RunFiles.h"
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
            QCOMPARE(c.value, 0.0);   // cpu:* agree on every decision
        }
        QCOMPARE(ok, 4);   // 2 batch sizes × 2 pads
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

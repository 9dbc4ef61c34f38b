// Your data in the GUI: the Sweep panel's Workload section reads a texts file with a tokenizer
// folder (histogram of its lengths, each max length marked with the share it truncates; a bad
// file is a problem naming the file and line, and Run stays off); a texts sweep runs to the end
// with the batching policies as the heatmaps' rows; the finished run's Workload tab shows the
// histogram and random against sorted; the report figure carries the histogram. With
// BERTBENCH_SCREENSHOTS=DIR the window is also written there (docs/screenshots).
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

#include "UiTestSupport.h"
#include "ui/charts/LengthHistogramChart.h"
#include "ui/models/HeatmapGridModel.h"
#include "ui/models/LengthHistogram.h"
#include "ui/models/RunDocument.h"
#include "ui/report/ReportRenderer.h"
#include "ui/runner/SweepWorker.h"
#include "ui/widgets/MainWindow.h"
#include "ui/widgets/RunView.h"
#include "ui/widgets/SweepPanel.h"
#include "ui/widgets/WorkloadSection.h"

using namespace bertbench;
using namespace bertbench::ui;

namespace {

std::string fixture(const std::string& name) { return std::string(BERTBENCH_FIXTURES_DIR) + "/tokenizers/" + name; }

SweepSpec textsSpec() {
    SweepSpec s = test::tinySpec();
    s.candidates = {"cpu:flash_attention_2"};
    s.baseline = "cpu:sdpa";
    s.batchSizes = {2, 4};
    s.seqLens = {32, 64};
    s.numBatches = 2;
    s.warmup = 1;
    s.workload.kind = WorkloadKind::Texts;
    s.workload.file = fixture("texts.txt");
    s.workload.tokenizer = fixture("bert-base-uncased");
    s.workload.batching = {Batching::Random, Batching::Sorted};
    s.workload.batchesPerCell = 3;
    return s;
}

} // namespace

class TestWorkloadGui : public QObject {
    Q_OBJECT
    BackendRegistry registry_ = test::cpuRegistry();

private slots:
    void initTestCase() { test::useTestSettings(); }

    void histogramAlgebra() {
        std::vector<int> lengths;
        for (int i = 1; i <= 100; ++i) lengths.push_back(i);
        lengths.push_back(5000);   // a long tail: one "≥" bin, not 5000 / 40 wide bins
        const LengthHistogramData h = lengthHistogram(lengths, {32, 64}, QStringLiteral("t"), 20);
        QVERIFY(h.overflow);
        QCOMPARE(h.bins.back().count, int64_t(1));
        int64_t total = 0;
        for (const HistogramBin& b : h.bins) total += b.count;
        QCOMPARE(total, int64_t(101));
        QCOMPARE(int(h.marks.size()), 2);
        QCOMPARE(h.marks[0].truncated, int64_t(69));   // 33..100 and 5000
        QCOMPARE(h.marks[1].truncated, int64_t(37));
    }

    void panelReadsTextsAndFlagsBadFiles() {
        SweepPanel panel(registry_);
        panel.setSpec(textsSpec());
        panel.validateNow();
        QVERIFY2(panel.isValid(), qPrintable(QStringList(panel.problems().values()).join("; ")));
        auto* section = panel.findChild<WorkloadSection*>();
        QVERIFY(section);
        const LengthHistogramData& h = section->histogram()->histogram();
        QCOMPARE(h.examples, int64_t(35));
        QCOMPARE(int(h.marks.size()), 2);
        QCOMPARE(h.marks[0].maxLength, 32);
        QVERIFY(h.marks[0].share > 0);
        QVERIFY(!panel.findChild<QLineEdit*>("pads")->isEnabled());   // the data gives the padding
        QVERIFY(panel.spec().workload.kind == WorkloadKind::Texts);

        // A bad lengths file: the problem names the file and the line; Run stays off.
        QTemporaryDir dir;
        const QString bad = dir.filePath("bad.txt");
        std::ofstream(bad.toStdString()) << "12\nseven\n";
        panel.findChild<QComboBox*>("workloadKind")->setCurrentIndex(1);   // lengths file
        panel.findChild<QLineEdit*>("workloadFile")->setText(bad);
        panel.validateNow();
        QVERIFY(!panel.isValid());
        const QString problem = panel.problems().value("workload");
        QVERIFY2(problem.contains(bad + " line 2") && problem.contains("not a whole number"), qPrintable(problem));
        QVERIFY(!panel.findChild<QPushButton*>("run")->isEnabled());

        // Back to synthetic: the pads again, no workload in the spec.
        panel.findChild<QComboBox*>("workloadKind")->setCurrentIndex(0);
        panel.validateNow();
        QVERIFY(panel.isValid());
        QVERIFY(!panel.spec().workload.isData());
        QVERIFY(panel.findChild<QLineEdit*>("pads")->isEnabled());
    }

    void textsSweepRunsToTheEnd() {
        MainWindow window(AppContext{&registry_, {}, loadWeightsFor});
        window.resize(1400, 900);
        window.show();
        window.sweepPanel()->setSpec(textsSpec());
        QSignalSpy finished(window.controller(), &SweepController::finished);
        QTest::mouseClick(window.sweepPanel()->findChild<QPushButton*>("run"), Qt::LeftButton);
        QVERIFY(finished.wait(600000));
        QVERIFY2(finished.front().at(2).toString().isEmpty(), qPrintable(finished.front().at(2).toString()));

        RunView* view = window.currentRunView();
        QVERIFY(view);
        const Run& run = view->document()->run();
        QCOMPARE(run.rows.size(), size_t(2 * 2 * 2));   // batch × seq × policy
        for (const ResultRow& r : run.rows) {
            QVERIFY(r.status == RowStatus::Ok);
            QVERIFY(r.cell.batching != Batching::None);
            QVERIFY(r.candidate.efficiency.tokensPerS > 0);
        }
        QVERIFY(run.workload.recorded());
        QCOMPARE(run.spec.workload.sha256.size(), size_t(64));

        // The heatmaps' rows are the policies.
        view->refreshNow();
        HeatmapGridModel* model = view->heatmapModel(0, Metric::Speedup);
        QVERIFY(model);
        QCOMPARE(model->grid().yLabels, (QStringList{"random", "sorted"}));
        QCOMPARE(model->grid().yTitle, QStringLiteral("batching"));
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 2; ++x) QVERIFY(model->grid().at(y, x).state != CellState::NoData);

        // The Workload tab: the histogram and random vs sorted.
        view->showPage(RunView::Page::Workload);
        QTest::qWait(50);
        auto* comparison = view->findChild<QTableWidget*>("batchingComparison");
        QVERIFY(comparison && comparison->isVisible());
        QCOMPARE(comparison->rowCount(), 2 * 2 * 2);   // (batch, seq) × (baseline, candidate)
        auto* chart = qobject_cast<LengthHistogramChart*>(view->currentChart());
        QVERIFY(chart);
        QCOMPARE(chart->histogram().examples, int64_t(35));

        // The report figure has the histogram under the heatmaps.
        RunFigure figure(run, RunFigure::Kind::Heatmaps, Task::Encoder, {"cpu:flash_attention_2"});
        QVERIFY(figure.histogram());

        if (const QString out = qEnvironmentVariable("BERTBENCH_SCREENSHOTS"); !out.isEmpty()) {
            QDir().mkpath(out);
            QVERIFY(window.grab().save(QDir(out).filePath("workload-tab.png")));
            view->showPage(RunView::Page::Heatmaps);
            QTest::qWait(100);
            QVERIFY(window.grab().save(QDir(out).filePath("workload-sorted-vs-random-heatmaps.png")));
            QString error;
            QVERIFY2(figure.save(QDir(out).filePath("workload-report-figure.png"), 1, &error), qPrintable(error));
        }
    }
};

QTEST_MAIN(TestWorkloadGui)
#include "test_workload_gui.moc"

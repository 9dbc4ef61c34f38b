// Task-level agreement (core/sweep/TaskAgreement.h): hand-made outputs whose answer is known for
// every task, padding ignored, NaN handling, shape refusals; the figure through run.json and the
// native CSV; and a CPU sweep where the cpu:* backends (same fp32 math, different attention
// strategies) agree on 100 % of the decisions of every task.
#include <QtTest>

#include <atomic>
#include <cmath>

#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SweepRunner.h"
#include "core/sweep/TaskAgreement.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

Batch batchOf(std::vector<int> lengths, int seq) {
    Batch b;
    b.batchSize = int(lengths.size());
    b.maxSeqLen = seq;
    b.lengths = std::move(lengths);
    return b;
}

TaskOutput outputOf(Task task, std::vector<int64_t> shape, std::vector<float> values) {
    TaskOutput o;
    o.task = task;
    o.shape = std::move(shape);
    o.values = std::move(values);
    o.perPosition = task != Task::Classification;
    return o;
}

struct Quiet : SweepObserver {
    std::vector<ResultRow> rows;
    void rowReady(const ResultRow& r) override { rows.push_back(r); }
};

} // namespace

class TaskAgreementTest : public QObject {
    Q_OBJECT

private slots:
    void classificationArgmaxPerRow() {
        const Batch b = batchOf({3, 2, 1}, 4);
        // Row 0: label 2 on both; row 1: 0 vs 1; row 2: a tie on the baseline, lowest index (0) on both.
        const TaskOutput ref = outputOf(Task::Classification, {3, 3}, {0, 1, 5, 4, 3, 0, 2, 2, 1});
        const TaskOutput cand = outputOf(Task::Classification, {3, 3}, {0, 1, 6, 3, 4, 0, 3, 2, 1});
        const TaskAgreement a = taskAgreement(Task::Classification, cand, ref, b);
        QCOMPARE(a.decisions, int64_t(3));
        QCOMPARE(a.agreed, int64_t(2));
        QCOMPARE(a.percent(), 200.0 / 3.0);
    }

    void qaStartAndEndOverRealPositionsOnly() {
        // Two rows, S = 4, [B,S,2]: start logits at channel 0, end at channel 1.
        const Batch b = batchOf({3, 2}, 4);
        // Row 0: start argmax 1, end argmax 2 (both sides). Row 1 (length 2): the baseline's start
        // is position 0; the candidate's largest start logit sits at position 3 (padding): ignored,
        // so its start among real positions is 0 (agrees). The end: baseline 1, candidate 0.
        const TaskOutput ref = outputOf(Task::Qa, {2, 4, 2}, {0, 0, 5, 1, 1, 7, 9, 9,   //
                                                             3, 0, 1, 4, 0, 0, 0, 0});
        const TaskOutput cand = outputOf(Task::Qa, {2, 4, 2}, {0, 0, 4, 2, 1, 6, 0, 0,   //
                                                              3, 5, 1, 4, 0, 0, 99, 99});
        const TaskAgreement a = taskAgreement(Task::Qa, cand, ref, b);
        QCOMPARE(a.decisions, int64_t(4));
        QCOMPARE(a.agreed, int64_t(3));
        QCOMPARE(a.percent(), 75.0);
    }

    void perPositionTasksCountRealPositions() {
        const Batch b = batchOf({2, 1}, 3);
        // [2,3,2]: 3 real positions; padding differs wildly and does not count.
        const TaskOutput ref = outputOf(Task::TokenClassification, {2, 3, 2}, {1, 0, 0, 1, 5, 5, 0, 1, 9, 9, 9, 9});
        const TaskOutput cand = outputOf(Task::TokenClassification, {2, 3, 2}, {1, 0, 1, 0, 0, 9, 0, 1, 0, 0, 0, 0});
        const TaskAgreement tc = taskAgreement(Task::TokenClassification, cand, ref, b);
        QCOMPARE(tc.decisions, int64_t(3));
        QCOMPARE(tc.agreed, int64_t(2));
        // MLM is the same rule over the vocabulary.
        const TaskAgreement mlm = taskAgreement(Task::Mlm, outputOf(Task::Mlm, cand.shape, cand.values),
                                                outputOf(Task::Mlm, ref.shape, ref.values), b);
        QCOMPARE(mlm.agreed, int64_t(2));
    }

    void nanInCandidateDisagreesNanInBaselineIsSkipped() {
        const Batch b = batchOf({1, 1}, 1);
        const float nan = std::nanf("");
        const TaskOutput ref = outputOf(Task::Classification, {2, 2}, {1, 0, nan, 0});
        const TaskOutput cand = outputOf(Task::Classification, {2, 2}, {nan, 0, 1, 0});
        const TaskAgreement a = taskAgreement(Task::Classification, cand, ref, b);
        QCOMPARE(a.decisions, int64_t(1));
        QCOMPARE(a.agreed, int64_t(0));
    }

    void encoderHasNoDecisions() {
        const Batch b = batchOf({1}, 1);
        const TaskOutput o = outputOf(Task::Encoder, {1, 1, 2}, {1, 2});
        QVERIFY(!hasTaskAgreement(Task::Encoder));
        QVERIFY(std::isnan(taskAgreement(Task::Encoder, o, o, b).percent()));
    }

    void shapesThatDoNotFitAreRefused() {
        const Batch b = batchOf({2}, 2);
        const TaskOutput qa3 = outputOf(Task::Qa, {1, 2, 3}, std::vector<float>(6, 0.f));
        QVERIFY_THROWS_EXCEPTION(BackendError, taskAgreement(Task::Qa, qa3, qa3, b));
        const TaskOutput other = outputOf(Task::Qa, {1, 2, 2}, std::vector<float>(4, 0.f));
        const TaskOutput qa = outputOf(Task::Qa, {1, 2, 2}, std::vector<float>(4, 0.f));
        QCOMPARE(taskAgreement(Task::Qa, other, qa, b).percent(), 100.0);
        const TaskOutput wrongBatch = outputOf(Task::Classification, {2, 2}, std::vector<float>(4, 0.f));
        QVERIFY_THROWS_EXCEPTION(BackendError, taskAgreement(Task::Classification, wrongBatch, wrongBatch, b));
    }

    void filesKeepTheFigureAndOlderFilesReadAsNotMeasured() {
        Run run;
        run.spec.tasks = {Task::Qa};
        ResultRow row;
        row.cell = {Task::Qa, 2, 16, 0.0};
        row.cell.model = "tiny";
        row.baseline.backend = "cpu:eager";
        row.candidate.backend = "cpu:sdpa";
        row.baseline.latency.medianMs = 2;
        row.candidate.latency.medianMs = 1;
        row.taskAgreementPct = 99.25;
        run.rows.push_back(row);
        ResultRow encoder = row;
        encoder.cell.task = Task::Encoder;
        encoder.taskAgreementPct = std::numeric_limits<double>::quiet_NaN();
        run.rows.push_back(encoder);

        const Run fromJson = runFromJson(runToJson(run), "t.json");
        QCOMPARE(fromJson.rows[0].taskAgreementPct, 99.25);
        QVERIFY(std::isnan(fromJson.rows[1].taskAgreementPct));
        const std::string csv = runToNativeCsv(run);
        QVERIFY(csv.find("task_agreement_pct") != std::string::npos);
        const Run fromCsv = runFromNativeCsv(csv, "t.csv");
        QCOMPARE(fromCsv.rows[0].taskAgreementPct, 99.25);
        QVERIFY(std::isnan(fromCsv.rows[1].taskAgreementPct));
    }

    void cpuBackendsAgreeOnEveryDecision() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        SweepSpec spec;
        spec.models = {"tiny"};
        spec.baseline = "cpu:eager";
        spec.candidates = {"cpu:sdpa", "cpu:flash_attention_2"};
        spec.tasks = {Task::Mlm, Task::Classification, Task::TokenClassification, Task::Qa, Task::Encoder};
        spec.batchSizes = {3};
        spec.seqLens = {24};
        spec.pads = {0.3};
        spec.numBatches = 1;
        spec.warmup = 0;
        SweepRunner runner(registry, [](const SweepSpec&, const std::string& model) {
            return randomWeights(presetConfig(model), 11);
        });
        Quiet observer;
        std::atomic<bool> cancel{false};
        const Run run = runner.run(spec, observer, cancel);
        QCOMPARE(int(run.rows.size()), 10);
        for (const ResultRow& r : run.rows) {
            QVERIFY2(r.status == RowStatus::Ok, r.message.c_str());
            if (r.cell.task == Task::Encoder) {
                QVERIFY(std::isnan(r.taskAgreementPct));
                continue;
            }
            QCOMPARE(r.taskAgreementPct, 100.0);
        }
    }
};

QTEST_GUILESS_MAIN(TaskAgreementTest)
#include "test_task_agreement.moc"

// Sweep cells, per-cell seeds and the validation table of every spec field.
#include <QtTest>

#include <set>

#include "core/sweep/SweepSpec.h"

using namespace bertbench;

namespace {
bool hasProblem(const std::vector<SpecProblem>& problems, const std::string& field, const std::string& fragment) {
    for (const SpecProblem& p : problems)
        if (p.field == field && p.message.find(fragment) != std::string::npos) return true;
    return false;
}
const std::vector<std::string> kBackends{"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"};
} // namespace

class SweepSpecTest : public QObject {
    Q_OBJECT
private slots:
    void defaultSpecIsTheOldScriptsGrid() {
        SweepSpec spec;
        QVERIFY(validateSpec(spec, 512, kBackends).empty());
        const auto cells = cellsOf(spec);
        QCOMPARE(int(cells.size()), 8 * 3 * 5);
        // The old script's order: batch size, then seq len, then pad.
        QVERIFY(cells[0] == (Cell{Task::Encoder, 1, 128, 0.0, "tiny"}));
        QVERIFY(cells[1] == (Cell{Task::Encoder, 1, 128, 0.1, "tiny"}));
        QVERIFY(cells[5] == (Cell{Task::Encoder, 1, 256, 0.0, "tiny"}));
        QVERIFY(cells[15] == (Cell{Task::Encoder, 2, 128, 0.0, "tiny"}));
    }

    void tasksMultiplyTheCells() {
        SweepSpec spec;
        spec.tasks = {Task::Encoder, Task::Qa};
        const auto cells = cellsOf(spec);
        QCOMPARE(int(cells.size()), 240);
        QVERIFY(cells[120].task == Task::Qa);
    }

    void modelsAreTheOutermostAxisAndSeeTheSameLengths() {
        SweepSpec spec;
        spec.models = {"tiny", "bert-base"};
        spec.tasks = {Task::Encoder, Task::Qa};
        const auto cells = cellsOf(spec);
        QCOMPARE(int(cells.size()), 480);
        QCOMPARE(cells[0].model, std::string("tiny"));
        QCOMPARE(cells[239].model, std::string("tiny"));
        QCOMPARE(cells[240].model, std::string("bert-base"));
        QVERIFY(cells[240].task == Task::Encoder);
        // Same batch lengths for every model: the seed ignores it, as it ignores the task.
        QCOMPARE(cellSeed(spec, cells[5]), cellSeed(spec, cells[245]));
        QCOMPARE(modelLabel("/data/ckpt/roberta-base/"), std::string("roberta-base"));
        QCOMPARE(modelLabel("bert-base"), std::string("bert-base"));
        QCOMPARE(modelLabel(""), std::string("model not recorded"));
    }

    void aModelListedTwiceOrEmptyIsRefused() {
        SweepSpec spec;
        spec.models = {"tiny", "bert-base", "tiny", ""};
        const auto problems = validateSpec(spec, 0, {});
        QCOMPARE(int(problems.size()), 2);
        QCOMPARE(problems[0].field, std::string("models[2]"));
        QVERIFY(problems[0].message.find("'tiny' is listed twice") != std::string::npos);
        QCOMPARE(problems[1].field, std::string("models[3]"));
        spec.models.clear();
        QCOMPARE(validateSpec(spec, 0, {}).front().field, std::string("models"));
    }

    void cellSeedsDifferPerCellButNotPerTask() {
        SweepSpec spec;
        std::set<uint64_t> seeds;
        for (const Cell& c : cellsOf(spec)) seeds.insert(cellSeed(spec, c));
        QCOMPARE(int(seeds.size()), 120);
        QCOMPARE(cellSeed(spec, {Task::Encoder, 4, 256, 0.5}), cellSeed(spec, {Task::Mlm, 4, 256, 0.5}));
        SweepSpec other = spec;
        other.seed = 1;
        QVERIFY(cellSeed(spec, {Task::Encoder, 4, 256, 0.5}) != cellSeed(other, {Task::Encoder, 4, 256, 0.5}));
    }

    void everyFieldIsChecked_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("batch 0") << 0 << "batch_sizes[1]" << "out of range 1..4096";
        QTest::newRow("batch 5000") << 1 << "batch_sizes[1]" << "5000";
        QTest::newRow("seq past positions") << 2 << "seq_lens[0]" << "1..512";
        QTest::newRow("pad 1") << 3 << "pads[0]" << "[0, 1)";
        QTest::newRow("pad negative") << 4 << "pads[0]" << "[0, 1)";
        QTest::newRow("stdev negative") << 5 << "seqlen_stdev" << "out of range";
        QTest::newRow("num batches 0") << 6 << "num_batches" << "1..100000";
        QTest::newRow("warmup negative") << 7 << "warmup" << "0..1000";
        QTest::newRow("unknown baseline") << 8 << "baseline" << "unknown backend 'cuda:eager'";
        QTest::newRow("noise negative") << 9 << "max_noise_pct" << "out of range 0..100";
        QTest::newRow("no tasks") << 10 << "tasks" << "at least one";
        QTest::newRow("duplicate batch") << 11 << "batch_sizes[1]" << "listed twice";
        QTest::newRow("empty model") << 12 << "model" << "is empty";
        QTest::newRow("no candidates") << 13 << "candidates" << "at least one";
        QTest::newRow("memory limit negative") << 14 << "memory_limit_mb" << ">= 0";
        QTest::newRow("max time 0") << 15 << "max_time_s" << "out of range (0, 86400]";
        QTest::newRow("min time past max") << 16 << "max_time_s" << "below the minimum time 5 s";
        QTest::newRow("min time negative") << 17 << "min_time_s" << "out of range 0..86400";
    }

    void everyFieldIsChecked() {
        QFETCH(int, which);
        QFETCH(QString, field);
        QFETCH(QString, fragment);
        SweepSpec spec;
        spec.batchSizes = {1, 2};
        switch (which) {
        case 0: spec.batchSizes = {1, 0}; break;
        case 1: spec.batchSizes = {1, 5000}; break;
        case 2: spec.seqLens = {600}; break;
        case 3: spec.pads = {1.0}; break;
        case 4: spec.pads = {-0.1}; break;
        case 5: spec.seqlenStdev = -1; break;
        case 6: spec.numBatches = 0; break;
        case 7: spec.warmup = -1; break;
        case 8: spec.baseline = "cuda:eager"; break;
        case 9: spec.maxNoisePct = -1; break;
        case 10: spec.tasks = {}; break;
        case 11: spec.batchSizes = {4, 4}; break;
        case 12: spec.models = {""}; break;
        case 13: spec.candidates = {}; break;
        case 14: spec.memoryLimitMb = -5; break;
        case 15: spec.maxTimeS = 0; break;
        case 16: spec.minTimeS = 5; spec.maxTimeS = 2; break;
        case 17: spec.minTimeS = -1; break;
        }
        const auto problems = validateSpec(spec, 512, kBackends);
        QVERIFY2(hasProblem(problems, field.toStdString(), fragment.toStdString()),
                 qPrintable(problems.empty() ? QString("no problem reported")
                                             : QString::fromStdString(problems[0].field + ": " + problems[0].message)));
    }

    // An A/A run: the baseline listed among the candidates is a run of its own noise floor.
    void theBaselineMayBeACandidate() {
        SweepSpec spec;
        spec.candidates = {"cpu:eager", "cpu:sdpa"};
        QVERIFY(validateSpec(spec, 512, kBackends).empty());
    }

    void modelChecksAreSkippedWithoutAModel() {
        SweepSpec spec;
        spec.seqLens = {2048};
        QVERIFY(validateSpec(spec, 0, {}).empty());
        QVERIFY(!validateSpec(spec, 512, {}).empty());
    }
};

QTEST_GUILESS_MAIN(SweepSpecTest)
#include "test_sweep_spec.moc"

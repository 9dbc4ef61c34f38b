// A data workload in a sweep: the spec's "workload" (JSON, validation), the cells (the batching
// policy in place of the pad), the sampling (seeded, with replacement, truncation counted, sorted =
// the same rows ordered by length), the cell's batches (each padded to its longest row), the
// runner timing every batch per forward (BatchCycle), and what the rows and files record.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <fstream>

#include "core/results/MergeRuns.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/sweep/BatchCycle.h"
#include "core/sweep/CellBatches.h"
#include "core/sweep/RunAxes.h"
#include "core/sweep/SpecJson.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"
#include "core/util/Sha256.h"
#include "core/workload/Workload.h"
#include "core/workload/WorkloadSampler.h"

using namespace bertbench;

namespace {

struct FakeLog {
    std::vector<std::pair<std::string, Batch>> prepared;
    int forwards = 0;
};

// Latency proportional to the padded positions, so that sorted batches are measurably faster.
class FakeBackend : public Backend {
public:
    FakeBackend(std::string name, FakeLog& log) : name_(std::move(name)), log_(log) {}
    std::string name() const override { return name_; }
    std::string deviceName() const override { return "fake"; }
    void loadModel(const BertWeights&, DType) override {}
    void prepare(Task task, const Batch& batch) override {
        log_.prepared.emplace_back(name_, batch);
        batch_ = batch;
        task_ = task;
        peak_ = std::max<int64_t>(peak_, batch.paddedTokens());
    }
    double forward() override {
        ++log_.forwards;
        return double(batch_.paddedTokens()) * 0.001;
    }
    TaskOutput output() override {
        TaskOutput out;
        out.task = task_;
        out.shape = {batch_.batchSize, batch_.maxSeqLen, 1};
        for (int32_t id : batch_.inputIds) out.values.push_back(float(id));
        return out;
    }
    void releaseCell() override {}
    int64_t peakMemoryBytes() const override { return peak_; }
    void resetPeakMemory() override { peak_ = 0; }
    void setMemoryLimitBytes(int64_t) override {}

private:
    std::string name_;
    FakeLog& log_;
    Batch batch_;
    Task task_ = Task::Encoder;
    int64_t peak_ = 0;
};

BertWeights fakeWeights(const SweepSpec&, const std::string&) {
    BertWeights w;
    w.config.vocabSize = 1000;
    return w;
}

std::string writeText(const QTemporaryDir& dir, const std::string& name, const std::string& text) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

SweepSpec dataSpec(const std::string& file) {
    SweepSpec spec;
    spec.baseline = "fake:eager";
    spec.candidates = {"fake:fast"};
    spec.batchSizes = {4};
    spec.seqLens = {64};
    spec.numBatches = 3;
    spec.warmup = 1;
    spec.profile = false;
    spec.workload.kind = WorkloadKind::Lengths;
    spec.workload.file = file;
    spec.workload.batching = {Batching::Random, Batching::Sorted};
    spec.workload.batchesPerCell = 5;
    return spec;
}

std::vector<int> flatten(const std::vector<std::vector<int>>& batches) {
    std::vector<int> all;
    for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
    return all;
}

} // namespace

class WorkloadSweepTest : public QObject {
    Q_OBJECT

    FakeLog log;
    std::atomic<bool> cancel{false};
    BackendRegistry registry;

private slots:
    void init() {
        log = FakeLog();
        registry = BackendRegistry();
        registry.add({"fake:eager", "cpu", "eager", "fake", {DType::Float32},
                      [this] { return std::make_unique<FakeBackend>("fake:eager", log); }});
        registry.add({"fake:fast", "cpu", "sdpa", "fake", {DType::Float32},
                      [this] { return std::make_unique<FakeBackend>("fake:fast", log); }});
    }

    void sha256KnownVectors() {
        QCOMPARE(sha256Hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(sha256Hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(sha256Hex(std::string(1000, 'a')),
                 std::string("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"));
    }

    void samplingIsSeededWithReplacementAndTruncates() {
        const std::vector<int> lengths{10, 20, 30, 200};
        const SampledRows a = sampleRows(lengths, Batching::Random, 8, 64, 4, 42);
        const SampledRows b = sampleRows(lengths, Batching::Random, 8, 64, 4, 42);
        QCOMPARE(a.batches, b.batches);   // reproducible
        QCOMPARE(int(a.batches.size()), 4);
        QCOMPARE(a.rows, 32);
        int truncated = 0;
        for (int len : flatten(a.batches)) {
            QVERIFY(len == 10 || len == 20 || len == 30 || len == 64);
            truncated += len == 64;
        }
        QCOMPARE(a.truncated, truncated);
        QVERIFY(a.truncated > 0);   // 32 draws from 4 with replacement reach the long one
        QVERIFY(sampleRows(lengths, Batching::Random, 8, 64, 4, 43).batches != a.batches);
        // Sorted: the very same rows, ascending, cut into consecutive batches.
        const SampledRows s = sampleRows(lengths, Batching::Sorted, 8, 64, 4, 42);
        std::vector<int> random = flatten(a.batches), sorted = flatten(s.batches);
        QVERIFY(std::is_sorted(sorted.begin(), sorted.end()));
        std::sort(random.begin(), random.end());
        QCOMPARE(sorted, random);
        QCOMPARE(s.truncated, a.truncated);
        QVERIFY_THROWS_EXCEPTION(InputError, sampleRows({}, Batching::Random, 1, 8, 1, 0));
    }

    void dataCellsReplaceThePads() {
        SweepSpec spec = dataSpec("x.txt");
        spec.pads = {0.0, 0.5};
        spec.seqLens = {64, 128};
        const std::vector<Cell> cells = cellsOf(spec);
        QCOMPARE(int(cells.size()), 4);
        QVERIFY(cells[0].batching == Batching::Random);
        QVERIFY(cells[1].batching == Batching::Sorted);
        QCOMPARE(cells[1].seqLen, 64);
        for (const Cell& c : cells) QCOMPARE(c.pad, 0.0);
        QCOMPARE(cellSeed(spec, cells[0]), cellSeed(spec, cells[1]));   // the same rows, batched two ways
        QVERIFY(cellSeed(spec, cells[0]) != cellSeed(spec, cells[2]));
        const RunAxes axes = axesOf(spec, {});
        QCOMPARE(axes.pads, std::vector<double>{0.0});
        QCOMPARE(axes.batchings, (std::vector<Batching>{Batching::Random, Batching::Sorted}));
        QCOMPARE(axesOf(SweepSpec{}, {}).batchings, std::vector<Batching>{Batching::None});
    }

    void equalLengthsGiveBatchTimesMinOfLengthAndMax() {
        for (int length : {40, 64, 300}) {
            SweepSpec spec = dataSpec("x.txt");
            const std::vector<int> lengths(50, length);
            ModelConfig config;
            config.vocabSize = 1000;
            for (Batching b : {Batching::Random, Batching::Sorted}) {
                const CellBatches cb = makeCellBatches(spec, Cell{Task::Encoder, 4, 64, 0.0, "tiny", b}, config, &lengths);
                QCOMPARE(int(cb.batches.size()), 5);
                QCOMPARE(cb.realTokens, int64_t(4) * std::min(length, 64));
                for (const Batch& batch : cb.batches) {
                    QCOMPARE(batch.realTokens(), int64_t(4) * std::min(length, 64));
                    QCOMPARE(batch.maxSeqLen, std::min(length, 64));   // padded to its longest row
                }
                QCOMPARE(cb.realisedPad, 0.0);
                QCOMPARE(cb.workloadRows, 20);
                QCOMPARE(cb.truncatedRows, length > 64 ? 20 : 0);
            }
        }
    }

    void sortedBatchesPadLess() {
        SweepSpec spec = dataSpec("x.txt");
        spec.workload.batchesPerCell = 16;
        std::vector<int> lengths;
        for (int i = 1; i <= 200; ++i) lengths.push_back(i % 64 + 1);
        ModelConfig config;
        config.vocabSize = 1000;
        const CellBatches r = makeCellBatches(spec, Cell{Task::Encoder, 8, 64, 0.0, "m", Batching::Random}, config, &lengths);
        const CellBatches s = makeCellBatches(spec, Cell{Task::Encoder, 8, 64, 0.0, "m", Batching::Sorted}, config, &lengths);
        QCOMPARE(r.realTokens, s.realTokens);
        QVERIFY2(s.realisedPad < r.realisedPad / 2, qPrintable(QString("%1 %2").arg(s.realisedPad).arg(r.realisedPad)));
        QVERIFY(s.flops.padded < r.flops.padded);
        QCOMPARE(s.flops.real, r.flops.real);
        // A synthetic cell is the one makeBatch batch.
        SweepSpec synthetic;
        const CellBatches one = makeCellBatches(synthetic, Cell{Task::Encoder, 4, 32, 0.5, "m"}, config, nullptr);
        QCOMPARE(int(one.batches.size()), 1);
        QCOMPARE(one.workloadRows, 0);
    }

    void batchCycleRunsEveryBatchPerForward() {
        std::vector<Batch> batches;
        for (int w : {8, 16, 32}) batches.push_back(makeBatchOfLengths({w, w}, w, 100, 0, uint64_t(w)));
        auto cycle = std::make_unique<BatchCycle>(std::make_unique<FakeBackend>("fake:x", log), batches, true);
        cycle->prepare(Task::Encoder, batches.back());
        const double ms = cycle->forward();
        QCOMPARE(log.forwards, 1 + 2 * 2);   // batch 0 prepared already; 1 and 2 run once untimed first
        QVERIFY(std::abs(ms - (16 + 32 + 64) * 0.001 / 3) < 1e-12);   // the mean per batch
        QCOMPARE(cycle->output().shape, (std::vector<int64_t>{2, 32, 1}));   // the last batch's
        cycle->forward();
        QCOMPARE(int(log.prepared.size()), 1 + 2 + 3);   // prepared again only when the batch changes
        Energy e;
        e.joulesPerForward = 3;
        e.joulesPer1kTokens = 6;
        e.forwardsInWindow = 4;
        energyPerBatch(e, 3);
        QCOMPARE(e.joulesPerForward, 1.0);
        QCOMPARE(e.joulesPer1kTokens, 2.0);
        QCOMPARE(e.forwardsInWindow, 12);
    }

    void specJsonRoundTripsAndNamesBadFields() {
        SweepSpec spec = dataSpec("/data/lengths.txt");
        spec.workload.sha256 = std::string(64, 'a');
        spec.workload.bytes = 123;
        const SweepSpec back = specFromJson(specToJson(spec), "spec.json");
        QVERIFY(back.workload == spec.workload);
        QVERIFY(specToJson(SweepSpec{}).find("workload") == std::string::npos);   // synthetic: as before

        auto problem = [](const std::string& json) {
            try {
                specFromJson(json, "s.json");
            } catch (const InputError& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        QVERIFY(problem(R"({"workload": {"kind": "lengths", "file": "l.txt", "batching": ["random", "fifo"]}})")
                    .find("s.json: workload.batching[1]: unknown batching policy \"fifo\"") != std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "lengths", "file": "l.txt", "shuffle": true}})")
                    .find("workload.shuffle: unknown key") != std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "words"}})").find("workload.kind: unknown workload kind") !=
                std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "lengths"}})").find("workload.file: is empty") != std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "lengths", "file": "l", "batching": ["sorted", "sorted"]}})")
                    .find("workload.batching[1]: batching policy sorted is listed twice") != std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "lengths", "file": "l", "tokenizer": "t"}})")
                    .find("workload.tokenizer: is for a texts workload") != std::string::npos);
        QVERIFY(problem(R"({"workload": {"kind": "texts", "file": "l", "batches_per_cell": 0}})")
                    .find("workload.batches_per_cell: batches per cell 0 is out of range") != std::string::npos);
        QVERIFY(problem(R"({"workload": "lengths.txt"})").find("workload: expected an object") != std::string::npos);
    }

    void sweepTimesEveryBatchAndRecordsTheData() {
        QTemporaryDir dir;
        std::string text;
        for (int i = 0; i < 100; ++i) text += std::to_string(5 + (i * 37) % 90) + "\n";
        const std::string file = writeText(dir, "lengths.txt", text);
        const SweepSpec spec = dataSpec(file);
        SweepRunner runner(registry, fakeWeights);
        struct : SweepObserver {
        } observer;
        const Run run = runner.run(spec, observer, cancel);
        QCOMPARE(int(run.rows.size()), 2);
        // Per backend per cell: one prepare per batch per forward (warm-up 1 + 3 timed), at least.
        QVERIFY(log.forwards >= 2 * 2 * 5 * 4);
        QVERIFY(run.rows[0].cell.batching == Batching::Random);
        QVERIFY(run.rows[1].cell.batching == Batching::Sorted);
        QCOMPARE(run.rows[0].realTokens, run.rows[1].realTokens);
        QVERIFY(run.rows[1].realisedPad < run.rows[0].realisedPad);
        QCOMPARE(run.rows[0].workloadRows, 20);
        QVERIFY(run.rows[0].truncatedRows > 0);
        for (const ResultRow& r : run.rows) {
            QVERIFY(r.status == RowStatus::Ok);
            QVERIFY(r.candidate.efficiency.tokensPerS > 0);
            QVERIFY(std::abs(r.candidate.efficiency.tokensPerS -
                             double(r.realTokens) / (r.candidate.latency.medianMs / 1000)) < 1e-6 * r.candidate.efficiency.tokensPerS);
        }
        // Sorted batches pad less: the fake's time follows the padded positions.
        QVERIFY(run.rows[1].baseline.latency.medianMs < run.rows[0].baseline.latency.medianMs);
        // The run records the data and its identity; the spec carries the identity.
        QVERIFY(run.workload.recorded());
        QCOMPARE(run.workload.sha256, sha256Hex(text));
        QCOMPARE(run.workload.bytes, int64_t(text.size()));
        QCOMPARE(run.spec.workload.sha256, run.workload.sha256);
        QCOMPARE(int(run.workload.models.front().lengths.size()), 100);

        // run.json, the journal's rows and the native CSV keep it all.
        const Run back = runFromJson(runToJson(run), "run.json");
        QVERIFY(back.rows[1].cell.batching == Batching::Sorted);
        QCOMPARE(back.rows[1].realisedPad, run.rows[1].realisedPad);
        QCOMPARE(back.rows[1].truncatedRows, run.rows[1].truncatedRows);
        QCOMPARE(back.workload.sha256, run.workload.sha256);
        std::vector<int> sortedLengths = run.workload.models.front().lengths;
        std::sort(sortedLengths.begin(), sortedLengths.end());
        QCOMPARE(back.workload.models.front().lengths, sortedLengths);
        QVERIFY(back.spec.workload == run.spec.workload);
        const Run csv = runFromNativeCsv(runToNativeCsv(run), "results.csv");
        QVERIFY(csv.rows[0].cell.batching == Batching::Random);
        QCOMPARE(csv.rows[0].realisedPad, run.rows[0].realisedPad);
        QCOMPARE(csv.rows[0].workloadRows, 20);
        QVERIFY(csv.spec.workload.isData());
        QCOMPARE(axesOf(csv).batchings, (std::vector<Batching>{Batching::Random, Batching::Sorted}));
        // The old script's CSV: the realised pad in its pad column, one folder a policy.
        const std::vector<std::string> seeds = writeSeedCsvs(run, dir.path().toStdString() + "/seed");
        QCOMPARE(int(seeds.size()), 2);
        QVERIFY(seeds[0].find("/random/") != std::string::npos && seeds[1].find("/sorted/") != std::string::npos);
        const Run seed = readRunFile(seeds[1]);
        QVERIFY(std::abs(seed.rows[0].cell.pad - run.rows[1].realisedPad) < 1e-12);
    }

    void shardsOfADataRunMergeWithTheirData() {
        QTemporaryDir dir;
        const std::string file = writeText(dir, "lengths.txt", "10\n20\n30\n40\n");
        SweepSpec spec = dataSpec(file);
        spec.batchSizes = {2, 4};
        SweepRunner runner(registry, fakeWeights);
        struct : SweepObserver {
        } observer;
        const Run whole = runner.run(spec, observer, cancel);
        const std::vector<Cell> cells = cellsOf(whole.spec);
        QCOMPARE(int(cells.size()), 4);
        Run a = whole, b = whole;
        a.rows.clear();
        b.rows.clear();
        for (const ResultRow& r : whole.rows) (r.cell.batchSize == 2 ? a : b).rows.push_back(r);
        b.workload = WorkloadRecord{};   // a file that does not record the lengths (a CSV, say)
        const MergedRuns m = mergeRuns({{"a", a}, {"b", b}}, DuplicatePolicy::Reject);
        QVERIFY(m.missing.empty());
        QCOMPARE(m.run.rows.size(), whole.rows.size());
        QCOMPARE(m.run.workload.sha256, whole.workload.sha256);
        // Shards of other data do not merge: the specs' SHA-256 differ.
        b.spec.workload.sha256 = std::string(64, '0');
        QVERIFY_THROWS_EXCEPTION(InputError, mergeRuns({{"a", a}, {"b", b}}, DuplicatePolicy::Reject));
        QCOMPARE(specDifference(a.spec, b.spec).field, std::string("workload"));
    }

    void rerunWithOtherDataIsRefused() {
        QTemporaryDir dir;
        const std::string file = writeText(dir, "lengths.txt", "10\n20\n30\n");
        SweepSpec spec = dataSpec(file);
        const WorkloadRecord first = loadWorkload(spec);
        recordWorkloadIdentity(spec, first);
        QCOMPARE(spec.workload.bytes, int64_t(9));
        QVERIFY(loadWorkload(spec).recorded());   // the same bytes: fine
        writeText(dir, "lengths.txt", "10\n20\n31\n");
        try {
            loadWorkload(spec);
            QFAIL("a changed file was accepted");
        } catch (const InputError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("is not the data this run recorded") != std::string::npos &&
                         what.find(file) != std::string::npos,
                     e.what());
        }
        // The runner checks too (a worker process reading the spec, a resume).
        SweepRunner runner(registry, fakeWeights);
        struct : SweepObserver {
        } observer;
        QVERIFY_THROWS_EXCEPTION(InputError, runner.run(spec, observer, cancel));
    }

    void textsNeedATokenizerForAPreset() {
        QTemporaryDir dir;
        SweepSpec spec = dataSpec(writeText(dir, "texts.txt", "hello world\n"));
        spec.workload.kind = WorkloadKind::Texts;
        spec.models = {"tiny"};
        try {
            loadWorkload(spec);
            QFAIL("a preset's texts were tokenized");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("model tiny is a preset and has no tokenizer files") != std::string::npos ||
                         std::string(e.what()).find("this build has none") != std::string::npos,
                     e.what());
        }
#ifdef BERTBENCH_HAVE_TOKENIZERS
        // Several models, one tokenizer folder for all: counted once, recorded per model.
        spec.models = {"tiny", "bert-base"};
        spec.workload.tokenizer = std::string(BERTBENCH_FIXTURES_DIR) + "/tokenizers/bert-base-uncased";
        const WorkloadRecord w = loadWorkload(spec);
        QCOMPARE(int(w.models.size()), 2);
        QCOMPARE(w.models[0].lengths, std::vector<int>{4});   // [CLS] hello world [SEP]
        QVERIFY(w.models[1].tokenizer.find("WordPiece") != std::string::npos);
        QCOMPARE(w.lengthsOf("bert-base")->model, std::string("bert-base"));
#endif
    }
};

QTEST_GUILESS_MAIN(WorkloadSweepTest)
#include "test_workload_sweep.moc"

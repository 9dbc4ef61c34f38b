// SweepRunner with a fake backend: baseline measured per cell at that cell's padding, statistics,
// output errors, error/oom rows that do not stop the sweep, cancellation, resume skipping.
#include <QtTest>

#include <atomic>
#include <map>

#include "core/batch/BatchValidation.h"
#include "core/sweep/CellTiming.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

// Everything the fakes saw, shared by the test.
struct FakeLog {
    std::vector<std::pair<std::string, Batch>> prepared;  // backend name, batch
    int forwards = 0;
    std::string order;   // the first letter of each forward's backend name after "fake:", in order
    std::vector<std::pair<std::string, DType>> loaded;   // backend name, the data type it was loaded in
};

struct FakeBehaviour {
    double msPerToken = 0.001;     // latency = padded tokens · msPerToken, with up to 4% jitter
    float outputOffset = 0;        // added to the output: a known error against the baseline
    int oomAtBatch = 0;            // prepare throws OutOfMemoryError when batch >= this
    int errorAtSeq = 0;            // prepare throws BackendError when seq == this
    int badBatchAtSeq = 0;         // prepare refuses the batch (validateBatch's InputError) when seq == this
    bool describesOptions = false; // kernelOptions() names the forwards so far (a choice made while running)
    int cancelAfterForwards = 0;   // sets the cancel flag after this many forwards
    std::atomic<bool>* cancel = nullptr;
};

class FakeBackend : public Backend {
public:
    FakeBackend(std::string name, FakeBehaviour b, FakeLog& log) : name_(std::move(name)), b_(b), log_(log) {}
    std::string name() const override { return name_; }
    std::string deviceName() const override { return "fake"; }
    void loadModel(const BertWeights&, DType dtype) override {
        log_.loaded.emplace_back(name_, dtype);
        current_ = 1000;
        peak_ = current_;
    }
    void prepare(Task task, const Batch& batch) override {
        if (b_.oomAtBatch > 0 && batch.batchSize >= b_.oomAtBatch) throw OutOfMemoryError("fake out of memory");
        if (b_.errorAtSeq > 0 && batch.maxSeqLen == b_.errorAtSeq) throw BackendError("fake kernel failure");
        if (b_.badBatchAtSeq > 0 && batch.maxSeqLen == b_.badBatchAtSeq) {
            Batch bad = batch;
            bad.attentionMask[0] = 0;
            ModelConfig config;
            config.vocabSize = 1000;
            validateBatch(bad, config);
        }
        log_.prepared.emplace_back(name_, batch);
        batch_ = batch;
        task_ = task;
        current_ += batch.paddedTokens() * 10;
        peak_ = std::max(peak_, current_);
    }
    double forward() override {
        ++log_.forwards;
        log_.order += name_[5];
        ++calls_;
        if (b_.cancelAfterForwards > 0 && log_.forwards >= b_.cancelAfterForwards) b_.cancel->store(true);
        return double(batch_.paddedTokens()) * b_.msPerToken * (1.0 + 0.01 * double(calls_ % 5));
    }
    TaskOutput output() override {
        TaskOutput out;
        out.task = task_;
        out.shape = {batch_.batchSize, batch_.maxSeqLen, 1};
        for (size_t i = 0; i < batch_.inputIds.size(); ++i)
            out.values.push_back(float(batch_.inputIds[i]) + (batch_.attentionMask[i] ? b_.outputOffset : 999.f));
        return out;
    }
    void releaseCell() override { current_ = 1000; }
    int64_t peakMemoryBytes() const override { return peak_; }
    void resetPeakMemory() override { peak_ = current_; }
    void setMemoryLimitBytes(int64_t) override {}
    std::vector<KernelOption> kernelOptions() const override {
        if (!b_.describesOptions) return {};
        return {{"forwards", std::to_string(calls_)}, {"name", name_}};
    }

private:
    std::string name_;
    FakeBehaviour b_;
    FakeLog& log_;
    Batch batch_;
    Task task_ = Task::Encoder;
    int64_t current_ = 0, peak_ = 0;
    int calls_ = 0;
};

struct Recorder : SweepObserver {
    std::vector<ResultRow> rows;
    std::vector<Cell> started;
    std::vector<SweepProgress> progress_;
    void cellStarted(const Cell& c, int, int) override { started.push_back(c); }
    void rowReady(const ResultRow& r) override { rows.push_back(r); }
    void progress(const SweepProgress& p) override { progress_.push_back(p); }
};

BertWeights fakeWeights(const SweepSpec&, const std::string&) {
    BertWeights w;
    w.config.vocabSize = 1000;
    return w;
}

SweepSpec smallSpec() {
    SweepSpec spec;
    spec.baseline = "fake:eager";
    spec.candidates = {"fake:fast"};
    spec.batchSizes = {1, 4};
    spec.seqLens = {32, 64};
    spec.pads = {0.0, 0.5};
    spec.numBatches = 5;
    spec.warmup = 1;
    return spec;
}

} // namespace

class RunnerTest : public QObject {
    Q_OBJECT

    FakeLog log;
    std::atomic<bool> cancel{false};
    BackendRegistry registry;
    FakeBehaviour baseBehaviour, fastBehaviour;

    void makeRegistry() {
        registry = BackendRegistry();
        registry.add({"fake:eager", "cpu", "eager", "fake", {DType::Float32, DType::Float16},
                      [this] { return std::make_unique<FakeBackend>("fake:eager", baseBehaviour, log); }});
        registry.add({"fake:fast", "cpu", "sdpa", "fake", {DType::Float32, DType::Float16},
                      [this] { return std::make_unique<FakeBackend>("fake:fast", fastBehaviour, log); }});
    }

private slots:
    void init() {
        log = FakeLog();
        cancel = false;
        baseBehaviour = FakeBehaviour();
        fastBehaviour = FakeBehaviour();
        fastBehaviour.msPerToken = 0.0005;
        fastBehaviour.outputOffset = 0.5f;
    }

    void baselineIsMeasuredInEveryCellAtItsPadding() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(smallSpec(), rec, cancel);
        QCOMPARE(int(run.rows.size()), 8);
        QCOMPARE(int(rec.rows.size()), 8);
        // Baseline and candidate each prepared once per cell, on the same batch.
        QCOMPARE(int(log.prepared.size()), 16);
        for (size_t i = 0; i < log.prepared.size(); i += 2) {
            QCOMPARE(log.prepared[i].first, std::string("fake:eager"));
            QCOMPARE(log.prepared[i + 1].first, std::string("fake:fast"));
            QCOMPARE(log.prepared[i].second.inputIds, log.prepared[i + 1].second.inputIds);
        }
        // Padding differs between the pad 0 and pad 0.5 cells of one (batch, seq).
        QVERIFY(log.prepared[0].second.realTokens() > log.prepared[2].second.realTokens());
        // warm-up 1 + 5 timed, two backends, 8 cells.
        QCOMPARE(log.forwards, 8 * 2 * 6);
        QCOMPARE(rec.progress_.back().cellsDone, 8);
        QCOMPARE(rec.progress_.back().etaS, 0.0);
    }

    // `--baseline B:fp32` against fp16 candidates: the baseline is loaded in its own data type, the
    // candidates in the spec's; every row compares with that baseline, and the run's spec keeps it.
    void baselineRunsInItsOwnDataType() {
        makeRegistry();
        SweepSpec spec = smallSpec();
        spec.dtype = DType::Float16;
        spec.baselineDType = DType::Float32;
        spec.candidates = {"fake:eager"};   // the same backend in the candidates' type: both kept
        baseBehaviour.describesOptions = true;
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(spec, rec, cancel);
        using Load = std::pair<std::string, DType>;
        QCOMPARE(log.loaded, (std::vector<Load>{{"fake:eager", DType::Float32}, {"fake:eager", DType::Float16}}));
        QCOMPARE(int(run.rows.size()), 8);
        for (const ResultRow& r : run.rows) {
            QCOMPARE(toString(r.status), toString(RowStatus::Ok));
            QCOMPARE(r.maxAbsError, 0.0);   // against the baseline's output, as in every row
            QVERIFY(r.isHalf);              // the candidates' data type
        }
        QVERIFY(run.environment.kernelOptions.count("fake:eager fp32"));   // the baseline's
        QVERIFY(run.environment.kernelOptions.count("fake:eager"));        // the candidate's
        QVERIFY(run.spec.baselineDType == DType::Float32);
        QCOMPARE(baselineLabel(run.spec), std::string("fake:eager fp32"));
        spec.baselineDType.reset();
        QCOMPARE(baselineLabel(spec), std::string("fake:eager"));
    }

    void everyModelIsLoadedOnceAndMeasuredAgainstItsOwnBaseline() {
        makeRegistry();
        std::vector<std::string> loads;
        SweepRunner runner(registry, [&](const SweepSpec&, const std::string& model) {
            loads.push_back(model);
            BertWeights w;
            w.config.vocabSize = model == "small" ? 100 : 1000;
            return w;
        });
        SweepSpec spec = smallSpec();
        spec.models = {"small", "large"};
        spec.tasks = {Task::Encoder, Task::Mlm};
        Recorder rec;
        const Run run = runner.run(spec, rec, cancel);
        QCOMPARE(loads, (std::vector<std::string>{"small", "large"}));
        QCOMPARE(int(run.rows.size()), 32);   // 2 models × 2 tasks × 8 cells
        for (size_t i = 0; i < run.rows.size(); ++i) {
            QCOMPARE(run.rows[i].cell.model, std::string(i < 16 ? "small" : "large"));
            QVERIFY2(run.rows[i].status == RowStatus::Ok, run.rows[i].message.c_str());
        }
        // Each model's baseline ran on that model's batch: token ids within its vocabulary.
        for (size_t i = 0; i < log.prepared.size(); ++i) {
            const int limit = i < 32 ? 100 : 1000;   // baseline + candidate per cell
            for (int id : log.prepared[i].second.inputIds) QVERIFY(id < limit);
        }
    }

    void aModelThatCannotBeReadFailsItsCellsOnly() {
        makeRegistry();
        SweepRunner runner(registry, [&](const SweepSpec&, const std::string& model) -> BertWeights {
            if (model == "broken") throw FileFormatError("broken/model.safetensors: truncated header");
            return fakeWeights({}, model);
        });
        SweepSpec spec = smallSpec();
        spec.models = {"broken", "good"};
        Recorder rec;
        const Run run = runner.run(spec, rec, cancel);
        QCOMPARE(int(run.rows.size()), 16);
        for (const ResultRow& r : run.rows) {
            if (r.cell.model == "broken") {
                QCOMPARE(toString(r.status), std::string("error"));
                QVERIFY2(r.message.find("loading model broken failed: broken/model.safetensors: truncated header") !=
                             std::string::npos,
                         r.message.c_str());
            } else {
                QCOMPARE(toString(r.status), std::string("ok"));
            }
        }
        // One model alone that cannot be read stops the run with the reason, as before.
        spec.models = {"broken"};
        QVERIFY_THROWS_EXCEPTION(FileFormatError, runner.run(spec, rec, cancel));
    }

    void rowsCarryStatisticsAndErrors() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(smallSpec(), rec, cancel);
        const ResultRow& r = run.rows[0];
        QCOMPARE(toString(r.status), toString(RowStatus::Ok));
        QCOMPARE(r.candidate.latency.samples, 5);
        QVERIFY(r.baseline.latency.medianMs > r.candidate.latency.medianMs);
        QVERIFY(r.baseline.latency.p10Ms <= r.baseline.latency.medianMs);
        QVERIFY(r.baseline.latency.p90Ms >= r.baseline.latency.medianMs);
        QVERIFY(r.speedupPercent() > 50);
        // The fake's error is 0.5 on real positions only (padding differs by nothing).
        QCOMPARE(r.maxAbsError, 0.5);
        QVERIFY(r.relError > 0);
        QVERIFY(r.realTokens > 0);
        QVERIFY(r.baseline.peakMemMb > 0);
    }

    void failingCellsBecomeRowsAndTheSweepGoesOn() {
        fastBehaviour.oomAtBatch = 4;
        baseBehaviour.errorAtSeq = 64;
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(smallSpec(), rec, cancel);
        QCOMPARE(int(run.rows.size()), 8);
        std::map<RowStatus, int> count;
        for (const ResultRow& r : run.rows) {
            ++count[r.status];
            if (r.cell.seqLen == 64) {
                QCOMPARE(toString(r.status), toString(RowStatus::Error));
                QVERIFY(r.message.find("baseline") != std::string::npos);
                QVERIFY(r.message.find("fake kernel failure") != std::string::npos);
            } else if (r.cell.batchSize == 4) {
                QCOMPARE(toString(r.status), toString(RowStatus::Oom));
                QVERIFY(r.message.find("fake out of memory") != std::string::npos);
            }
        }
        QCOMPARE(count[RowStatus::Ok], 2);
        QCOMPARE(count[RowStatus::Oom], 2);
        QCOMPARE(count[RowStatus::Error], 4);
    }

    // A batch a backend refuses (InputError from validateBatch) is that row's error, naming the
    // backend and the field; the other cells and backends go on.
    void aRefusedBatchIsAnErrorRowNamingTheField() {
        fastBehaviour.badBatchAtSeq = 64;
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(smallSpec(), rec, cancel);
        QCOMPARE(int(run.rows.size()), 8);
        for (const ResultRow& r : run.rows) {
            if (r.cell.seqLen != 64) {
                QCOMPARE(toString(r.status), toString(RowStatus::Ok));
                continue;
            }
            QCOMPARE(toString(r.status), toString(RowStatus::Error));
            QVERIFY2(r.message.find("fake:fast: batch attention_mask at row 0, position 0 is 0") != std::string::npos,
                     r.message.c_str());
        }
    }

    // Each backend's kernelOptions() is read after its cells and the latest kept, per backend name;
    // a backend without any records nothing.
    void kernelOptionsAreRecordedPerBackendAfterItsCells() {
        fastBehaviour.describesOptions = true;
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const SweepSpec spec = smallSpec();
        const Run run = runner.run(spec, rec, cancel);
        QCOMPARE(run.environment.kernelOptions.size(), size_t(1));
        const std::vector<KernelOption>& fast = run.environment.kernelOptions.at("fake:fast");
        const int cells = int(run.rows.size());
        const int forwards = cells * (spec.warmup + spec.numBatches);
        QCOMPARE(kernelOptionsLine(fast), "forwards=" + std::to_string(forwards) + "; name=fake:fast");
    }

    void cancelStopsBetweenForwardsAndKeepsFinishedRows() {
        baseBehaviour.cancel = &cancel;
        baseBehaviour.cancelAfterForwards = 2 * 6 * 2 + 3;  // in the baseline of the third cell
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const Run run = runner.run(smallSpec(), rec, cancel);
        QCOMPARE(int(run.rows.size()), 3);
        QCOMPARE(toString(run.rows[0].status), toString(RowStatus::Ok));
        QCOMPARE(toString(run.rows[1].status), toString(RowStatus::Ok));
        QCOMPARE(toString(run.rows[2].status), toString(RowStatus::Cancelled));
        QCOMPARE(log.forwards, 2 * 6 * 2 + 3);
    }

    void resumeSkipsFinishedCells() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        const SweepSpec spec = smallSpec();
        const std::vector<Cell> all = cellsOf(spec);
        const Run run = runner.run(spec, rec, cancel, {all[0], all[3]});
        QCOMPARE(int(run.rows.size()), 6);
        for (const ResultRow& r : run.rows) QVERIFY(!(r.cell == all[0]) && !(r.cell == all[3]));
        // The resumed cell sees the same batch as in a full sweep.
        Recorder full;
        FakeLog before = log;
        log = FakeLog();
        runner.run(spec, full, cancel);
        QCOMPARE(log.prepared[2].second.inputIds, before.prepared[0].second.inputIds);
    }

    // Interleaved (the default): warm-up per backend, then alternating rounds, one forward each at
    // this count (5 < kMinRounds); sequential: one backend after the other. Rows say which.
    void sidesAreTimedInAlternatingRoundsOrOneAfterTheOther() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        SweepSpec spec = smallSpec();
        spec.batchSizes = {1};
        spec.seqLens = {32};
        spec.pads = {0.0};
        Run run = runner.run(spec, rec, cancel);
        QCOMPARE(log.order, std::string("ef" "efefefefef"));
        QCOMPARE(run.rows[0].timing, std::string("interleaved"));
        QCOMPARE(int(run.rows[0].baseline.stop), int(StopReason::Count));
        QCOMPARE(int(run.rows[0].candidate.samplesMs.size()), 5);
        spec.interleave = false;
        log = FakeLog();
        run = runner.run(spec, rec, cancel);
        QCOMPARE(log.order, std::string("eeeeeeffffff"));
        QCOMPARE(run.rows[0].timing, std::string("sequential"));
    }

    // The baseline listed as a candidate: a second instance, timed like any candidate; A/A.
    void theBaselineCanBeItsOwnCandidate() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        SweepSpec spec = smallSpec();
        spec.candidates = {"fake:eager", "fake:fast"};
        const Run run = runner.run(spec, rec, cancel);
        QCOMPARE(int(run.rows.size()), 16);
        for (const ResultRow& r : run.rows) {
            QCOMPARE(toString(r.status), std::string("ok"));
            if (r.candidate.backend == "fake:eager") QCOMPARE(r.maxAbsError, 0.0);
        }
    }

    // Adaptive: the fake's 4 % cyclic jitter gives a noise below 5 % quickly, so each side stops on
    // it after kMinAdaptiveSamples or a little more; rows carry the samples, the speedup's
    // interval and verdict.
    void adaptiveSamplingStopsOnNoiseAndRowsCarryVerdicts() {
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        SweepSpec spec = smallSpec();
        spec.maxNoisePct = 5;
        spec.maxTimeS = 30;
        const Run run = runner.run(spec, rec, cancel);
        for (const ResultRow& r : run.rows) {
            QCOMPARE(int(r.baseline.stop), int(StopReason::Noise));
            QCOMPARE(int(r.candidate.stop), int(StopReason::Noise));
            QVERIFY(r.baseline.latency.samples >= kMinAdaptiveSamples);
            QVERIFY(r.baseline.latency.noisePct <= 5);
            QCOMPARE(r.numBatches, r.candidate.latency.samples);
            QCOMPARE(int(r.verdict), int(Verdict::Faster));   // fake:fast takes half the time
            QVERIFY(r.speedupCiPct.lo > 0 && r.speedupCiPct.contains(r.speedupPercent()));
        }
    }

    // With the sides prepared together, one that fails fails alone.
    void aFailingSideFailsAlone() {
        fastBehaviour.errorAtSeq = 64;
        makeRegistry();
        SweepRunner runner(registry, fakeWeights);
        Recorder rec;
        SweepSpec spec = smallSpec();
        spec.candidates = {"fake:fast", "fake:eager"};
        const Run run = runner.run(spec, rec, cancel);
        for (const ResultRow& r : run.rows) {
            const bool failing = r.cell.seqLen == 64 && r.candidate.backend == "fake:fast";
            QCOMPARE(toString(r.status), std::string(failing ? "error" : "ok"));
        }
    }

    void statisticsAreInterpolatedPercentiles() {
        const LatencyStats s = summarize({5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
        QCOMPARE(s.samples, 10);
        QCOMPARE(s.medianMs, 5.5);
        QCOMPARE(s.meanMs, 5.5);
        QVERIFY(std::fabs(s.p10Ms - 1.9) < 1e-12);
        QVERIFY(std::fabs(s.p90Ms - 9.1) < 1e-12);
        QVERIFY(std::fabs(s.stdevMs - 3.0276503540974917) < 1e-12);
        QCOMPARE(summarize({}).samples, 0);
    }

    void outputComparisonIgnoresPadding() {
        Batch b = makeBatch({2, 4, 0.5, 0, 10, 1});
        TaskOutput ref, cand;
        ref.shape = cand.shape = {2, 4, 1};
        ref.values = {1, 2, 100, 100, 3, 4, 100, 100};
        cand.values = {1, 2, -7, 9, 3, 5, 0, 0};
        const OutputError e = compareOutputs(cand, ref, b);
        QCOMPARE(e.maxAbs, 1.0);
        QVERIFY(std::fabs(e.relL2 - 1.0 / std::sqrt(30.0)) < 1e-12);
        cand.values[0] = std::nanf("");
        QVERIFY(std::isinf(compareOutputs(cand, ref, b).maxAbs));
    }
};

QTEST_GUILESS_MAIN(RunnerTest)
#include "test_runner.moc"

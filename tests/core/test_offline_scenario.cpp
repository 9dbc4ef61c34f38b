// The offline scenario (core/sweep/OfflineScenario.h): the samples (the file's first rows, draws
// beyond it, truncation counted), sorted batches, the batch-size search (stops at the first OOM,
// and after `patience` slower sizes), samples/s and real tokens/s from the pass time, task
// agreement of cpu:* with cpu:eager on a real tiny model (100 %), the JSON; the shipped length file.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/backend/DTypeSupport.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/OfflineJson.h"
#include "core/sweep/OfflineScenario.h"
#include "core/util/Errors.h"
#include "core/workload/LengthDistribution.h"
#include "core/workload/WorkloadFiles.h"

using namespace bertbench;

namespace {

// Each forward takes batch² × 0.01 ms (a bigger batch costs more per sample), or throws OOM from
// `oomAt` rows on.
class FakeBackend : public Backend {
public:
    explicit FakeBackend(int oomAt) : oomAt_(oomAt) {}
    std::string name() const override { return "fake:b"; }
    std::string deviceName() const override { return "fake"; }
    void loadModel(const BertWeights&, DType) override {}
    void prepare(Task task, const Batch& batch) override {
        if (oomAt_ > 0 && batch.batchSize >= oomAt_) throw OutOfMemoryError("fake out of memory");
        batch_ = batch;
        task_ = task;
    }
    double forward() override { return double(batch_.batchSize) * batch_.batchSize * 0.01; }
    TaskOutput output() override {
        TaskOutput o;
        o.task = task_;
        o.shape = {batch_.batchSize, batch_.maxSeqLen, 2};
        o.values.assign(size_t(batch_.batchSize) * size_t(batch_.maxSeqLen) * 2, 0.f);
        return o;
    }
    void releaseCell() override {}
    int64_t peakMemoryBytes() const override { return 0; }
    void resetPeakMemory() override {}
    void setMemoryLimitBytes(int64_t) override {}
    std::optional<DType> dtypeRan() const override { return DType::Float16; }

private:
    int oomAt_;
    Batch batch_;
    Task task_ = Task::Encoder;
};

BertWeights tinyWeights(const SweepSpec& spec, const std::string& model) {
    return randomWeights(presetConfig(model), spec.seed);
}

} // namespace

class OfflineScenarioTest : public QObject {
    Q_OBJECT

private slots:
    void samplesAreTheFirstRowsThenDraws() {
        const std::vector<int> file{5, 900, 7, 3};
        int truncated = -1;
        const std::vector<int> two = offlineSamples(file, 2, 384, 1, &truncated);
        QCOMPARE(two, (std::vector<int>{5, 384}));
        QCOMPARE(truncated, 1);
        const std::vector<int> ten = offlineSamples(file, 10, 384, 1, &truncated);
        QCOMPARE(int(ten.size()), 10);
        QCOMPARE(std::vector<int>(ten.begin(), ten.begin() + 4), (std::vector<int>{5, 384, 7, 3}));
        for (int l : ten) QVERIFY(l == 5 || l == 384 || l == 7 || l == 3);
        QCOMPARE(offlineSamples(file, 10, 384, 1), ten);   // seeded
        QVERIFY_THROWS_EXCEPTION(InputError, offlineSamples({}, 3, 384, 1));
        QVERIFY_THROWS_EXCEPTION(InputError, offlineSamples(file, 0, 384, 1));
    }

    void batchesAreSortedAndTheLastMayBeSmaller() {
        const auto b = sortedBatches({9, 1, 5, 3, 7}, 2);
        QCOMPARE(int(b.size()), 3);
        QCOMPARE(b[0], (std::vector<int>{1, 3}));
        QCOMPARE(b[1], (std::vector<int>{5, 7}));
        QCOMPARE(b[2], (std::vector<int>{9}));
    }

    void searchStopsAtOutOfMemoryAndAfterSlowerSizes() {
        BackendRegistry registry;
        registry.add({"fake:oom8", "cuda", "sdpa", "fake", {DType::Float16}, [] { return std::make_unique<FakeBackend>(8); }});
        registry.add({"fake:slow", "cuda", "sdpa", "fake", {DType::Float16}, [] { return std::make_unique<FakeBackend>(0); }});
        OfflineSpec spec;
        spec.model = "tiny";
        spec.task = Task::Qa;
        spec.maxLength = 32;
        spec.samples = 64;
        spec.batchSizes = {1, 2, 4, 8, 16, 32};
        spec.passes = 2;
        spec.patience = 2;
        spec.backends = {"fake:oom8"};
        spec.patience = 10;
        std::vector<int> lengths(64);
        std::iota(lengths.begin(), lengths.end(), 1);
        const OfflineResult oom = runOffline(spec, lengths, registry, tinyWeights);
        QCOMPARE(oom.samples, 64);
        QCOMPARE(oom.truncated, 32);   // 33..64 cut to 32
        QCOMPARE(oom.backends[0].dtypeRan, std::string("fp16"));
        // OOM at 8: sizes 1, 2, 4 ran, 8 failed, 16 and 32 not tried.
        QCOMPARE(int(oom.backends[0].trials.size()), 4);
        QVERIFY(oom.backends[0].trials[3].status == RowStatus::Oom);
        // Per sample the cost grows with the batch: 1 is best, 2 and 4 slower, then the search stops.
        spec.backends = {"fake:slow"};
        spec.patience = 2;
        const OfflineResult r = runOffline(spec, lengths, registry, tinyWeights);
        QCOMPARE(int(r.backends[0].trials.size()), 3);
        QCOMPARE(r.backends[0].best, 0);
        const OfflineTrial& t = r.backends[0].trials[0];
        QCOMPARE(t.batches, 64);
        QCOMPARE(t.passMs.medianMs, 64 * 0.01);
        QCOMPARE(t.samplesPerS, 64 / (64 * 0.01 / 1000));
        QCOMPARE(t.realTokensPerS, double(r.realTokens) / (64 * 0.01 / 1000));
    }

    void cpuBackendsAgreeAndTheJsonSaysSo() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        OfflineSpec spec;
        spec.model = "tiny";
        spec.task = Task::Qa;
        spec.dtype = DType::Float32;
        spec.maxLength = 48;
        spec.samples = 24;
        spec.batchSizes = {4, 8};
        spec.passes = 1;
        spec.warmupPasses = 0;
        spec.agreementSamples = 12;
        spec.agreementBatch = 4;
        spec.backends = {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"};
        const std::vector<int> lengths{3, 40, 17, 60, 9, 22, 31, 5};
        const OfflineResult r = runOffline(spec, lengths, registry, tinyWeights);
        QCOMPARE(int(r.backends.size()), 3);
        for (const OfflineBackendResult& b : r.backends) {
            QVERIFY2(b.best >= 0, b.backend.c_str());
            QVERIFY(b.trials[size_t(b.best)].samplesPerS > 0);
        }
        QVERIFY(std::isnan(r.backends[0].agreementPct));
        QCOMPARE(r.backends[1].agreementPct, 100.0);
        QCOMPARE(r.backends[2].agreementPct, 100.0);
        QCOMPARE(r.backends[1].agreementDecisions, int64_t(24));   // 12 samples × start and end
        const auto j = nlohmann::json::parse(offlineToJson(r));
        QCOMPARE(j["format"].get<std::string>(), std::string("bertbench-offline"));
        QCOMPARE(j["backends"][1]["task_agreement_pct"].get<double>(), 100.0);
        QVERIFY(j["backends"][0].contains("samples_per_s"));
        QVERIFY(offlineTable(r).find("samples/s") != std::string::npos);
    }

    void aSeparateReferenceJudgesEveryBackend() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        OfflineSpec spec;
        spec.model = "tiny";
        spec.task = Task::Classification;
        spec.dtype = DType::Float32;
        spec.maxLength = 32;
        spec.samples = 16;
        spec.batchSizes = {8};
        spec.passes = 1;
        spec.warmupPasses = 0;
        spec.agreementSamples = 16;
        spec.agreementBatch = 8;
        spec.backends = {"cpu:sdpa"};
        spec.reference = "cpu:eager";
        const OfflineResult r = runOffline(spec, {5, 9, 31, 12}, registry, tinyWeights);
        QCOMPARE(r.backends[0].agreementPct, 100.0);
        QCOMPARE(r.backends[0].agreementDecisions, int64_t(16));
    }

    void fp8IsRefusedWithItsReasonOnCpuBackends() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        const std::string why = dtypeRefusal(*registry.find("cpu:sdpa"), DType::Float8);
        QVERIFY2(why.find("8.9") != std::string::npos, why.c_str());
        QVERIFY(dtypeRefusal(*registry.find("cpu:sdpa"), DType::Float32).empty());
        QVERIFY(*parseDType("fp8") == DType::Float8);
        QCOMPARE(toString(DType::Float8), std::string("fp8"));
        BackendInfo old{"cuda:sdpa", "cuda", "sdpa", "", {DType::Float16}, {}, {}, {}};
        old.dtypeUnavailable = {{DType::Float8, fp8GpuReason(80, "NVIDIA A100")}};
        QVERIFY(dtypeRefusal(old, DType::Float8).find("NVIDIA A100 is 8.0") != std::string::npos);
    }

    void theShippedLengthFileHasItsDocumentedShape() {
        const std::vector<int> lengths = readLengthsFile(BERTBENCH_SOURCE_DIR "/bench/throughput/squad_v1.1_like_lengths.txt");
        QCOMPARE(int(lengths.size()), 10833);
        std::vector<int> sorted = lengths;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(sorted.front() >= 1);
        QVERIFY(sorted.back() <= 384);
        const double mean = std::accumulate(lengths.begin(), lengths.end(), 0.0) / double(lengths.size());
        QVERIFY2(mean > 150 && mean < 185, qPrintable(QString::number(mean)));
        const double median = percentileOfSorted(sorted, 50);
        QVERIFY2(median > 140 && median < 185, qPrintable(QString::number(median)));
    }
};

QTEST_GUILESS_MAIN(OfflineScenarioTest)
#include "test_offline_scenario.moc"

// The CPU backends: registration, the three attention strategies agree on every task,
// padding invariance, memory accounting and limits (test_cpu_building_blocks: the thread pool,
// GEMM and math approximations beneath them).
#include <QtTest>

#include <cmath>
#include <memory>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackend.h"
#include "core/cpu/CpuBackends.h"
#include "core/cpu/CpuMath.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/ThreadPool.h"
#include "core/model/BertWeights.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

const std::vector<std::string> kBackends = {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"};

struct Error {
    double relL2 = 0;
    double maxAbs = 0;
};

// ‖a − b‖ / ‖b‖ over real positions only (all of a classification output).
Error compareReal(const TaskOutput& a, const TaskOutput& b, const std::vector<int>& lengths) {
    Error e;
    if (a.shape != b.shape || a.values.size() != b.values.size()) return {1e30, 1e30};
    double diff = 0, ref = 0;
    auto visit = [&](size_t i) {
        const double d = double(a.values[i]) - double(b.values[i]);
        diff += d * d;
        ref += double(b.values[i]) * double(b.values[i]);
        e.maxAbs = std::max(e.maxAbs, std::abs(d));
    };
    if (!a.perPosition) {
        for (size_t i = 0; i < a.values.size(); ++i) visit(i);
    } else {
        const size_t S = size_t(a.shape[1]), W = size_t(a.shape[2]);
        for (size_t b0 = 0; b0 < lengths.size(); ++b0)
            for (size_t p = 0; p < size_t(lengths[b0]); ++p)
                for (size_t w = 0; w < W; ++w) visit((b0 * S + p) * W + w);
    }
    e.relL2 = ref > 0 ? std::sqrt(diff / ref) : std::sqrt(diff);
    return e;
}

// A small config with an odd head size and more than one query and key block at S = 133.
ModelConfig smallConfig() {
    ModelConfig c;
    c.name = "test-small";
    c.vocabSize = 101;
    c.hiddenSize = 48;
    c.numHeads = 3;
    c.numLayers = 2;
    c.intermediateSize = 96;
    c.maxPositions = 160;
    c.numLabels = 5;
    return c;
}

// HF's init (std 0.02) makes attention nearly uniform, which would hide masking mistakes:
// widen the matrices and give LayerNorm and biases non-trivial values.
BertWeights sharpWeights(const ModelConfig& c, uint64_t seed) {
    BertWeights w = randomWeights(c, seed);
    uint64_t state = seed * 2654435761u + 1;
    auto uniform = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return double(state >> 11) * 0x1.0p-53 - 0.5;
    };
    auto widen = [](Tensor& t) {
        for (float& x : t.data) x *= 8.0f;
    };
    auto jitter = [&](Tensor& t, float base, float scale) {
        for (float& x : t.data) x = base + scale * float(uniform());
    };
    widen(w.wordEmb);
    widen(w.posEmb);
    widen(w.typeEmb);
    for (LayerWeights& l : w.layers) {
        for (Tensor* m : {&l.queryW, &l.keyW, &l.valueW, &l.attnOutW, &l.interW, &l.outW}) widen(*m);
        for (Tensor* b : {&l.queryB, &l.keyB, &l.valueB, &l.attnOutB, &l.interB, &l.outB, &l.attnLnBeta, &l.outLnBeta})
            jitter(*b, 0.0f, 0.2f);
        jitter(l.attnLnGamma, 1.0f, 0.4f);
        jitter(l.outLnGamma, 1.0f, 0.4f);
    }
    for (Tensor* m : {&w.poolerW, &w.mlmTransformW, &w.classifierW, &w.tokenClassifierW, &w.qaW}) widen(*m);
    for (Tensor* b : {&w.poolerB, &w.mlmTransformB, &w.mlmLnBeta, &w.mlmDecoderB, &w.classifierB,
                      &w.tokenClassifierB, &w.qaB})
        jitter(*b, 0.0f, 0.2f);
    jitter(w.mlmLnGamma, 1.0f, 0.4f);
    return w;
}

std::unique_ptr<Backend> makeBackend(const std::string& name) {
    BackendRegistry registry;
    registerCpuBackends(registry);
    const BackendInfo* info = registry.find(name);
    if (!info) return nullptr;
    return info->create();
}

TaskOutput run(Backend& backend, Task task, const Batch& batch) {
    backend.prepare(task, batch);
    backend.forward();
    TaskOutput out = backend.output();
    backend.releaseCell();
    return out;
}

// A batch whose row `row` holds `ids` (length L) and whose other rows are random.
Batch batchWith(const std::vector<int32_t>& ids, int row, int batchSize, int seqLen, uint64_t seed) {
    BatchSpec spec;
    spec.batchSize = batchSize;
    spec.maxSeqLen = seqLen;
    spec.padFraction = 0.3;
    spec.seqlenStdev = 25;
    spec.vocabSize = 101;
    spec.seed = seed;
    Batch b = makeBatch(spec);
    const size_t S = size_t(seqLen);
    for (size_t p = 0; p < S; ++p) {
        const bool real = p < ids.size();
        b.inputIds[size_t(row) * S + p] = real ? ids[p] : 0;
        b.attentionMask[size_t(row) * S + p] = real ? 1 : 0;
    }
    b.lengths[size_t(row)] = int(ids.size());
    return b;
}

double relL2(const float* a, const float* b, size_t n) {
    double d = 0, r = 0;
    for (size_t i = 0; i < n; ++i) {
        d += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
        r += double(b[i]) * b[i];
    }
    return std::sqrt(d / std::max(r, 1e-300));
}

} // namespace

class TestCpuBackends : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setCpuThreads(2); }

    void registration() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        QCOMPARE(registry.names(), kBackends);
        for (const BackendInfo& info : registry.all()) {
            QCOMPARE(info.device, std::string("cpu"));
            QCOMPARE(info.name, "cpu:" + info.attention);
            QCOMPARE(info.dtypes, std::vector<DType>{DType::Float32});
            QVERIFY(!info.description.empty());
            std::unique_ptr<Backend> b = info.create();
            QCOMPARE(b->name(), info.name);
            QVERIFY(b->deviceName().rfind("CPU: ", 0) == 0);
        }
        QVERIFY(!cpuBlasDescription().empty());
        QCOMPARE(cpuThreads(), 2);
    }

    void refusesHalfPrecision() {
        const BertWeights w = randomWeights(smallConfig(), 1);
        for (const std::string& name : kBackends) {
            auto b = makeBackend(name);
            for (DType d : {DType::Float16, DType::BFloat16}) {
                try {
                    b->loadModel(w, d);
                    QFAIL("half precision accepted");
                } catch (const BackendError& e) {
                    QVERIFY2(std::string(e.what()).find(toString(d)) != std::string::npos, e.what());
                }
            }
        }
    }

    void strategiesAgree_data() {
        QTest::addColumn<double>("pad");
        QTest::newRow("pad 0") << 0.0;
        QTest::newRow("pad 0.5") << 0.5;
        QTest::newRow("pad 0.75") << 0.75;
    }

    void strategiesAgree() {
        QFETCH(double, pad);
        const BertWeights w = sharpWeights(smallConfig(), 7);
        BatchSpec spec;
        spec.batchSize = 5;
        spec.maxSeqLen = 133;   // odd, > one query block (128) and several key blocks (64)
        spec.padFraction = pad;
        spec.seqlenStdev = 30;
        spec.vocabSize = w.config.vocabSize;
        spec.seed = 11;
        const Batch batch = makeBatch(spec);

        std::vector<std::unique_ptr<Backend>> backends;
        for (const std::string& name : kBackends) {
            backends.push_back(makeBackend(name));
            backends.back()->loadModel(w, DType::Float32);
        }
        for (Task task : allTasks()) {
            const TaskOutput ref = run(*backends[0], task, batch);
            QCOMPARE(ref.perPosition, task != Task::Classification);
            if (task == Task::Classification) {
                QCOMPARE(ref.shape, (std::vector<int64_t>{5, 5}));
            } else {
                QCOMPARE(ref.shape[0], 5);
                QCOMPARE(ref.shape[1], 133);
            }
            for (size_t i = 1; i < backends.size(); ++i) {
                const TaskOutput out = run(*backends[i], task, batch);
                const Error e = compareReal(out, ref, batch.lengths);
                QVERIFY2(e.relL2 < 1e-5, qPrintable(QString("%1 vs eager, %2: rel %3 max %4")
                                                        .arg(QString::fromStdString(kBackends[i]))
                                                        .arg(QString::fromStdString(toString(task)))
                                                        .arg(e.relL2)
                                                        .arg(e.maxAbs)));
                // The flash strategy re-pads: padding positions of per-position outputs are zero.
                if (i == 2 && out.perPosition) {
                    const size_t S = size_t(out.shape[1]), W = size_t(out.shape[2]);
                    for (size_t b = 0; b < batch.lengths.size(); ++b)
                        for (size_t p = size_t(batch.lengths[b]); p < S; ++p)
                            for (size_t k = 0; k < W; ++k) QCOMPARE(out.values[(b * S + p) * W + k], 0.0f);
                }
            }
        }
    }

    void paddingInvariance() {
        const BertWeights w = sharpWeights(smallConfig(), 3);
        std::vector<int32_t> ids;
        for (int i = 0; i < 37; ++i) ids.push_back(1 + (i * 37 + 5) % 99);
        const Batch alone = batchWith(ids, 0, 1, 37, 1);
        const Batch inside = batchWith(ids, 2, 4, 150, 2);
        for (const std::string& name : kBackends) {
            auto b = makeBackend(name);
            b->loadModel(w, DType::Float32);
            for (Task task : allTasks()) {
                const TaskOutput a = run(*b, task, alone);
                const TaskOutput p = run(*b, task, inside);
                double rel = 0;
                if (task == Task::Classification) {
                    const size_t L = size_t(a.shape[1]);
                    rel = relL2(p.values.data() + 2 * L, a.values.data(), L);
                } else {
                    const size_t W = size_t(a.shape[2]);
                    rel = relL2(p.values.data() + 2 * 150 * W, a.values.data(), 37 * W);
                }
                QVERIFY2(rel < 1e-5, qPrintable(QString("%1 %2: rel %3")
                                                    .arg(QString::fromStdString(name))
                                                    .arg(QString::fromStdString(toString(task)))
                                                    .arg(rel)));
            }
        }
    }

    void threadCountDoesNotChangeResults() {
        const BertWeights w = sharpWeights(smallConfig(), 5);
        BatchSpec spec{3, 70, 0.4, 20, 101, 9};
        const Batch batch = makeBatch(spec);
        for (const std::string& name : kBackends) {
            auto b = makeBackend(name);
            b->loadModel(w, DType::Float32);
            setCpuThreads(1);
            const TaskOutput one = run(*b, Task::Mlm, batch);
            setCpuThreads(2);
            const TaskOutput two = run(*b, Task::Mlm, batch);
            QVERIFY(compareReal(two, one, batch.lengths).relL2 < 1e-6);
        }
    }

    void missingHeadIsAnError() {
        BertWeights w = randomWeights(smallConfig(), 1);
        w.qaW = Tensor();
        w.qaB = Tensor();
        auto b = makeBackend("cpu:sdpa");
        b->loadModel(w, DType::Float32);
        const Batch batch = makeBatch(BatchSpec{2, 16, 0.0, 1, 101, 1});
        QVERIFY_THROWS_EXCEPTION(BackendError, b->prepare(Task::Qa, batch));
        b->prepare(Task::Encoder, batch);   // the encoder itself is fine
        QVERIFY(b->forward() >= 0.0);
    }

    void badBatchIsAnError() {
        const BertWeights w = randomWeights(smallConfig(), 1);
        auto b = makeBackend("cpu:eager");
        b->loadModel(w, DType::Float32);
        Batch tooLong = makeBatch(BatchSpec{1, 161, 0.0, 1, 101, 1});
        // A bad batch is the caller's input (validateBatch): InputError, not a backend failure.
        QVERIFY_THROWS_EXCEPTION(InputError, b->prepare(Task::Encoder, tooLong));
        Batch badId = makeBatch(BatchSpec{1, 8, 0.0, 1, 101, 1});
        badId.inputIds[3] = 101;
        QVERIFY_THROWS_EXCEPTION(InputError, b->prepare(Task::Encoder, badId));
        QVERIFY_THROWS_EXCEPTION(BackendError, b->forward());
        auto fresh = makeBackend("cpu:sdpa");   // no model loaded: that is the backend's state
        QVERIFY_THROWS_EXCEPTION(BackendError, fresh->prepare(Task::Encoder, badId));
    }

    void memoryAccounting() {
        const BertWeights w = randomWeights(presetConfig("tiny"), 1);
        const Batch batch = makeBatch(BatchSpec{2, 512, 0.0, 5, w.config.vocabSize, 3});
        std::vector<int64_t> peaks;
        for (const std::string& name : kBackends) {
            auto b = makeBackend(name);
            b->loadModel(w, DType::Float32);
            QCOMPARE(b->peakMemoryBytes(), w.parameterBytes());   // weights only
            b->prepare(Task::Encoder, batch);
            b->resetPeakMemory();
            b->forward();
            peaks.push_back(b->peakMemoryBytes());
            b->releaseCell();
            QVERIFY(b->peakMemoryBytes() > w.parameterBytes());
            b->resetPeakMemory();
            QCOMPARE(b->peakMemoryBytes(), w.parameterBytes());   // peak = current after reset
        }
        // eager holds B·heads·S·S scores: 2·2·512·512 floats = 4 MB more than the others.
        QVERIFY2(peaks[0] > peaks[1] + 4'000'000, qPrintable(QString("%1 vs %2").arg(peaks[0]).arg(peaks[1])));
        QVERIFY(peaks[0] > peaks[2]);
    }

    void flashMemoryShrinksWithPadding() {
        const BertWeights w = randomWeights(presetConfig("tiny"), 1);
        auto flash = makeBackend("cpu:flash_attention_2");
        auto sdpa = makeBackend("cpu:sdpa");
        flash->loadModel(w, DType::Float32);
        sdpa->loadModel(w, DType::Float32);
        auto peakAt = [&](Backend& b, double pad) {
            const Batch batch = makeBatch(BatchSpec{8, 256, pad, 5, w.config.vocabSize, 4});
            b.prepare(Task::Encoder, batch);
            b.resetPeakMemory();
            b.forward();
            const int64_t peak = b.peakMemoryBytes();
            b.releaseCell();
            return peak - w.parameterBytes();
        };
        const int64_t flash0 = peakAt(*flash, 0.0), flash75 = peakAt(*flash, 0.75);
        const int64_t sdpa0 = peakAt(*sdpa, 0.0), sdpa75 = peakAt(*sdpa, 0.75);
        QVERIFY2(flash75 < flash0 * 6 / 10, qPrintable(QString("%1 vs %2").arg(flash75).arg(flash0)));
        QCOMPARE(sdpa75, sdpa0);   // the padded strategies pay for padding
    }

    void memoryLimitThrows() {
        const BertWeights w = randomWeights(presetConfig("tiny"), 1);
        const Batch batch = makeBatch(BatchSpec{4, 256, 0.0, 5, w.config.vocabSize, 4});
        auto b = makeBackend("cpu:eager");
        b->setMemoryLimitBytes(w.parameterBytes() / 2);
        QVERIFY_THROWS_EXCEPTION(OutOfMemoryError, b->loadModel(w, DType::Float32));
        b->setMemoryLimitBytes(w.parameterBytes() + 1'000'000);
        b->loadModel(w, DType::Float32);
        try {
            b->prepare(Task::Encoder, batch);
            QFAIL("no OutOfMemoryError");
        } catch (const OutOfMemoryError& e) {
            QVERIFY2(std::string(e.what()).find("limit") != std::string::npos, e.what());
        }
        QCOMPARE(b->peakMemoryBytes() >= w.parameterBytes(), true);
        b->resetPeakMemory();
        QCOMPARE(b->peakMemoryBytes(), w.parameterBytes());   // the failed prepare left nothing behind
        b->setMemoryLimitBytes(0);
        b->prepare(Task::Encoder, batch);
        QVERIFY(b->forward() > 0.0);
    }
};

QTEST_GUILESS_MAIN(TestCpuBackends)
#include "test_cpu_backends.moc"

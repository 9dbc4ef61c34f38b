// The per-op breakdown's names and arithmetic: the op categories, the exclusive attribution of
// nested scopes (synthetic and steady-clock ones), FLOP counts against a hand count for the tiny
// model, the efficiency figures, and the structure of the CPU backends' breakdown.
#include <QtTest>

#include <cmath>
#include <set>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackend.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/profile/Efficiency.h"
#include "core/profile/Flops.h"
#include "core/profile/OpCategory.h"
#include "core/profile/ScopeTimer.h"
#include "core/util/Errors.h"

using namespace bertbench;

class TestOpProfile : public QObject {
    Q_OBJECT

private slots:
    void categoriesHaveStableNames() {
        const std::vector<std::string> expected{"embeddings",  "qkv_gemm",    "attention", "attention_local",
                                                "attn_out_ln", "ffn_up_gelu", "ffn_down_ln", "padding", "head"};
        QCOMPARE(allOpCategories().size(), expected.size());
        std::set<std::string> labels;
        for (size_t i = 0; i < expected.size(); ++i) {
            const OpCategory c = allOpCategories()[i];
            QCOMPARE(categoryName(c), expected[i]);
            QCOMPARE(int(*parseOpCategory(expected[i])), int(c));
            QVERIFY(!categoryLabel(c).empty());
            QVERIFY(!categoryShortLabel(c).empty());
            labels.insert(categoryLabel(c));
        }
        QCOMPARE(labels.size(), expected.size());   // no two categories look alike on screen
        QCOMPARE(categoryLabel(OpCategory::QkvGemm), std::string("QKV GEMM"));
        QCOMPARE(categoryLabel(OpCategory::AttnOutLayerNorm), std::string("attention-output GEMM + residual + LayerNorm"));
        QVERIFY(!parseOpCategory("gemm"));
        QVERIFY(!parseOpCategory("Attention"));
    }

    void breakdownHelpers() {
        OpBreakdown b = emptyBreakdown();
        QCOMPARE(b.parts.size(), size_t(9));
        QVERIFY(addToBreakdown(b, "attention", 2.5));
        QVERIFY(addToBreakdown(b, "attention", 0.5));
        QVERIFY(!addToBreakdown(b, "softmax", 1.0));
        finishBreakdown(b, 4.0);
        QCOMPARE(b.msOf(OpCategory::Attention), 3.0);
        QCOMPARE(b.part(OpCategory::Attention)->calls, 2);
        QCOMPARE(b.sumMs, 3.0);
        QCOMPARE(b.otherMs(), 1.0);
        const OpBreakdown u = unavailableBreakdown("no profiler");
        QVERIFY(!u.measured());
        QCOMPARE(u.note, std::string("not available: no profiler"));
    }

    void nestedScopesAreCountedOnce() {
        // head (10 ms) holds padding (3 ms); attention (5 ms) holds the strategy's own scopes
        // "softmax" (2) and "attention-gemm" (2): they stay attention's. A stray top-level "gemm"
        // scope (not a category) is dropped.
        const std::vector<ScopeRecord> records{
            {"embeddings", 1.0, -1}, {"attention", 5.0, -1}, {"softmax", 2.0, 1},  {"attention-gemm", 2.0, 1},
            {"head", 10.0, -1},      {"padding", 3.0, 4},    {"gemm", 7.0, -1},
            {"attn_out_ln", 0.5, -1}, {"attn_out_ln", 0.25, -1},
        };
        const OpBreakdown b = breakdownFromScopes(records, 25.0);
        QCOMPARE(b.msOf(OpCategory::Embeddings), 1.0);
        QCOMPARE(b.msOf(OpCategory::Attention), 5.0);
        QCOMPARE(b.msOf(OpCategory::Head), 7.0);
        QCOMPARE(b.msOf(OpCategory::Padding), 3.0);
        QCOMPARE(b.msOf(OpCategory::AttnOutLayerNorm), 0.75);
        QCOMPARE(b.part(OpCategory::AttnOutLayerNorm)->calls, 2);
        QCOMPARE(b.part(OpCategory::QkvGemm)->calls, 0);
        QCOMPARE(b.sumMs, 16.75);
        QCOMPARE(b.forwardMs, 25.0);
        QCOMPARE(b.otherMs(), 8.25);
        // A known scope under an unknown one still counts apart from its known ancestor.
        const OpBreakdown c = breakdownFromScopes({{"head", 4.0, -1}, {"inner", 3.0, 0}, {"padding", 1.0, 1}}, 4.0);
        QCOMPARE(c.msOf(OpCategory::Head), 3.0);
        QCOMPARE(c.msOf(OpCategory::Padding), 1.0);
    }

    void flopsMatchAHandCountForTiny() {
        const ModelConfig tiny = presetConfig("tiny");
        // tiny: H = 128, 2 layers, 2 heads, I = 512, vocab 30522, 2 labels.
        QCOMPARE(tiny.hiddenSize, 128);
        QCOMPARE(tiny.numLayers, 2);
        QCOMPARE(tiny.intermediateSize, 512);
        QCOMPARE(tiny.vocabSize, 30522);
        QCOMPARE(tiny.numLabels, 2);
        const std::vector<int> lengths{3, 5};   // S = 8: 8 real tokens of 16 positions
        // Per token per layer: QKV 2·128·384 = 98304, attn out 2·128·128 = 32768,
        // FFN up 2·128·512 = 131072, FFN down 2·512·128 = 131072 → 393216.
        // Attention per layer: 4·H·Σ L² → real 4·128·(9 + 25) = 17408, padded 4·128·(64 + 64) = 65536.
        // Real:   2 · (8 · 393216 + 17408)  = 2 · 3163136 = 6326272.
        // Padded: 2 · (16 · 393216 + 65536) = 2 · 6356992 = 12713984.
        const FlopCount enc = forwardFlops(tiny, Task::Encoder, lengths, 8);
        QCOMPARE(enc.real, 6326272.0);
        QCOMPARE(enc.padded, 12713984.0);
        // Classification adds the pooler 2·2·128·128 = 65536 and the classifier 2·2·128·2 = 1024 on
        // B = 2 rows, the same for both counts.
        const FlopCount cls = forwardFlops(tiny, Task::Classification, lengths, 8);
        QCOMPARE(cls.real, 6326272.0 + 66560.0);
        QCOMPARE(cls.padded, 12713984.0 + 66560.0);
        // MLM adds per token the transform 2·128·128 = 32768 and the decoder 2·128·30522 = 7813632:
        // real 8 · 7846400 = 62771200, padded 16 · 7846400 = 125542400.
        const FlopCount mlm = forwardFlops(tiny, Task::Mlm, lengths, 8);
        QCOMPARE(mlm.real, 6326272.0 + 62771200.0);
        QCOMPARE(mlm.padded, 12713984.0 + 125542400.0);
        // Token classification 2·128·2 = 512 per token; QA 2·128·2 = 512 per token.
        QCOMPARE(forwardFlops(tiny, Task::TokenClassification, lengths, 8).real, 6326272.0 + 8 * 512.0);
        QCOMPARE(forwardFlops(tiny, Task::Qa, lengths, 8).padded, 12713984.0 + 16 * 512.0);
        // No padding: both counts agree.
        const FlopCount full = forwardFlops(tiny, Task::Encoder, {8, 8}, 8);
        QCOMPARE(full.real, full.padded);
    }

    void flopsRejectImpossibleLengths() {
        const ModelConfig tiny = presetConfig("tiny");
        QVERIFY_THROWS_EXCEPTION(InputError, forwardFlops(tiny, Task::Encoder, {9}, 8));
        QVERIFY_THROWS_EXCEPTION(InputError, forwardFlops(tiny, Task::Encoder, {0}, 8));
        QVERIFY_THROWS_EXCEPTION(InputError, forwardFlops(tiny, Task::Encoder, {1}, 0));
    }

    void efficiencyArithmetic() {
        // 2e12 FLOPs in 4 ms = 500 TFLOP/s; 1000 tokens in 4 ms = 250000 tokens/s; 50% of 1000.
        const Efficiency e = makeEfficiency(2e12, 3e12, 4.0, 1000, 1000.0, "");
        QVERIFY(e.recorded);
        QCOMPARE(e.achievedTflops, 500.0);
        QCOMPARE(e.tokensPerS, 250000.0);
        QCOMPARE(e.pctOfPeak, 50.0);
        QVERIFY(e.note.empty());
        const Efficiency cpu = makeEfficiency(2e12, 3e12, 4.0, 1000, -1, "not available: no GEMM probe on the CPU");
        QCOMPARE(cpu.pctOfPeak, -1.0);
        QCOMPARE(cpu.achievedTflops, 500.0);
        QCOMPARE(cpu.note, std::string("not available: no GEMM probe on the CPU"));
        const Efficiency none = makeEfficiency(1, 1, 0.0, 10, 100, "");
        QCOMPARE(none.achievedTflops, -1.0);
        QVERIFY(!none.note.empty());
    }

    void scopeTimerRecordsNestingAndNonNegativeTimes() {
        // The steady clock only runs forward, so an inner scope never outlasts its outer one.
        ScopeTimer timer;
        {
            TimedScope head(&timer, "head");
            { TimedScope inner(&timer, "inner"); { TimedScope padding(&timer, "padding"); } }
        }
        { TimedScope attention(&timer, "attention"); }
        timer.end();   // an end without a begin is ignored
        const std::vector<ScopeRecord>& r = timer.records();
        QCOMPARE(r.size(), size_t(4));
        QCOMPARE(r[0].category, std::string("head"));
        QCOMPARE(r[0].parent, -1);
        QCOMPARE(r[1].parent, 0);
        QCOMPARE(r[2].parent, 1);
        QCOMPARE(r[3].parent, -1);
        for (const ScopeRecord& rec : r) QVERIFY(rec.ms >= 0);
        QVERIFY(r[2].ms <= r[1].ms && r[1].ms <= r[0].ms);
        // Exclusive attribution: the parts add up to the top-level known scopes, each part once.
        const OpBreakdown b = breakdownFromScopes(r, 0.0);
        QCOMPARE(b.msOf(OpCategory::Padding), r[2].ms);
        QCOMPARE(b.msOf(OpCategory::Head), r[0].ms - r[2].ms);
        QCOMPARE(b.msOf(OpCategory::Attention), r[3].ms);
        QVERIFY(qFuzzyCompare(1.0 + b.sumMs, 1.0 + r[0].ms + r[3].ms));
        timer.clear();
        QVERIFY(timer.records().empty());
    }

    void cpuBreakdownHasEveryCategoryWithItsCalls() {
        // Structure and arithmetic only: which categories the reference backend times and how
        // often. Time ratios are left out on purpose, since a loaded machine stretches them.
        const BertWeights w = randomWeights(presetConfig("tiny"), 1);
        const int layers = w.config.numLayers;
        for (auto kind : {cpu::AttentionKind::Eager, cpu::AttentionKind::Flash}) {
            cpu::CpuBackend backend(kind);
            backend.loadModel(w, DType::Float32);
            BatchSpec bs;
            bs.batchSize = 4;
            bs.maxSeqLen = 32;
            bs.padFraction = 0.5;
            bs.vocabSize = w.config.vocabSize;
            backend.prepare(Task::Encoder, makeBatch(bs));
            const std::optional<OpBreakdown> b = backend.profileForward();
            QVERIFY(b && b->measured());
            QCOMPARE(b->parts.size(), allOpCategories().size());
            double sum = 0;
            for (size_t i = 0; i < b->parts.size(); ++i) {
                QCOMPARE(b->parts[i].category, categoryName(allOpCategories()[i]));
                QVERIFY2(b->parts[i].ms >= 0, b->parts[i].category.c_str());
                sum += b->parts[i].ms;
            }
            QCOMPARE(b->sumMs, sum);
            QCOMPARE(b->forwardMs, 0.0);   // the runner sets the timed median, not the backend
            QCOMPARE(b->part(OpCategory::Embeddings)->calls, 1);
            for (OpCategory perLayer : {OpCategory::QkvGemm, OpCategory::Attention, OpCategory::AttnOutLayerNorm,
                                        OpCategory::FfnUpGelu, OpCategory::FfnDownLayerNorm})
                QCOMPARE(b->part(perLayer)->calls, layers);
            QCOMPARE(b->part(OpCategory::Head)->calls, 1);
            // Only the packed (flash) path moves rows back to the padded layout.
            QCOMPARE(b->part(OpCategory::Padding)->calls, kind == cpu::AttentionKind::Flash ? 1 : 0);
            backend.releaseCell();
        }
    }
};

QTEST_GUILESS_MAIN(TestOpProfile)
#include "test_op_profile.moc"

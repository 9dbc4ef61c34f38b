// `verify`'s model checks on the small model: every registered CUDA backend, every task and
// dtype, batch 1 and larger, odd lengths, pad 0 and 0.75, against cpu:eager fp32; plain and as
// CUDA-graph replays; the packed (padding-free) encoder around eager attention; a small ModernBERT
// (sliding window, RoPE, GeGLU, pre-norm, both poolings) on every backend. Skips
// without a GPU.
#include <cmath>

#include <QtTest>

#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/CudaTestSupport.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/verify/ModelVerify.h"

using namespace bertbench;

namespace {

void requireAllPass(const std::vector<cuda::VerifyRow>& rows) {
    QVERIFY(!rows.empty());
    for (const auto& s : cuda::summarizeVerify(rows)) {
        const QString what = QStringLiteral("%1 %2 %3: rel L2 %4 (tolerance %5), worst case %6 %7")
                                 .arg(QString::fromStdString(toString(s.task)), QString::fromStdString(s.backend),
                                      QString::fromStdString(toString(s.dtype)))
                                 .arg(s.relL2)
                                 .arg(s.tolerance)
                                 .arg(QString::fromStdString(s.worstCase), QString::fromStdString(s.failure));
        QVERIFY2(s.pass, qPrintable(what));
    }
}

cuda::VerifyOptions smallOptions(const BackendRegistry& registry) {
    cuda::VerifyOptions o;
    o.tasks = allTasks();
    o.dtypes = {DType::Float32, DType::Float16, DType::BFloat16};
    for (const auto& info : registry.all())
        if (info.device == "cuda") o.backends.push_back(info.name);
    o.cases = cuda::parseVerifyCases("1x64,3x77,4x128@0.75,2x512@0.5");
    o.seed = uint64_t(QDateTime::currentMSecsSinceEpoch() % 100000);
    return o;
}

} // namespace

class VerifyTest : public QObject {
    Q_OBJECT
private slots:
    // No GPU needed: the reference-RMS floor of verify's relative error.
    void smallReferencesAreJudgedAgainstTheFloor() {
        // Seed 15's two bert-base logits: RMS 0.086, an error of rel 5.68e-3 of that.
        const double squares = 0.0149268, rel = 5.68e-3;
        const double floored = cuda::flooredRelL2(rel, squares, 2);
        QCOMPARE(floored, rel * std::sqrt(squares) / (cuda::kReferenceRmsFloor * std::sqrt(2.0)));
        QVERIFY(floored < rel);
        // At or above the floor the plain relative error stands.
        QCOMPARE(cuda::flooredRelL2(2e-3, 1.0 * 16, 16), 2e-3);
        QCOMPARE(cuda::flooredRelL2(2e-3, 0.0625 * 16, 16), 2e-3);
        // A zero reference: compareOutputs reports ‖d‖ itself, which the floor turns relative.
        QCOMPARE(cuda::flooredRelL2(0.5, 0.0, 4), 0.5 / (cuda::kReferenceRmsFloor * 2.0));
        // NaN and infinity are never made to pass.
        QVERIFY(std::isnan(cuda::flooredRelL2(NAN, 0.01, 2)));
        QVERIFY(std::isinf(cuda::flooredRelL2(INFINITY, 0.01, 2)));
        // A real error stays far past any tolerance: logits of the right size but wrong sign.
        QVERIFY(cuda::flooredRelL2(2.0, 0.01, 2) > 0.5);
    }

    void everyCudaBackendMatchesTheCpuReference() {
        BB_REQUIRE_GPU();
        const BackendRegistry registry = testing::cpuAndCudaRegistry();
        const auto options = smallOptions(registry);
        const BertWeights weights = randomWeights(presetConfig("tiny"), options.seed);
        requireAllPass(cuda::verifyBackends(weights, registry, options));
    }

    void cudaGraphReplaysMatchToo() {
        BB_REQUIRE_GPU();
        const BackendRegistry registry = testing::cpuAndCudaRegistry();
        auto options = smallOptions(registry);
        options.cudaGraphs = true;
        options.cases = cuda::parseVerifyCases("1x64,3x77@0.75");
        const BertWeights weights = randomWeights(presetConfig("tiny"), options.seed + 1);
        requireAllPass(cuda::verifyBackends(weights, registry, options));
    }

    // A small ModernBERT (head dim 64, a global layer between local ones, a ±64 window) on rows
    // longer than several key tiles plus the window, so tiles are skipped and partial ones masked,
    // and on rows shorter than the window; biases on (norm, attention, MLP) and mean pooling.
    void modernBertMatchesTheCpuReference() {
        BB_REQUIRE_GPU();
        const BackendRegistry registry = testing::cpuAndCudaRegistry();
        auto options = smallOptions(registry);
        options.cases = cuda::parseVerifyCases("1x64,3x300@0.5,2x700");
        for (bool biases : {false, true}) {
            ModelConfig c = parseHfConfig(
                std::string(R"({"model_type": "modernbert", "vocab_size": 1000, "hidden_size": 128,
                    "intermediate_size": 192, "num_hidden_layers": 3, "num_attention_heads": 2,
                    "max_position_embeddings": 1024, "local_attention": 128,
                    "layer_types": ["sliding_attention", "full_attention", "sliding_attention"],
                    "classifier_pooling": )") +
                    (biases ? R"("mean", "norm_bias": true, "attention_bias": true, "mlp_bias": true, "classifier_bias": true})"
                            : R"("cls"})"),
                "test");
            const BertWeights weights = randomWeights(c, options.seed + (biases ? 3 : 4));
            requireAllPass(cuda::verifyBackends(weights, registry, options));
        }
    }

    void packedEncoderMatches() {
        BB_REQUIRE_GPU();
        BackendRegistry registry;
        registerCpuBackends(registry);
        BackendInfo packed;
        packed.name = "cuda:eager-packed";
        packed.device = "cuda";
        packed.attention = "eager";
        packed.dtypes = {DType::Float32, DType::Float16, DType::BFloat16};
        packed.create = [] {
            return std::make_unique<cuda::CudaBertBackend>(std::make_unique<cuda::EagerAttention>(true), 0,
                                                           cuda::KernelOptions{});
        };
        registry.add(packed);
        auto options = smallOptions(registry);
        const BertWeights weights = randomWeights(presetConfig("tiny"), options.seed + 2);
        requireAllPass(cuda::verifyBackends(weights, registry, options));
    }
};

QTEST_GUILESS_MAIN(VerifyTest)
#include "test_verify.moc"

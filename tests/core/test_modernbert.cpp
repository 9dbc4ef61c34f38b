// ModernBERT on the CPU reference, beyond what test_model_family checks on HF's outputs: both
// config.json forms (the original fields and transformers 5's layer_types / rope_parameters) read
// to the same model, the refusals name their field, the presets have the released shapes, the
// committed fixture really exercises the window and both RoPE bases, and the three attention
// strategies agree on long sequences where the window spans several key blocks.
#include <QtTest>

#include <QTemporaryDir>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/ErrorOf.h"
#include "core/batch/Batch.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/HfReference.h"
#include "core/profile/Flops.h"
#include "core/sweep/SweepRunner.h"
#include "core/sweep/SweepSpec.h"
#include "core/util/Errors.h"

using namespace bertbench;
using nlohmann::json;

namespace {

const std::string kModernBert = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-family/modernbert/";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

json fixtureConfig(const std::string& task = "encoder") {
    std::ifstream in(kModernBert + task + "/config.json");
    return json::parse(in);
}

// The fixture's config as transformers 4 wrote ModernBERT's: no layer_types, no rope_parameters.
json originalForm(json j) {
    j.erase("layer_types");
    j.erase("rope_parameters");
    j["global_rope_theta"] = 160000.0;
    j["local_rope_theta"] = 10000.0;
    return j;
}

std::string configErrorOf(const json& j) {
    return testing::errorOf<ConfigError>([&] { parseHfConfig(j.dump(), "modernbert/config.json"); });
}

// answerdotai/ModernBERT-base's config.json (transformers 4.47), the original form.
const char* kModernBertBase = R"({
  "architectures": ["ModernBertForMaskedLM"], "attention_bias": false, "attention_dropout": 0.0,
  "bos_token_id": 50281, "classifier_activation": "gelu", "classifier_bias": false,
  "classifier_dropout": 0.0, "classifier_pooling": "mean", "cls_token_id": 50281, "decoder_bias": true,
  "deterministic_flash_attn": false, "embedding_dropout": 0.0, "eos_token_id": 50282,
  "global_attn_every_n_layers": 3, "global_rope_theta": 160000.0, "gradient_checkpointing": false,
  "hidden_activation": "gelu", "hidden_size": 768, "initializer_cutoff_factor": 2.0,
  "initializer_range": 0.02, "intermediate_size": 1152, "layer_norm_eps": 1e-05, "local_attention": 128,
  "local_rope_theta": 10000.0, "max_position_embeddings": 8192, "mlp_bias": false, "mlp_dropout": 0.0,
  "model_type": "modernbert", "norm_bias": false, "norm_eps": 1e-05, "num_attention_heads": 12,
  "num_hidden_layers": 22, "pad_token_id": 50283, "position_embedding_type": "absolute",
  "sep_token_id": 50282, "tie_word_embeddings": true, "torch_dtype": "float32",
  "transformers_version": "4.47.0.dev0", "vocab_size": 50368
})";

TaskOutput runBackend(const std::string& name, const BertWeights& w, Task task, const Batch& batch) {
    BackendRegistry registry;
    registerCpuBackends(registry);
    std::unique_ptr<Backend> backend = registry.find(name)->create();
    backend->loadModel(w, DType::Float32);
    backend->prepare(task, batch);
    backend->forward();
    return backend->output();
}

// The encoder fixture with HF's reference: rel L2 of cpu:`name` against HF's last_hidden_state.
double relL2AgainstHf(const BertWeights& w, const std::string& name) {
    const HfReference ref = loadHfReference(kModernBert + "encoder/reference.safetensors");
    const TaskOutput got = runBackend(name, w, Task::Encoder, ref.batch);
    return compareOutputs(got, expectedOutput(ref, Task::Encoder), ref.batch).relL2;
}

// A small ModernBERT with every bias and a 64-token window (±32) that spans several of the
// streaming strategies' key blocks; weights widened so that attention is far from uniform.
ModelConfig smallModernBert() {
    ModelConfig c = presetConfig("modernbert-base");
    c.name = "modernbert-small";
    c.vocabSize = 97;
    c.padTokenId = 0;
    c.hiddenSize = 64;
    c.numHeads = 2;
    c.numLayers = 3;
    c.intermediateSize = 80;
    c.numLabels = 3;
    c.modernBert.globalLayers = {true, false, false};
    c.modernBert.localAttention = 64;
    c.modernBert.normBias = c.modernBert.attentionBias = c.modernBert.mlpBias = c.modernBert.classifierBias = true;
    return c;
}

BertWeights sharpModernBert(const ModelConfig& c, uint64_t seed) {
    BertWeights w = randomWeights(c, seed);
    uint64_t state = seed * 2654435761u + 1;
    auto uniform = [&] {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return float(double(state >> 11) * 0x1.0p-53 - 0.5);
    };
    auto scale = [](Tensor& t, float f) {
        for (float& x : t.data) x *= f;
    };
    auto jitter = [&](Tensor& t, float base, float amount) {
        for (float& x : t.data) x = base + amount * uniform();
    };
    for (ModernBertLayerWeights& l : w.modernBert.layers) {
        scale(l.qkvW, 8.0f);
        scale(l.wiW, 4.0f);
        for (Tensor* b : {&l.qkvB, &l.attnOutB, &l.wiB, &l.mlpOutB, &l.attnNormBeta, &l.mlpNormBeta}) jitter(*b, 0.0f, 0.2f);
        for (Tensor* g : {&l.attnNormGamma, &l.mlpNormGamma}) jitter(*g, 1.0f, 0.2f);
    }
    jitter(w.modernBert.headDenseB, 0.0f, 0.2f);
    jitter(w.mlmDecoderB, 0.0f, 0.2f);
    return w;
}

} // namespace

class TestModernBert : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setCpuThreads(2); }

    // transformers 5's form (the committed fixtures) and the original form read alike.
    void bothConfigFormsReadAlike() {
        const json v5 = fixtureConfig();
        QVERIFY(v5.contains("layer_types") && v5.contains("rope_parameters") && !v5.contains("global_rope_theta"));
        const ModelConfig a = parseHfConfig(v5.dump(), "v5/config.json");
        const ModelConfig b = parseHfConfig(originalForm(v5).dump(), "v4/config.json");
        for (const ModelConfig* c : {&a, &b}) {
            QCOMPARE(c->modelType, std::string("modernbert"));
            QCOMPARE(c->numLayers, 4);
            QCOMPARE(c->modernBert.globalLayers, (std::vector<bool>{true, false, false, true}));
            QCOMPARE(c->modernBert.localAttention, 4);
            QCOMPARE(c->modernBert.halfWindow(), 2);
            QCOMPARE(c->modernBert.globalRopeTheta, 160000.0);
            QCOMPARE(c->modernBert.localRopeTheta, 10000.0);
            QCOMPARE(c->modernBert.classifierPooling, std::string("mean"));
            QVERIFY(!c->modernBert.normBias && !c->modernBert.attentionBias && !c->modernBert.mlpBias);
            QVERIFY(c->modernBert.decoderBias && !c->modernBert.classifierBias);
            QCOMPARE(c->layerNormEps, 1e-5);
            QCOMPARE(c->typeVocabSize, 0);
            QVERIFY(!c->hasTokenTypes());
            QCOMPARE(c->maxSequenceLength(), 64);
        }
        // rope_parameters wins over the legacy thetas, as in HF; layer_types over the period.
        json mixed = v5;
        mixed["global_rope_theta"] = 5.0e5;
        mixed["rope_parameters"]["sliding_attention"]["rope_theta"] = 2.0e4;
        mixed["global_attn_every_n_layers"] = 2;
        const ModelConfig m = parseHfConfig(mixed.dump(), "mixed/config.json");
        QCOMPARE(m.modernBert.globalRopeTheta, 160000.0);
        QCOMPARE(m.modernBert.localRopeTheta, 20000.0);
        QCOMPARE(m.modernBert.globalLayers, (std::vector<bool>{true, false, false, true}));
        // A rope_parameters entry without rope_theta takes the legacy field, then the default.
        json partial = v5;
        partial["rope_parameters"]["full_attention"].erase("rope_theta");
        partial["global_rope_theta"] = 3.0e5;
        QCOMPARE(parseHfConfig(partial.dump(), "p.json").modernBert.globalRopeTheta, 3.0e5);
    }

    // ModernBERT-base's own config.json is the modernbert-base preset.
    void releasedConfigIsThePreset() {
        const ModelConfig c = parseHfConfig(kModernBertBase, "ModernBERT-base/config.json");
        const ModelConfig p = presetConfig("modernbert-base");
        QCOMPARE(c.vocabSize, p.vocabSize);
        QCOMPARE(c.hiddenSize, p.hiddenSize);
        QCOMPARE(c.numLayers, p.numLayers);
        QCOMPARE(c.numHeads, p.numHeads);
        QCOMPARE(c.intermediateSize, p.intermediateSize);
        QCOMPARE(c.maxPositions, p.maxPositions);
        QCOMPARE(c.padTokenId, p.padTokenId);
        QCOMPARE(c.layerNormEps, p.layerNormEps);
        QCOMPARE(c.classifierActivation, p.classifierActivation);
        QCOMPARE(c.modernBert.globalLayers, p.modernBert.globalLayers);
        QCOMPARE(c.modernBert.localAttention, p.modernBert.localAttention);
        QCOMPARE(c.modernBert.globalRopeTheta, p.modernBert.globalRopeTheta);
        QCOMPARE(c.modernBert.localRopeTheta, p.modernBert.localRopeTheta);
        QCOMPARE(c.modernBert.classifierPooling, p.modernBert.classifierPooling);
        QCOMPARE(c.modernBert.decoderBias, p.modernBert.decoderBias);
        QCOMPARE(c.maxSequenceLength(), 8192);
    }

    void presetsAtReleasedShapes() {
        const ModelConfig base = presetConfig("modernbert-base");
        QCOMPARE(base.modelType, std::string("modernbert"));
        QCOMPARE(base.vocabSize, 50368);
        QCOMPARE(base.numLayers, 22);
        QCOMPARE(base.hiddenSize, 768);
        QCOMPARE(base.numHeads, 12);
        QCOMPARE(base.intermediateSize, 1152);
        QCOMPARE(base.maxSequenceLength(), 8192);
        QCOMPARE(base.modernBert.localAttention, 128);
        QCOMPARE(base.modernBert.globalRopeTheta, 160000.0);
        QCOMPARE(base.modernBert.localRopeTheta, 10000.0);
        for (int i = 0; i < base.numLayers; ++i) QCOMPARE(bool(base.modernBert.globalLayers[size_t(i)]), i % 3 == 0);
        const ModelConfig large = presetConfig("modernbert-large");
        QCOMPARE(large.numLayers, 28);
        QCOMPARE(large.hiddenSize, 1024);
        QCOMPARE(large.numHeads, 16);
        QCOMPARE(large.intermediateSize, 2624);
        QCOMPARE(large.modernBert.globalLayers.size(), size_t(28));
        large.validate();
        // BERT's table still ends at 512.
        QCOMPARE(presetConfig("bert-base").maxSequenceLength(), 512);

        // Random weights at ModernBERT's shapes (fewer layers and a small vocabulary: the shapes
        // of a layer and the heads are the preset's): no position or type tables, no biases but
        // the decoder's and the classifiers', layer 0 without attn_norm; 149M parameters at full size.
        ModelConfig small = base;
        small.numLayers = 2;
        small.modernBert.globalLayers = {true, false};
        small.vocabSize = 64;
        small.padTokenId = 0;
        const BertWeights w = randomWeights(small, 5);
        QVERIFY(w.posEmb.empty() && w.typeEmb.empty() && w.layers.empty() && w.embLnBeta.empty());
        QCOMPARE(w.modernBert.layers.size(), size_t(2));
        const ModernBertLayerWeights& l0 = w.modernBert.layers[0];
        QVERIFY(l0.attnNormGamma.empty());
        QCOMPARE(w.modernBert.layers[1].attnNormGamma.shape, (std::vector<int64_t>{768}));
        QCOMPARE(l0.qkvW.shape, (std::vector<int64_t>{3 * 768, 768}));
        QCOMPARE(l0.wiW.shape, (std::vector<int64_t>{2 * 1152, 768}));
        QCOMPARE(l0.mlpOutW.shape, (std::vector<int64_t>{768, 1152}));
        QVERIFY(l0.qkvB.empty() && l0.attnOutB.empty() && l0.wiB.empty() && l0.mlpOutB.empty());
        QVERIFY(w.modernBert.headDenseB.empty() && w.modernBert.hasDecoder);
        QCOMPARE(w.mlmDecoderB.shape, (std::vector<int64_t>{64}));
        const int64_t perLayer = 4 * 768 * 768 + 3 * 1152 * 768 + 2 * 768;
        const int64_t fullSize = 50368LL * 768 + 22 * perLayer - 768;   // layer 0 has no attn_norm
        QVERIFY2(fullSize > 149'000'000 && fullSize < 150'000'000, std::to_string(fullSize).c_str());
    }

    // The sweep's sequence axis reaches the model's maximum: 8,192 for ModernBERT, 512 for BERT.
    void sequenceAxisReachesTheModelsMaximum() {
        SweepSpec spec;
        spec.seqLens = {1024, 2048, 4096, 8192};
        const int modern = presetConfig("modernbert-base").maxSequenceLength();
        QVERIFY(validateSpec(spec, modern, {}).empty());
        spec.seqLens = {8193};
        std::vector<SpecProblem> problems = validateSpec(spec, modern, {});
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY2(contains(problems[0].message, "sequence length 8193 is out of range 1..8192 (the model's "
                                               "max_position_embeddings)"),
                 problems[0].message.c_str());
        spec.seqLens = {1024};
        problems = validateSpec(spec, presetConfig("bert-base").maxSequenceLength(), {});
        QCOMPARE(problems.size(), size_t(1));
        QVERIFY2(contains(problems[0].message, "out of range 1..512"), problems[0].message.c_str());
        // A batch longer than the model is refused by every backend's prepare, with the reason.
        ModelConfig c = smallModernBert();
        c.maxPositions = 256;
        const BertWeights w = randomWeights(c, 1);
        const Batch tooLong = makeBatch(BatchSpec{1, 257, 0.0, 1, c.vocabSize, 1});
        const std::string msg = testing::errorOf<InputError>([&] { runBackend("cpu:flash_attention_2", w, Task::Encoder, tooLong); });
        QVERIFY2(contains(msg, "longer than the model's 256 positions"), msg.c_str());
    }

    void refusesWhatTheKernelsCannotHonour_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("expect");
        QTest::newRow("rope_type") << R"({"rope_parameters": {"full_attention": {"rope_type": "linear", "factor": 2.0}}})"
                                   << "rope_parameters.full_attention.rope_type \"linear\" is not supported";
        QTest::newRow("rope_type local") << R"({"rope_parameters": {"sliding_attention": {"rope_type": "yarn"}}})"
                                         << "rope_parameters.sliding_attention.rope_type";
        QTest::newRow("rope_scaling") << R"({"rope_scaling": {"type": "dynamic", "factor": 2.0}})"
                                      << "rope_scaling.type \"dynamic\" is not supported";
        QTest::newRow("hidden_activation") << R"({"hidden_activation": "silu"})" << "hidden_activation 'silu'";
        QTest::newRow("gelu tanh") << R"({"hidden_activation": "gelu_pytorch_tanh"})" << "hidden_activation 'gelu_pytorch_tanh'";
        QTest::newRow("classifier_activation") << R"({"classifier_activation": "silu"})" << "classifier_activation 'silu'";
        QTest::newRow("pooling") << R"({"classifier_pooling": "max"})" << "classifier_pooling 'max'";
        QTest::newRow("layer_types length") << R"({"layer_types": ["full_attention", "sliding_attention"]})"
                                            << "layer_types lists 2 layers, num_hidden_layers is 4";
        QTest::newRow("layer_types value") << R"({"layer_types": ["full_attention", "chunked_attention", "x", "y"]})"
                                           << "layer_types[1] \"chunked_attention\"";
        QTest::newRow("window") << R"({"local_attention": 0})" << "local_attention 0 is out of range";
        QTest::newRow("theta") << R"({"rope_parameters": {"full_attention": {"rope_theta": -1.0}}})" << "rope_parameters.full_attention.rope_theta (global_rope_theta) -1 is out of range";
        QTest::newRow("odd head") << R"({"hidden_size": 30, "num_attention_heads": 2})" << "rotary embeddings need it even";
        QTest::newRow("bias type") << R"({"norm_bias": "no"})" << "norm_bias must be true or false";
        QTest::newRow("types") << R"({"layer_types": "full_attention"})" << "layer_types must be an array";
    }

    void refusesWhatTheKernelsCannotHonour() {
        QFETCH(QString, change);
        QFETCH(QString, expect);
        json j = fixtureConfig();
        j.merge_patch(json::parse(change.toStdString()));
        const std::string msg = configErrorOf(j);
        QVERIFY2(contains(msg, expect.toStdString()), msg.c_str());
        QVERIFY2(contains(msg, "modernbert/config.json"), msg.c_str());
    }

    // Each piece the fixture is meant to exercise changes HF's output when it is changed: the
    // window (rows of 13, 6 and 9 tokens against ±2), the local θ and the global θ.
    void fixtureExercisesWindowAndBothThetas() {
        const BertWeights w = loadHfCheckpoint(kModernBert + "encoder");
        QVERIFY2(relL2AgainstHf(w, "cpu:eager") < 1e-4, "the fixture as it is");
        struct Variant {
            const char* what;
            void (*apply)(ModelConfig&);
        };
        const Variant variants[] = {
            {"every layer global", [](ModelConfig& c) { c.modernBert.localAttention = 64; }},
            {"window ±1", [](ModelConfig& c) { c.modernBert.localAttention = 2; }},
            {"window ±3", [](ModelConfig& c) { c.modernBert.localAttention = 6; }},
            {"local θ 160000", [](ModelConfig& c) { c.modernBert.localRopeTheta = 160000.0; }},
            {"global θ 10000", [](ModelConfig& c) { c.modernBert.globalRopeTheta = 10000.0; }},
        };
        for (const Variant& v : variants) {
            BertWeights changed = w;
            v.apply(changed.config);
            for (const char* backend : {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"}) {
                const double e = relL2AgainstHf(changed, backend);
                QVERIFY2(e > 1e-3, (std::string(v.what) + " " + backend + ": rel L2 " + std::to_string(e)).c_str());
            }
        }
    }

    // The original-form config with the fixture's tensors reproduces HF just the same.
    void originalFormCheckpointReproducesHf() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        std::ofstream(folder + "/config.json") << originalForm(fixtureConfig("qa")).dump(2);
        std::filesystem::copy_file(kModernBert + "qa/model.safetensors", folder + "/model.safetensors");
        const BertWeights w = loadHfCheckpoint(folder);
        const HfReference ref = loadHfReference(kModernBert + "qa/reference.safetensors");
        const TaskOutput got = runBackend("cpu:flash_attention_2", w, Task::Qa, ref.batch);
        const OutputError e = compareOutputs(got, expectedOutput(ref, Task::Qa), ref.batch);
        QVERIFY2(e.relL2 < 1e-4, std::to_string(e.relL2).c_str());
    }

    // Which heads each fixture holds, and a config whose biases the file lacks.
    void checkpointHeads() {
        const BertWeights enc = loadHfCheckpoint(kModernBert + "encoder");
        QVERIFY(enc.modernBert.headDenseW.empty() && !enc.modernBert.hasDecoder);
        QVERIFY(enc.modernBert.layers[0].attnNormGamma.empty() && !enc.modernBert.layers[1].attnNormGamma.empty());
        const BertWeights mlm = loadHfCheckpoint(kModernBert + "mlm");
        QVERIFY(mlm.modernBert.hasDecoder && !mlm.mlmDecoderB.empty() && mlm.classifierW.empty());
        const BertWeights qa = loadHfCheckpoint(kModernBert + "qa");
        QVERIFY(!qa.qaW.empty() && qa.classifierW.empty() && qa.tokenClassifierW.empty() && !qa.modernBert.hasDecoder);
        const BertWeights tok = loadHfCheckpoint(kModernBert + "token_classification");
        QVERIFY(!tok.tokenClassifierW.empty() && tok.classifierW.empty());
        const BertWeights cls = loadHfCheckpoint(kModernBert + "classification");
        QVERIFY(!cls.classifierW.empty() && cls.qaW.empty());
        // A head the checkpoint lacks is refused by name, before anything runs.
        const HfReference ref = loadHfReference(kModernBert + "encoder/reference.safetensors");
        const std::string noHead = testing::errorOf<BackendError>([&] { runBackend("cpu:sdpa", enc, Task::Mlm, ref.batch); });
        QVERIFY2(contains(noHead, "has no mlm head"), noHead.c_str());

        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        json j = fixtureConfig();
        j["attention_bias"] = true;
        std::ofstream(folder + "/config.json") << j.dump(2);
        std::filesystem::copy_file(kModernBert + "encoder/model.safetensors", folder + "/model.safetensors");
        const std::string msg = testing::errorOf<FileFormatError>([&] { loadHfCheckpoint(folder); });
        QVERIFY2(contains(msg, "missing tensor 'model.layers.0.attn.Wqkv.bias', 'layers.0.attn.Wqkv.bias'"), msg.c_str());
    }

    // Sequences much longer than the window (±32 over up to 300 tokens, 64-key blocks, 128-query
    // blocks): eager's masked S×S scores, sdpa's and flash's skipped and partial key blocks agree
    // on every task, padding rows stay finite, and the weights' memory is the parameters'.
    void strategiesAgreeOnLongSequences_data() {
        QTest::addColumn<int>("task");
        for (Task t : {Task::Encoder, Task::Mlm, Task::Classification, Task::TokenClassification, Task::Qa})
            QTest::newRow(toString(t).c_str()) << int(t);
    }

    void strategiesAgreeOnLongSequences() {
        QFETCH(int, task);
        for (const char* pooling : {"cls", "mean"}) {
            ModelConfig c = smallModernBert();
            c.modernBert.classifierPooling = pooling;
            const BertWeights w = sharpModernBert(c, 11);
            BatchSpec spec{3, 300, 0.3, 90.0, c.vocabSize, 21};
            spec.padTokenId = c.padTokenId;
            const Batch batch = makeBatch(spec);
            QVERIFY(*std::max_element(batch.lengths.begin(), batch.lengths.end()) > 200);
            QVERIFY(*std::min_element(batch.lengths.begin(), batch.lengths.end()) < 200);
            const TaskOutput eager = runBackend("cpu:eager", w, Task(task), batch);
            for (float v : eager.values) QVERIFY(std::isfinite(v));
            if (Task(task) == Task::Encoder) {   // the window matters at these lengths
                BertWeights global = w;
                global.config.modernBert.localAttention = 1000;
                const double e = compareOutputs(runBackend("cpu:eager", global, Task(task), batch), eager, batch).relL2;
                QVERIFY2(e > 1e-2, std::to_string(e).c_str());
            }
            for (const char* name : {"cpu:sdpa", "cpu:flash_attention_2"}) {
                const TaskOutput got = runBackend(name, w, Task(task), batch);
                for (float v : got.values) QVERIFY2(std::isfinite(v), name);
                const OutputError e = compareOutputs(got, eager, batch);
                QVERIFY2(e.relL2 < 2e-5, (std::string(name) + " " + pooling + ": rel L2 " + std::to_string(e.relL2)).c_str());
            }
        }
    }

    // Model FLOPs: GeGLU's doubled Wi, the window's pairs in local layers, the prediction head.
    void flopsCountTheWindow() {
        const ModelConfig c = smallModernBert();   // H 64, I 80, layers global, local, local; ±32
        const std::vector<int> lengths{100, 10};
        auto pairs = [](int len, int window) {
            double n = 0;
            for (int i = 0; i < len; ++i)
                for (int j = 0; j < len; ++j) n += std::abs(i - j) <= window ? 1 : 0;
            return n;
        };
        const double gemmPerToken = 2.0 * 64 * 192 + 2.0 * 64 * 64 + 2.0 * 64 * 160 + 2.0 * 80 * 64;
        const double real = 3 * 110 * gemmPerToken + 4.0 * 64 * (pairs(100, 1000) + pairs(10, 1000)) +
                            2 * 4.0 * 64 * (pairs(100, 32) + pairs(10, 32));
        const double padded = 3 * 200 * gemmPerToken + 4.0 * 64 * 2 * pairs(100, 1000) + 2 * 4.0 * 64 * 2 * pairs(100, 32);
        const FlopCount enc = forwardFlops(c, Task::Encoder, lengths, 100);
        QCOMPARE(enc.real, real);
        QCOMPARE(enc.padded, padded);
        QCOMPARE(forwardFlops(c, Task::Qa, lengths, 100).real, real + 2.0 * 110 * 64 * 64 + 2.0 * 110 * 64 * 2);
        // Every layer global: the full square, as BERT's.
        ModelConfig global = c;
        global.modernBert.globalLayers = {true, true, true};
        QCOMPARE(forwardFlops(global, Task::Encoder, lengths, 100).real,
                 3 * 110 * gemmPerToken + 3 * 4.0 * 64 * (pairs(100, 1000) + pairs(10, 1000)));
    }

    void memoryIsTheParametersAfterLoading() {
        const ModelConfig c = smallModernBert();
        const BertWeights w = randomWeights(c, 3);
        BackendRegistry registry;
        registerCpuBackends(registry);
        std::unique_ptr<Backend> b = registry.find("cpu:sdpa")->create();
        b->loadModel(w, DType::Float32);
        QCOMPARE(b->peakMemoryBytes(), w.parameterBytes());
        // A BERT after a ModernBERT on the same backend: the first model's buffers are gone.
        const BertWeights bert = randomWeights(presetConfig("tiny"), 3);
        b->loadModel(bert, DType::Float32);
        b->resetPeakMemory();
        QCOMPARE(b->peakMemoryBytes(), bert.parameterBytes());
        const Batch batch = makeBatch(BatchSpec{2, 16, 0.0, 1, 100, 1});
        b->prepare(Task::Encoder, batch);
        b->forward();
    }
};

QTEST_GUILESS_MAIN(TestModernBert)
#include "test_modernbert.moc"

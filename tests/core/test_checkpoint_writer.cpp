// The safetensors writer and the HF checkpoint writer (what the torch:* worker loads): the reader in
// core/model reads back exactly what was written, and bad input is refused with a clear message.
#include <QtTest>

#include <QTemporaryDir>
#include <cmath>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/ErrorOf.h"
#include "core/model/BertWeights.h"
#include "core/model/HfCheckpointWriter.h"
#include "core/model/Safetensors.h"
#include "core/model/SafetensorsWriter.h"
#include "core/util/Errors.h"

using namespace bertbench;
using bertbench::testing::errorOf;

namespace {

ModelConfig smallConfig() {
    ModelConfig c;
    c.name = "small";
    c.vocabSize = 40;
    c.hiddenSize = 8;
    c.numHeads = 2;
    c.numLayers = 2;
    c.intermediateSize = 16;
    c.maxPositions = 24;
    c.numLabels = 3;
    return c;
}

// smallConfig() as one architecture of the family, with that architecture's own settings.
ModelConfig familyConfig(const std::string& type) {
    ModelConfig c = smallConfig();
    c.name = "small-" + type;
    c.modelType = type;
    if (type == "roberta" || type == "xlm-roberta" || type == "camembert") {
        c.typeVocabSize = 1;
        c.padTokenId = 1;
        c.positionOffset = 2;
        c.layerNormEps = 1e-5;
    } else if (type == "distilbert") {
        c.typeVocabSize = 0;
        c.classifierActivation = "relu";
    } else if (type == "electra") {
        c.embeddingSize = 16;   // != hidden 8: the projection and the generator head at E
        c.classifierActivation = "gelu";
    }
    return c;
}

Tensor tensorOf(std::vector<int64_t> shape, float start) {
    Tensor t(std::move(shape));
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = start + 0.25f * float(i);
    return t;
}

// Every tensor of the weights but the token classifier, with a label for failure messages.
std::vector<std::pair<std::string, const Tensor*>> allButTokenHead(const BertWeights& w) {
    std::vector<std::pair<std::string, const Tensor*>> out{
        {"wordEmb", &w.wordEmb}, {"posEmb", &w.posEmb}, {"typeEmb", &w.typeEmb},
        {"embLnGamma", &w.embLnGamma}, {"embLnBeta", &w.embLnBeta}, {"embProjW", &w.embProjW},
        {"embProjB", &w.embProjB},
        {"poolerW", &w.poolerW}, {"poolerB", &w.poolerB},
        {"mlmTransformW", &w.mlmTransformW}, {"mlmTransformB", &w.mlmTransformB},
        {"mlmLnGamma", &w.mlmLnGamma}, {"mlmLnBeta", &w.mlmLnBeta}, {"mlmDecoderB", &w.mlmDecoderB},
        {"classifierW", &w.classifierW}, {"classifierB", &w.classifierB}, {"qaW", &w.qaW}, {"qaB", &w.qaB}};
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        const std::string p = "layer" + std::to_string(i) + ".";
        for (const auto& [n, t] : std::vector<std::pair<const char*, const Tensor*>>{
                 {"queryW", &l.queryW}, {"queryB", &l.queryB}, {"keyW", &l.keyW}, {"keyB", &l.keyB},
                 {"valueW", &l.valueW}, {"valueB", &l.valueB}, {"attnOutW", &l.attnOutW},
                 {"attnOutB", &l.attnOutB}, {"attnLnGamma", &l.attnLnGamma}, {"attnLnBeta", &l.attnLnBeta},
                 {"interW", &l.interW}, {"interB", &l.interB}, {"outW", &l.outW}, {"outB", &l.outB},
                 {"outLnGamma", &l.outLnGamma}, {"outLnBeta", &l.outLnBeta}})
            out.emplace_back(p + n, t);
    }
    return out;
}

} // namespace

class TestCheckpointWriter : public QObject {
    Q_OBJECT
private slots:
    void safetensorsRoundTrip() {
        const Tensor a = tensorOf({2, 3}, -1.0f);
        Tensor b = tensorOf({5}, 100.0f);
        b.data[1] = std::numeric_limits<float>::infinity();
        b.data[2] = -0.0f;
        const Tensor empty = tensorOf({0, 4}, 0.0f);
        const std::vector<uint8_t> bytes =
            safetensorsBytes({{"a.weight", &a}, {"b", &b}, {"empty", &empty}}, {{"format", "pt"}});
        uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | bytes[size_t(i)];
        QCOMPARE((8 + headerLen) % 8, uint64_t(0));   // data section aligned, as HF's writer does
        QCOMPARE(bytes.size(), size_t(8 + headerLen + (6 + 5) * 4));

        const SafetensorsFile f = SafetensorsFile::fromBytes(bytes, "mem");
        QCOMPARE(f.entries().size(), size_t(3));   // __metadata__ is not a tensor
        QCOMPARE(f.entries().at("a.weight").dtype, std::string("F32"));
        QCOMPARE(f.tensor("a.weight").shape, a.shape);
        QCOMPARE(f.tensor("a.weight").data, a.data);
        const Tensor bb = f.tensor("b");
        QCOMPARE(bb.data[0], 100.0f);
        QVERIFY(std::isinf(bb.data[1]));
        QVERIFY(std::signbit(bb.data[2]));
        QCOMPARE(f.tensor("empty").shape, (std::vector<int64_t>{0, 4}));
        // Contiguous offsets in the order given (HF's loader rejects gaps).
        QCOMPARE(f.entries().at("a.weight").begin, uint64_t(0));
        QCOMPARE(f.entries().at("b").begin, uint64_t(24));
    }

    void safetensorsRefusesBadInput() {
        const Tensor a = tensorOf({2}, 0);
        Tensor wrong = tensorOf({2, 2}, 0);
        wrong.data.pop_back();
        QVERIFY(errorOf<InputError>([&] { safetensorsBytes({{"x", &a}, {"x", &a}}); }).find("'x' is given twice") !=
                std::string::npos);
        QVERIFY(errorOf<InputError>([&] { safetensorsBytes({{"", &a}}); }).find("empty name") != std::string::npos);
        QVERIFY(errorOf<InputError>([&] { safetensorsBytes({{"n", nullptr}}); }).find("'n' is null") !=
                std::string::npos);
        QVERIFY(errorOf<InputError>([&] { safetensorsBytes({{"w", &wrong}}); }).find("holds 3 values") !=
                std::string::npos);
        QVERIFY(errorOf<InputError>([&] { safetensorsBytes({{"__metadata__", &a}}); }).find("reserved") !=
                std::string::npos);
        QVERIFY(errorOf<InputError>([&] { writeSafetensors("/nonexistent-dir/x.safetensors", {{"a", &a}}); })
                    .find("/nonexistent-dir/x.safetensors") != std::string::npos);
    }

    void checkpointRoundTrip() {
        QTemporaryDir dir;
        const BertWeights w = randomWeights(smallConfig(), 11);
        const std::string folder = dir.path().toStdString() + "/ckpt";
        QVERIFY(writeHfCheckpoint(w, folder));

        const BertWeights r = loadHfCheckpoint(folder);
        QCOMPARE(r.config.vocabSize, 40);
        QCOMPARE(r.config.hiddenSize, 8);
        QCOMPARE(r.config.numLayers, 2);
        QCOMPARE(r.config.numHeads, 2);
        QCOMPARE(r.config.intermediateSize, 16);
        QCOMPARE(r.config.maxPositions, 24);
        QCOMPARE(r.config.numLabels, 3);
        QCOMPARE(r.config.layerNormEps, w.config.layerNormEps);
        QCOMPARE(r.config.padTokenId, w.config.padTokenId);
        const auto want = allButTokenHead(w), got = allButTokenHead(r);
        for (size_t i = 0; i < want.size(); ++i) {
            if (want[i].first.rfind("embProj", 0) == 0) continue;   // ELECTRA's only
            QVERIFY2(!want[i].second->empty(), want[i].first.c_str());
            QVERIFY2(got[i].second->shape == want[i].second->shape, want[i].first.c_str());
            QVERIFY2(got[i].second->data == want[i].second->data, want[i].first.c_str());
        }
        // classifier.* in model.safetensors is the sequence classifier; the token classifier has a file
        // of its own under the same names.
        QVERIFY(r.tokenClassifierW.empty());
        const SafetensorsFile token = SafetensorsFile::open(folder + "/" + kTokenClassifierFile);
        QCOMPARE(token.tensor("classifier.weight").data, w.tokenClassifierW.data);
        QCOMPARE(token.tensor("classifier.bias").data, w.tokenClassifierB.data);
        QVERIFY(token.tensor("classifier.weight").data != w.classifierW.data);
    }

    void checkpointNamesAreHfs() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        writeHfCheckpoint(randomWeights(smallConfig(), 2), folder);
        const SafetensorsFile f = SafetensorsFile::open(folder + "/model.safetensors");
        for (const char* name : {"bert.embeddings.word_embeddings.weight", "bert.embeddings.LayerNorm.weight",
                                 "bert.encoder.layer.1.attention.self.query.weight",
                                 "bert.encoder.layer.1.output.LayerNorm.bias", "bert.pooler.dense.weight",
                                 "cls.predictions.transform.dense.weight", "cls.predictions.bias",
                                 "classifier.weight", "qa_outputs.bias"})
            QVERIFY2(f.has(name), name);
        // The decoder weight is tied to the word embeddings: HF re-ties it, the file does not repeat it.
        QVERIFY(!f.has("cls.predictions.decoder.weight"));
        std::ifstream in(folder + "/config.json");
        const nlohmann::json config = nlohmann::json::parse(in);
        QCOMPARE(config["model_type"].get<std::string>(), std::string("bert"));
        QCOMPARE(config["hidden_act"].get<std::string>(), std::string("gelu"));
        QCOMPARE(config["id2label"].size(), size_t(3));
        QCOMPARE(config["num_hidden_layers"].get<int>(), 2);
    }

    // Each architecture of the family under its own names and config fields, read back by the
    // loader (the one the CPU backends use for HF's own checkpoints) to the same weights and config.
    void familyRoundTrip_data() {
        QTest::addColumn<QString>("type");
        for (const char* t : {"roberta", "xlm-roberta", "camembert", "distilbert", "electra"}) QTest::newRow(t) << t;
    }
    void familyRoundTrip() {
        QFETCH(QString, type);
        QTemporaryDir dir;
        const BertWeights w = randomWeights(familyConfig(type.toStdString()), 5);
        const std::string folder = dir.path().toStdString();
        QVERIFY(writeHfCheckpoint(w, folder));
        const BertWeights r = loadHfCheckpoint(folder);
        const ModelConfig &a = w.config, &b = r.config;
        QCOMPARE(b.modelType, a.modelType);
        QCOMPARE(b.positionOffset, a.positionOffset);
        QCOMPARE(b.typeVocabSize, a.typeVocabSize);
        QCOMPARE(b.embeddingSize, a.embeddingSize);
        QCOMPARE(b.classifierActivation, a.classifierActivation);
        QCOMPARE(b.padTokenId, a.padTokenId);
        QCOMPARE(b.layerNormEps, a.layerNormEps);
        QCOMPARE(b.numLabels, a.numLabels);
        QCOMPARE(b.maxPositions, a.maxPositions);
        const auto want = allButTokenHead(w), got = allButTokenHead(r);
        for (size_t i = 0; i < want.size(); ++i) {
            if (want[i].second->empty() && got[i].second->empty()) continue;   // DistilBERT's token types
            QVERIFY2(got[i].second->shape == want[i].second->shape, want[i].first.c_str());
            QVERIFY2(got[i].second->data == want[i].second->data, want[i].first.c_str());
        }
        QCOMPARE(w.embProjW.empty(), a.modelType != "electra");
        QCOMPARE(w.typeEmb.empty(), a.modelType == "distilbert");
        const SafetensorsFile token = SafetensorsFile::open(folder + "/" + kTokenClassifierFile);
        QCOMPARE(token.tensor("classifier.weight").data, w.tokenClassifierW.data);
    }

    void familyNamesAreHfs() {
        const std::vector<std::pair<std::string, std::vector<std::string>>> expected{
            {"roberta", {"roberta.embeddings.word_embeddings.weight", "roberta.embeddings.token_type_embeddings.weight",
                         "roberta.encoder.layer.1.attention.self.query.weight", "classifier.dense.weight",
                         "classifier.out_proj.bias", "lm_head.dense.weight", "lm_head.layer_norm.weight",
                         "lm_head.bias", "qa_outputs.weight"}},
            {"distilbert", {"distilbert.embeddings.word_embeddings.weight",
                            "distilbert.transformer.layer.1.attention.q_lin.weight",
                            "distilbert.transformer.layer.0.sa_layer_norm.bias",
                            "distilbert.transformer.layer.0.ffn.lin2.weight", "pre_classifier.weight",
                            "classifier.weight", "vocab_transform.weight", "vocab_layer_norm.bias",
                            "vocab_projector.bias", "qa_outputs.bias"}},
            {"electra", {"electra.embeddings.word_embeddings.weight", "electra.embeddings_project.weight",
                         "electra.encoder.layer.0.output.LayerNorm.weight", "classifier.dense.weight",
                         "classifier.out_proj.weight", "generator_predictions.dense.weight",
                         "generator_predictions.LayerNorm.bias", "generator_lm_head.bias", "qa_outputs.weight"}},
        };
        for (const auto& [type, names] : expected) {
            QTemporaryDir dir;
            const std::string folder = dir.path().toStdString();
            writeHfCheckpoint(randomWeights(familyConfig(type), 2), folder);
            const SafetensorsFile f = SafetensorsFile::open(folder + "/model.safetensors");
            for (const std::string& name : names) QVERIFY2(f.has(name), (type + ": " + name).c_str());
            std::ifstream in(folder + "/config.json");
            const nlohmann::json config = nlohmann::json::parse(in);
            QCOMPARE(config["model_type"].get<std::string>(), type);
            if (type == "distilbert") {
                QCOMPARE(config["dim"].get<int>(), 8);
                QCOMPARE(config["n_layers"].get<int>(), 2);
                QVERIFY(!config["sinusoidal_pos_embds"].get<bool>());
                QVERIFY(!config.contains("type_vocab_size"));
            } else {
                QCOMPARE(config["hidden_size"].get<int>(), 8);
            }
            if (type == "electra") QCOMPARE(config["embedding_size"].get<int>(), 16);
            if (type == "roberta") {
                QCOMPARE(config["pad_token_id"].get<int>(), 1);
                QCOMPARE(config["type_vocab_size"].get<int>(), 1);
            }
        }
        ModelConfig other = smallConfig();
        other.modelType = "gpt2";
        const std::string msg = errorOf<ConfigError>([&] { hfConfigJson(other); });
        QVERIFY2(msg.find("no HF checkpoint writer") != std::string::npos, msg.c_str());
    }

    // ModernBERT: the encoder under "model.", the prediction head, the decoder bias, the sequence
    // classifier in model.safetensors; the token classifier and the QA head (both `classifier` in
    // HF) in files of their own; config.json in transformers 5's form (layer_types, rope_parameters)
    // with the original fields beside; read back exactly, settings included.
    void modernBertRoundTrip_data() {
        QTest::addColumn<bool>("biases");
        QTest::newRow("HF defaults (no biases)") << false;
        QTest::newRow("every bias, irregular layer types") << true;
    }
    void modernBertRoundTrip() {
        QFETCH(bool, biases);
        nlohmann::json j = {{"model_type", "modernbert"}, {"vocab_size", 40}, {"hidden_size", 32},
                            {"intermediate_size", 48}, {"num_hidden_layers", 4}, {"num_attention_heads", 2},
                            {"max_position_embeddings", 64}, {"pad_token_id", 0}, {"local_attention", 6},
                            {"global_rope_theta", 80000.0},
                            {"local_rope_theta", 5000.0}, {"global_attn_every_n_layers", 3},
                            {"classifier_pooling", "mean"}, {"id2label", {{"0", "A"}, {"1", "B"}, {"2", "C"}}}};
        if (biases) {
            for (const char* k : {"norm_bias", "attention_bias", "mlp_bias", "classifier_bias"}) j[k] = true;
            j["layer_types"] = {"full_attention", "sliding_attention", "full_attention", "full_attention"};
            j["classifier_activation"] = "tanh";
        }
        const BertWeights w = randomWeights(parseHfConfig(j.dump(), "test"), 9);
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        QVERIFY(writeHfCheckpoint(w, folder));
        const BertWeights r = loadHfCheckpoint(folder);
        const ModelConfig &a = w.config, &b = r.config;
        QCOMPARE(b.modelType, std::string("modernbert"));
        QCOMPARE(b.numLayers, a.numLayers);
        QCOMPARE(b.intermediateSize, a.intermediateSize);
        QCOMPARE(b.numLabels, a.numLabels);
        QCOMPARE(b.classifierActivation, a.classifierActivation);
        QCOMPARE(b.modernBert.globalLayers, a.modernBert.globalLayers);
        QCOMPARE(b.modernBert.localAttention, 6);
        QCOMPARE(b.modernBert.globalRopeTheta, 80000.0);
        QCOMPARE(b.modernBert.localRopeTheta, 5000.0);
        QCOMPARE(b.modernBert.normBias, biases);
        QCOMPARE(b.modernBert.attentionBias, biases);
        QCOMPARE(b.modernBert.classifierPooling, std::string("mean"));
        auto same = [](const Tensor& x, const Tensor& y) { return x.shape == y.shape && x.data == y.data; };
        QVERIFY(same(r.wordEmb, w.wordEmb));
        QVERIFY(same(r.embLnBeta, w.embLnBeta));
        QCOMPARE(r.embLnBeta.empty(), !biases);
        for (size_t i = 0; i < w.modernBert.layers.size(); ++i) {
            const ModernBertLayerWeights &x = w.modernBert.layers[i], &y = r.modernBert.layers[i];
            for (const auto& [p, q] : std::vector<std::pair<const Tensor*, const Tensor*>>{
                     {&x.attnNormGamma, &y.attnNormGamma}, {&x.attnNormBeta, &y.attnNormBeta}, {&x.qkvW, &y.qkvW},
                     {&x.qkvB, &y.qkvB}, {&x.attnOutW, &y.attnOutW}, {&x.mlpNormGamma, &y.mlpNormGamma},
                     {&x.wiW, &y.wiW}, {&x.wiB, &y.wiB}, {&x.mlpOutW, &y.mlpOutW}, {&x.mlpOutB, &y.mlpOutB}})
                QVERIFY2(same(*p, *q), ("layer " + std::to_string(i)).c_str());
        }
        QVERIFY(same(r.modernBert.finalNormGamma, w.modernBert.finalNormGamma));
        QVERIFY(same(r.modernBert.headDenseW, w.modernBert.headDenseW));
        QVERIFY(same(r.modernBert.headDenseB, w.modernBert.headDenseB));
        QVERIFY(same(r.modernBert.headNormGamma, w.modernBert.headNormGamma));
        QVERIFY(r.modernBert.hasDecoder);
        QVERIFY(same(r.mlmDecoderB, w.mlmDecoderB));
        QVERIFY(same(r.classifierW, w.classifierW));
        const SafetensorsFile token = SafetensorsFile::open(folder + "/" + kTokenClassifierFile);
        QCOMPARE(token.tensor("classifier.weight").data, w.tokenClassifierW.data);
        const SafetensorsFile qa = SafetensorsFile::open(folder + "/" + kQaHeadFile);
        QCOMPARE(qa.tensor("classifier.weight").data, w.qaW.data);
        QCOMPARE(qa.tensor("classifier.bias").data, w.qaB.data);
        const SafetensorsFile f = SafetensorsFile::open(folder + "/" + kHfWeightsFile);
        for (const char* name : {"model.embeddings.tok_embeddings.weight", "model.layers.1.attn_norm.weight",
                                 "model.layers.0.attn.Wqkv.weight", "model.layers.3.mlp.Wi.weight",
                                 "model.final_norm.weight", "head.dense.weight", "head.norm.weight", "decoder.bias"})
            QVERIFY2(f.has(name), name);
        QVERIFY(!f.has("model.layers.0.attn_norm.weight"));   // the identity in layer 0
        QCOMPARE(f.has("model.layers.0.attn.Wqkv.bias"), biases);
        std::ifstream in(folder + "/config.json");
        const nlohmann::json config = nlohmann::json::parse(in);
        QCOMPARE(config["layer_types"].size(), size_t(4));
        QCOMPARE(config["rope_parameters"]["sliding_attention"]["rope_theta"].get<double>(), 5000.0);
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("ModernBertForMaskedLM"));
    }

    void headlessWeightsWriteNoTokenFile() {
        QTemporaryDir dir;
        BertWeights w = randomWeights(smallConfig(), 3);
        w.tokenClassifierW = Tensor();
        w.tokenClassifierB = Tensor();
        w.qaW = Tensor();
        w.qaB = Tensor();
        const std::string folder = dir.path().toStdString();
        QVERIFY(!writeHfCheckpoint(w, folder));
        QVERIFY(!QFile::exists(QString::fromStdString(folder + "/" + kTokenClassifierFile)));
        const BertWeights r = loadHfCheckpoint(folder);
        QVERIFY(r.qaW.empty());
        QCOMPARE(r.classifierW.data, w.classifierW.data);
    }

    void unwritableFolderIsNamed() {
        const std::string msg = errorOf<InputError>(
            [] { writeHfCheckpoint(randomWeights(smallConfig(), 1), "/proc/bertbench-cannot-write-here"); });
        QVERIFY2(msg.find("/proc/bertbench-cannot-write-here") != std::string::npos, msg.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCheckpointWriter)
#include "test_checkpoint_writer.moc"

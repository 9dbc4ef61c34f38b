// Weights: HF-style random init (statistics, determinism, speed) and HuggingFace checkpoint
// folders written by the test (names with/without "bert.", heads, dtypes, and the errors).
#include <QtTest>

#include <QTemporaryDir>
#include <bit>
#include <chrono>
#include <cmath>
#include <fstream>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/ErrorOf.h"
#include "core/model/BertWeights.h"
#include "core/util/Errors.h"

using namespace bertbench;
using nlohmann::json;

namespace {

ModelConfig smallConfig() {
    ModelConfig c;
    c.name = "small";
    c.vocabSize = 50;
    c.hiddenSize = 16;
    c.numHeads = 2;
    c.numLayers = 2;
    c.intermediateSize = 32;
    c.maxPositions = 40;
    c.numLabels = 3;
    return c;
}

struct Named {
    std::string name;
    const Tensor* tensor;
};

// HF's names for every tensor of `w`; encoder names get `prefix` ("bert." in task models).
std::vector<Named> hfNames(const BertWeights& w, const std::string& prefix, bool tokenClassifier) {
    std::vector<Named> out;
    const std::string e = prefix + "embeddings.";
    out.push_back({e + "word_embeddings.weight", &w.wordEmb});
    out.push_back({e + "position_embeddings.weight", &w.posEmb});
    out.push_back({e + "token_type_embeddings.weight", &w.typeEmb});
    out.push_back({e + "LayerNorm.weight", &w.embLnGamma});
    out.push_back({e + "LayerNorm.bias", &w.embLnBeta});
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        const std::string p = prefix + "encoder.layer." + std::to_string(i) + ".";
        out.push_back({p + "attention.self.query.weight", &l.queryW});
        out.push_back({p + "attention.self.query.bias", &l.queryB});
        out.push_back({p + "attention.self.key.weight", &l.keyW});
        out.push_back({p + "attention.self.key.bias", &l.keyB});
        out.push_back({p + "attention.self.value.weight", &l.valueW});
        out.push_back({p + "attention.self.value.bias", &l.valueB});
        out.push_back({p + "attention.output.dense.weight", &l.attnOutW});
        out.push_back({p + "attention.output.dense.bias", &l.attnOutB});
        out.push_back({p + "attention.output.LayerNorm.weight", &l.attnLnGamma});
        out.push_back({p + "attention.output.LayerNorm.bias", &l.attnLnBeta});
        out.push_back({p + "intermediate.dense.weight", &l.interW});
        out.push_back({p + "intermediate.dense.bias", &l.interB});
        out.push_back({p + "output.dense.weight", &l.outW});
        out.push_back({p + "output.dense.bias", &l.outB});
        out.push_back({p + "output.LayerNorm.weight", &l.outLnGamma});
        out.push_back({p + "output.LayerNorm.bias", &l.outLnBeta});
    }
    out.push_back({prefix + "pooler.dense.weight", &w.poolerW});
    out.push_back({prefix + "pooler.dense.bias", &w.poolerB});
    out.push_back({"cls.predictions.transform.dense.weight", &w.mlmTransformW});
    out.push_back({"cls.predictions.transform.dense.bias", &w.mlmTransformB});
    out.push_back({"cls.predictions.transform.LayerNorm.weight", &w.mlmLnGamma});
    out.push_back({"cls.predictions.transform.LayerNorm.bias", &w.mlmLnBeta});
    out.push_back({"cls.predictions.bias", &w.mlmDecoderB});
    out.push_back({"classifier.weight", tokenClassifier ? &w.tokenClassifierW : &w.classifierW});
    out.push_back({"classifier.bias", tokenClassifier ? &w.tokenClassifierB : &w.classifierB});
    out.push_back({"qa_outputs.weight", &w.qaW});
    out.push_back({"qa_outputs.bias", &w.qaB});
    return out;
}

uint16_t toBf16(float v) {
    const uint32_t bits = std::bit_cast<uint32_t>(v);
    return uint16_t((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);   // round to nearest even
}
float fromBf16(uint16_t b) { return std::bit_cast<float>(uint32_t(b) << 16); }

struct WriteOptions {
    std::string prefix = "bert.";
    bool tokenClassifier = false;
    bool bf16 = false;
    // Edits the (name, shape, values) list before writing: drop, rename or reshape tensors.
    std::function<void(std::vector<std::pair<std::string, Tensor>>&)> edit;
};

void writeCheckpoint(const QString& dir, const BertWeights& w, const WriteOptions& o) {
    const ModelConfig& c = w.config;
    json config = {{"model_type", "bert"},
                   {"vocab_size", c.vocabSize},
                   {"hidden_size", c.hiddenSize},
                   {"num_hidden_layers", c.numLayers},
                   {"num_attention_heads", c.numHeads},
                   {"intermediate_size", c.intermediateSize},
                   {"max_position_embeddings", c.maxPositions},
                   {"type_vocab_size", c.typeVocabSize},
                   {"layer_norm_eps", c.layerNormEps},
                   {"hidden_act", c.hiddenAct},
                   {"pad_token_id", c.padTokenId},
                   {"num_labels", c.numLabels},
                   {"architectures", {o.tokenClassifier ? "BertForTokenClassification" : "BertForPreTraining"}}};
    std::ofstream(dir.toStdString() + "/config.json") << config.dump(2);

    std::vector<std::pair<std::string, Tensor>> tensors;
    for (const Named& n : hfNames(w, o.prefix, o.tokenClassifier)) tensors.emplace_back(n.name, *n.tensor);
    if (o.edit) o.edit(tensors);

    json header;
    header["__metadata__"] = {{"format", "pt"}};
    std::vector<uint8_t> data;
    for (const auto& [name, t] : tensors) {
        const size_t begin = data.size();
        for (float v : t.data) {
            if (o.bf16) {
                const uint16_t b = toBf16(v);
                data.push_back(uint8_t(b));
                data.push_back(uint8_t(b >> 8));
            } else {
                const uint32_t bits = std::bit_cast<uint32_t>(v);
                for (int i = 0; i < 4; ++i) data.push_back(uint8_t(bits >> (8 * i)));
            }
        }
        header[name] = {{"dtype", o.bf16 ? "BF16" : "F32"}, {"shape", t.shape}, {"data_offsets", {begin, data.size()}}};
    }
    const std::string text = header.dump();
    std::ofstream out(dir.toStdString() + "/model.safetensors", std::ios::binary);
    const uint64_t len = text.size();
    for (int i = 0; i < 8; ++i) out.put(char(uint8_t(len >> (8 * i))));
    out << text;
    out.write(reinterpret_cast<const char*>(data.data()), std::streamsize(data.size()));
}

template <typename F>
std::string inputErrorOf(F f) {
    return testing::errorOf<InputError>(f);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void dropTensor(std::vector<std::pair<std::string, Tensor>>& ts, const std::string& name) {
    std::erase_if(ts, [&](const auto& p) { return p.first == name; });
}

} // namespace

class TestWeights : public QObject {
    Q_OBJECT

private slots:
    void randomInitStatistics() {
        const ModelConfig c = presetConfig("tiny");
        const BertWeights w = randomWeights(c, 42);
        QCOMPARE(w.config.name, std::string("tiny"));
        QCOMPARE(w.wordEmb.shape, (std::vector<int64_t>{30522, 128}));
        QCOMPARE(w.layers.size(), size_t(2));

        // All normal(0, 0.02) tensors together, minus the zeroed padding row.
        std::vector<const Tensor*> normal = {&w.wordEmb, &w.posEmb, &w.typeEmb, &w.poolerW, &w.mlmTransformW,
                                             &w.classifierW, &w.tokenClassifierW, &w.qaW};
        for (const LayerWeights& l : w.layers)
            for (const Tensor* t : {&l.queryW, &l.keyW, &l.valueW, &l.attnOutW, &l.interW, &l.outW}) normal.push_back(t);
        double n = 0, sum = 0, sq = 0, quad = 0, within1 = 0, within2 = 0;
        for (const Tensor* t : normal) {
            QVERIFY(!t->empty());
            for (size_t i = (t == &w.wordEmb ? 128 : 0); i < t->data.size(); ++i) {
                const double x = t->data[i];
                n += 1;
                sum += x;
                sq += x * x;
                quad += x * x * x * x;
                within1 += std::abs(x) < 0.02;
                within2 += std::abs(x) < 0.04;
            }
        }
        const double mean = sum / n, var = sq / n - mean * mean;
        QVERIFY2(std::abs(mean) < 1e-4, qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(std::sqrt(var) - 0.02) < 0.0002, qPrintable(QString::number(std::sqrt(var))));
        QVERIFY2(std::abs(quad / n / (var * var) - 3.0) < 0.05, "kurtosis of a normal is 3");
        QVERIFY2(std::abs(within1 / n - 0.6827) < 0.003, qPrintable(QString::number(within1 / n)));
        QVERIFY2(std::abs(within2 / n - 0.9545) < 0.002, qPrintable(QString::number(within2 / n)));

        // Padding row zeroed, biases 0, LayerNorm 1/0.
        for (int j = 0; j < 128; ++j) QCOMPARE(w.wordEmb.data[size_t(j)], 0.0f);
        auto all = [](const Tensor& t, float v) {
            return std::all_of(t.data.begin(), t.data.end(), [&](float x) { return x == v; });
        };
        QVERIFY(all(w.embLnGamma, 1.0f) && all(w.embLnBeta, 0.0f));
        for (const LayerWeights& l : w.layers) {
            QVERIFY(all(l.attnLnGamma, 1.0f) && all(l.outLnGamma, 1.0f));
            QVERIFY(all(l.attnLnBeta, 0.0f) && all(l.outLnBeta, 0.0f));
            for (const Tensor* b : {&l.queryB, &l.keyB, &l.valueB, &l.attnOutB, &l.interB, &l.outB}) QVERIFY(all(*b, 0.0f));
        }
        QVERIFY(all(w.mlmLnGamma, 1.0f) && all(w.mlmLnBeta, 0.0f) && all(w.mlmDecoderB, 0.0f));
        QCOMPARE(w.mlmDecoderB.shape, (std::vector<int64_t>{30522}));
        QCOMPARE(w.classifierW.shape, (std::vector<int64_t>{2, 128}));
        QCOMPARE(w.tokenClassifierB.shape, (std::vector<int64_t>{2}));
        QCOMPARE(w.qaW.shape, (std::vector<int64_t>{2, 128}));
        QCOMPARE(w.poolerW.shape, (std::vector<int64_t>{128, 128}));
    }

    void randomInitIsDeterministic() {
        const ModelConfig c = smallConfig();
        const BertWeights a = randomWeights(c, 7), b = randomWeights(c, 7), d = randomWeights(c, 8);
        QVERIFY(a.wordEmb.data == b.wordEmb.data);
        QVERIFY(a.layers[1].outW.data == b.layers[1].outW.data);
        QVERIFY(a.qaW.data == b.qaW.data);
        QVERIFY(a.wordEmb.data != d.wordEmb.data);
        QVERIFY(a.layers[0].queryW.data != a.layers[0].keyW.data);   // each tensor its own stream
        // Golden values: the same on every platform (own PRNG, Box–Muller and polynomials).
        const BertWeights g = randomWeights(presetConfig("tiny"), 1);
        const std::vector<float> got = {g.wordEmb.data[128], g.wordEmb.data[129], g.layers[0].queryW.data[0],
                                        g.qaW.data[255]};
        const std::vector<uint32_t> bits = {0xbca1659eu, 0x3d3cce33u, 0xbc27e161u, 0xbb8a23fdu};
        for (size_t i = 0; i < got.size(); ++i) {
            QVERIFY2(std::bit_cast<uint32_t>(got[i]) == bits[i],
                     qPrintable(QString("value %1: %2 (0x%3)").arg(i).arg(double(got[i]), 0, 'g', 9)
                                    .arg(std::bit_cast<uint32_t>(got[i]), 8, 16, QChar('0'))));
        }
    }

    void randomInitIsFast() {
        const auto start = std::chrono::steady_clock::now();
        const BertWeights w = randomWeights(presetConfig("bert-large"), 3);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        qInfo("bert-large random init: %.2f s for %.0f MB", s, double(w.parameterBytes()) / 1e6);
        QVERIFY2(s < 15.0, qPrintable(QString::number(s)));
        QCOMPARE(w.layers.size(), size_t(24));
    }

    void parameterBytes() {
        const ModelConfig c = smallConfig();
        const int64_t V = 50, H = 16, I = 32, P = 40, T = 2, L = 3;
        const int64_t layer = 4 * (H * H + H) + 4 * H + (I * H + I) + (H * I + H);
        const int64_t heads = (H * H + H) + (H * H + H) + 2 * H + V + 2 * (L * H + L) + (2 * H + 2);
        const int64_t params = V * H + P * H + T * H + 2 * H + 2 * layer + heads;
        QCOMPARE(randomWeights(c, 1).parameterBytes(), params * 4);
        QCOMPARE(BertWeights().parameterBytes(), int64_t(0));
    }

    void checkpointRoundTrip_data() {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<bool>("tokenClassifier");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("task model, bert. prefix") << "bert." << false << false;
        QTest::newRow("bare BertModel names") << "" << false << false;
        QTest::newRow("token classifier") << "bert." << true << false;
        QTest::newRow("bf16") << "bert." << false << true;
    }

    void checkpointRoundTrip() {
        QFETCH(QString, prefix);
        QFETCH(bool, tokenClassifier);
        QFETCH(bool, bf16);
        QTemporaryDir dir;
        const BertWeights w = randomWeights(smallConfig(), 5);
        WriteOptions o;
        o.prefix = prefix.toStdString();
        o.tokenClassifier = tokenClassifier;
        o.bf16 = bf16;
        writeCheckpoint(dir.path(), w, o);

        const BertWeights r = loadHfCheckpoint(dir.path().toStdString());
        QCOMPARE(r.config.name, dir.path().toStdString());
        QCOMPARE(r.config.hiddenSize, 16);
        // Random weights fill both classifier heads; a checkpoint has one.
        QCOMPARE(r.parameterBytes(),
                 w.parameterBytes() - int64_t(w.tokenClassifierW.numel() + w.tokenClassifierB.numel()) * 4);
        const std::vector<Named> want = hfNames(w, "", tokenClassifier);
        const std::vector<Named> got = hfNames(r, "", tokenClassifier);
        for (size_t i = 0; i < want.size(); ++i) {
            QCOMPARE(got[i].tensor->shape, want[i].tensor->shape);
            for (size_t k = 0; k < want[i].tensor->data.size(); ++k) {
                const float expect = bf16 ? fromBf16(toBf16(want[i].tensor->data[k])) : want[i].tensor->data[k];
                if (got[i].tensor->data[k] != expect) QFAIL(qPrintable(QString::fromStdString(want[i].name)));
            }
        }
        // "classifier.*" lands in one of the two classifier heads, by config.json's architectures.
        QCOMPARE(r.classifierW.empty(), tokenClassifier);
        QCOMPARE(r.tokenClassifierW.empty(), !tokenClassifier);
    }

    void legacyNamesAndTiedDecoder() {
        QTemporaryDir dir;
        const BertWeights w = randomWeights(smallConfig(), 6);
        WriteOptions o;
        o.edit = [&](std::vector<std::pair<std::string, Tensor>>& ts) {
            for (auto& [name, t] : ts) {
                if (name == "bert.embeddings.LayerNorm.weight") name = "bert.embeddings.LayerNorm.gamma";
                if (name == "bert.embeddings.LayerNorm.bias") name = "bert.embeddings.LayerNorm.beta";
                if (name == "cls.predictions.bias") name = "cls.predictions.decoder.bias";
            }
            ts.emplace_back("cls.predictions.decoder.weight", w.wordEmb);   // tied: same values
            ts.emplace_back("bert.embeddings.position_ids", Tensor({1, 40}));  // extra buffers are ignored
        };
        writeCheckpoint(dir.path(), w, o);
        const BertWeights r = loadHfCheckpoint(dir.path().toStdString());
        QVERIFY(r.embLnGamma.data == w.embLnGamma.data);
        QVERIFY(r.mlmDecoderB.data == w.mlmDecoderB.data);
    }

    void checkpointErrors_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expect");
        QTest::newRow("missing tensor") << "missing" << "missing tensor 'bert.encoder.layer.1.output.dense.bias'";
        QTest::newRow("wrong shape") << "shape" << "has shape [51,16], expected [50,16]";
        QTest::newRow("wrong classifier width") << "labels" << "'classifier.weight' has shape [4,16], expected [3,16] (num_labels 3";
        QTest::newRow("incomplete head") << "head" << "masked-LM head is incomplete";
        QTest::newRow("untied decoder") << "untied" << "differs from the word embeddings";
        QTest::newRow("no safetensors") << "noweights" << "model.safetensors: missing";
        QTest::newRow("no config") << "noconfig" << "config.json: missing";
        QTest::newRow("bad config") << "badconfig" << "hidden_size must be an integer";
        QTest::newRow("not a folder") << "nofolder" << "not a checkpoint folder";
        QTest::newRow("garbage weights") << "garbage" << "too short";
    }

    void checkpointErrors() {
        QFETCH(QString, kind);
        QFETCH(QString, expect);
        QTemporaryDir dir;
        const BertWeights w = randomWeights(smallConfig(), 9);
        WriteOptions o;
        o.edit = [&](std::vector<std::pair<std::string, Tensor>>& ts) {
            if (kind == "missing") dropTensor(ts, "bert.encoder.layer.1.output.dense.bias");
            if (kind == "head") dropTensor(ts, "cls.predictions.transform.LayerNorm.bias");
            for (auto& [name, t] : ts) {
                if (kind == "shape" && name == "bert.embeddings.word_embeddings.weight") t = Tensor({51, 16});
                if (kind == "labels" && name == "classifier.weight") t = Tensor({4, 16});
            }
            if (kind == "untied") ts.emplace_back("cls.predictions.decoder.weight", Tensor({50, 16}));
        };
        writeCheckpoint(dir.path(), w, o);
        std::string folder = dir.path().toStdString();
        if (kind == "noweights") QFile::remove(dir.filePath("model.safetensors"));
        if (kind == "noconfig") QFile::remove(dir.filePath("config.json"));
        if (kind == "badconfig") std::ofstream(folder + "/config.json") << R"({"hidden_size": "16"})";
        if (kind == "nofolder") folder += "/nowhere";
        if (kind == "garbage") std::ofstream(folder + "/model.safetensors") << "abc";

        const std::string msg = inputErrorOf([&] { loadHfCheckpoint(folder); });
        QVERIFY2(contains(msg, expect.toStdString()), msg.c_str());
        if (kind != "nofolder") QVERIFY2(contains(msg, folder), msg.c_str());   // names the file
    }
};

QTEST_GUILESS_MAIN(TestWeights)
#include "test_weights.moc"

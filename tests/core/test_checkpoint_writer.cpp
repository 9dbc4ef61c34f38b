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

Tensor tensorOf(std::vector<int64_t> shape, float start) {
    Tensor t(std::move(shape));
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = start + 0.25f * float(i);
    return t;
}

// Every tensor of the weights but the token classifier, with a label for failure messages.
std::vector<std::pair<std::string, const Tensor*>> allButTokenHead(const BertWeights& w) {
    std::vector<std::pair<std::string, const Tensor*>> out{
        {"wordEmb", &w.wordEmb}, {"posEmb", &w.posEmb}, {"typeEmb", &w.typeEmb},
        {"embLnGamma", &w.embLnGamma}, {"embLnBeta", &w.embLnBeta},
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

// Model configs: presets, validation messages, HuggingFace config.json parsing and its errors.
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>

#include "core/ErrorOf.h"
#include "core/model/ModelConfig.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

template <typename F>
std::string configErrorOf(F f) {
    return testing::errorOf<ConfigError>(f);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char* kHfConfig = R"({
  "architectures": ["BertForTokenClassification"],
  "attention_probs_dropout_prob": 0.1,
  "hidden_act": "gelu",
  "hidden_size": 32,
  "id2label": {"0": "O", "1": "B-PER", "2": "I-PER"},
  "intermediate_size": 64,
  "layer_norm_eps": 1e-05,
  "max_position_embeddings": 64,
  "model_type": "bert",
  "num_attention_heads": 2,
  "num_hidden_layers": 3,
  "pad_token_id": 0,
  "type_vocab_size": 2,
  "vocab_size": 99
})";

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private slots:
    void presets() {
        QCOMPARE(presetNames(), (std::vector<std::string>{"tiny", "bert-base", "bert-large", "bert-base-cased",
                                                          "bert-large-cased", "roberta-base", "roberta-large",
                                                          "xlm-roberta-base", "distilbert-base", "electra-base",
                                                          "electra-small", "modernbert-base", "modernbert-large"}));
        struct Want {
            const char* name;
            int vocab, hidden, layers, heads, inter;
        };
        for (const Want& w : {Want{"tiny", 30522, 128, 2, 2, 512}, Want{"bert-base", 30522, 768, 12, 12, 3072},
                              Want{"bert-large", 30522, 1024, 24, 16, 4096},
                              Want{"bert-base-cased", 28996, 768, 12, 12, 3072},
                              Want{"bert-large-cased", 28996, 1024, 24, 16, 4096}}) {
            QVERIFY(isPreset(w.name));
            const ModelConfig c = presetConfig(w.name);
            QCOMPARE(c.name, std::string(w.name));
            QCOMPARE(c.vocabSize, w.vocab);
            QCOMPARE(c.hiddenSize, w.hidden);
            QCOMPARE(c.numLayers, w.layers);
            QCOMPARE(c.numHeads, w.heads);
            QCOMPARE(c.intermediateSize, w.inter);
            QCOMPARE(c.maxPositions, 512);
            QCOMPARE(c.typeVocabSize, 2);
            QCOMPARE(c.hiddenAct, std::string("gelu"));
            QCOMPARE(c.headDim(), w.hidden / w.heads);
            c.validate();
        }
        QVERIFY(!isPreset("bert-huge"));
        const std::string msg = configErrorOf([] { presetConfig("bert-huge"); });
        QVERIFY2(contains(msg, "bert-huge") && contains(msg, "bert-large-cased"), msg.c_str());
    }

    void invalidConfigs_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expect");
        QTest::newRow("heads") << "heads" << "hidden_size 100 is not divisible by num_attention_heads 3";
        QTest::newRow("activation") << "act" << "hidden_act 'relu' is not supported";
        QTest::newRow("gelu_new") << "gelu_new" << "hidden_act 'gelu_new'";
        QTest::newRow("eps") << "eps" << "layer_norm_eps 0";
        QTest::newRow("vocab") << "vocab" << "vocab_size 0 is out of range 1..";
        QTest::newRow("layers") << "layers" << "num_hidden_layers -1 is out of range";
        QTest::newRow("inter") << "inter" << "intermediate_size 0";
        QTest::newRow("positions") << "positions" << "max_position_embeddings 0";
        QTest::newRow("types") << "types" << "type_vocab_size 0";
        QTest::newRow("labels") << "labels" << "num_labels 0";
        QTest::newRow("pad") << "pad" << "pad_token_id 30522 is out of range -1..30521";
        QTest::newRow("too many heads") << "heads2" << "num_attention_heads 256 is out of range 1..128";
    }

    void invalidConfigs() {
        QFETCH(QString, field);
        QFETCH(QString, expect);
        ModelConfig c = presetConfig("tiny");
        if (field == "heads") {
            c.hiddenSize = 100;
            c.numHeads = 3;
        }
        if (field == "act") c.hiddenAct = "relu";
        if (field == "gelu_new") c.hiddenAct = "gelu_new";
        if (field == "eps") c.layerNormEps = 0;
        if (field == "vocab") c.vocabSize = 0;
        if (field == "layers") c.numLayers = -1;
        if (field == "inter") c.intermediateSize = 0;
        if (field == "positions") c.maxPositions = 0;
        if (field == "types") c.typeVocabSize = 0;
        if (field == "labels") c.numLabels = 0;
        if (field == "pad") c.padTokenId = 30522;
        if (field == "heads2") c.numHeads = 256;
        const std::string msg = configErrorOf([&] { c.validate(); });
        QVERIFY2(contains(msg, expect.toStdString()), msg.c_str());
        QVERIFY2(contains(msg, "tiny"), msg.c_str());   // names the config
    }

    void parsesHfConfig() {
        const ModelConfig c = parseHfConfig(kHfConfig, "ner/config.json");
        QCOMPARE(c.name, std::string("ner/config.json"));
        QCOMPARE(c.vocabSize, 99);
        QCOMPARE(c.hiddenSize, 32);
        QCOMPARE(c.numLayers, 3);
        QCOMPARE(c.numHeads, 2);
        QCOMPARE(c.intermediateSize, 64);
        QCOMPARE(c.maxPositions, 64);
        QCOMPARE(c.typeVocabSize, 2);
        QCOMPARE(c.layerNormEps, 1e-5);
        QCOMPARE(c.numLabels, 3);   // from id2label
        QCOMPARE(c.padTokenId, 0);
        QCOMPARE(c.architectures, std::vector<std::string>{"BertForTokenClassification"});
    }

    void hfDefaultsAndVariants() {
        // Missing fields take BertConfig's defaults (bert-base), as HF does.
        const ModelConfig d = parseHfConfig("{}", "empty.json");
        QCOMPARE(d.hiddenSize, 768);
        QCOMPARE(d.numLayers, 12);
        QCOMPARE(d.vocabSize, 30522);
        QCOMPARE(d.numLabels, 2);
        QCOMPARE(d.layerNormEps, 1e-12);
        QVERIFY(d.architectures.empty());
        // num_labels wins over id2label; pad_token_id null means "no padding token".
        const ModelConfig c =
            parseHfConfig(R"({"num_labels": 7, "id2label": {"0": "a"}, "pad_token_id": null})", "x.json");
        QCOMPARE(c.numLabels, 7);
        QCOMPARE(c.padTokenId, -1);
    }

    void hfParseErrors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expect");
        QTest::newRow("malformed") << R"({"hidden_size": 32,)" << "not valid JSON";
        QTest::newRow("not an object") << "[1, 2]" << "expected a JSON object";
        QTest::newRow("string size") << R"({"hidden_size": "32"})" << "hidden_size must be an integer";
        QTest::newRow("float size") << R"({"num_hidden_layers": 2.5})" << "num_hidden_layers must be an integer";
        QTest::newRow("huge") << R"({"vocab_size": 99999999999})" << "vocab_size 99999999999 does not fit";
        QTest::newRow("eps type") << R"({"layer_norm_eps": "small"})" << "layer_norm_eps must be a number";
        QTest::newRow("act type") << R"({"hidden_act": 3})" << "hidden_act must be a string";
        QTest::newRow("act value") << R"({"hidden_act": "gelu_new"})" << "hidden_act 'gelu_new' is not supported";
        QTest::newRow("architectures") << R"({"architectures": "BertModel"})" << "architectures must be an array";
        QTest::newRow("architectures item") << R"({"architectures": [1]})" << "architectures must be an array";
        QTest::newRow("id2label") << R"({"id2label": [1, 2]})" << "id2label must be an object";
        QTest::newRow("model type") << R"({"model_type": "mpnet"})" << "model_type 'mpnet' is not supported";
        QTest::newRow("positions") << R"({"position_embedding_type": "relative_key"})" << "position_embedding_type";
        QTest::newRow("heads") << R"({"hidden_size": 30, "num_attention_heads": 4})" << "not divisible";
    }

    void hfParseErrors() {
        QFETCH(QString, json);
        QFETCH(QString, expect);
        const std::string msg = configErrorOf([&] { parseHfConfig(json.toStdString(), "some/config.json"); });
        QVERIFY2(contains(msg, expect.toStdString()), msg.c_str());
        QVERIFY2(contains(msg, "some/config.json"), msg.c_str());   // names the file
    }

    void loadsFiles() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("config.json").toStdString();
        {
            std::ofstream(path) << kHfConfig;
        }
        const ModelConfig c = loadHfConfig(path);
        QCOMPARE(c.hiddenSize, 32);
        QCOMPARE(c.name, path);
        const std::string missing = dir.filePath("nope.json").toStdString();
        const std::string msg = configErrorOf([&] { loadHfConfig(missing); });
        QVERIFY2(contains(msg, missing), msg.c_str());
        // The HF fixture's configs, as save_pretrained wrote them.
        const ModelConfig qa = loadHfConfig(std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-tiny/qa/config.json");
        QCOMPARE(qa.numLabels, 2);
        QCOMPARE(qa.architectures, std::vector<std::string>{"BertForQuestionAnswering"});
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "test_model_config.moc"

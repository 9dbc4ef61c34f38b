// The BERT family and ModernBERT on the CPU reference: RoBERTa, XLM-R, CamemBERT, DistilBERT,
// ELECTRA and ModernBERT checkpoints written by transformers' save_pretrained
// (tests/fixtures/make_hf_family.py, run on the GPU machine) load by their own names, and every
// CPU backend reproduces HF's own eager fp32 outputs (reference.safetensors) on real positions,
// for every task head transformers has. Also: the presets at real shapes, and what a config
// cannot ask of the kernels.
#include <QtTest>

#include <filesystem>

#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/HfReference.h"
#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

const std::string kFamily = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-family/";

std::string configErrorOf(const std::string& json) {
    try {
        parseHfConfig(json, "family/config.json");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

class TestModelFamily : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setCpuThreads(2); }

    void reproducesHf_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("task");
        for (const char* arch : {"roberta", "xlm-roberta", "camembert", "distilbert", "electra", "modernbert"})
            for (const char* task : {"encoder", "mlm", "classification", "token_classification", "qa"})
                QTest::newRow((std::string(arch) + "/" + task).c_str()) << QString(arch) << QString(task);
    }

    void reproducesHf() {
        QFETCH(QString, arch);
        QFETCH(QString, task);
        const std::string folder = kFamily + arch.toStdString() + "/" + task.toStdString();
        QVERIFY2(std::filesystem::exists(folder + "/reference.safetensors"), folder.c_str());
        const BertWeights weights = loadHfCheckpoint(folder);
        QCOMPARE(weights.config.modelType, arch.toStdString());
        const HfReference reference = loadHfReference(folder + "/reference.safetensors");
        const std::vector<Task> tasks = tasksWithReference(reference, weights.config.architectures);
        QCOMPARE(int(tasks.size()), 1);
        QCOMPARE(toString(tasks[0]), task.toStdString());
        const TaskOutput want = expectedOutput(reference, tasks[0]);

        BackendRegistry registry;
        registerCpuBackends(registry);
        for (const BackendInfo& info : registry.all()) {
            std::unique_ptr<Backend> backend = info.create();
            backend->loadModel(weights, DType::Float32);
            backend->prepare(tasks[0], reference.batch);
            backend->forward();
            const TaskOutput got = backend->output();
            QCOMPARE(got.shape, want.shape);
            const OutputError e = compareOutputs(got, want, reference.batch);
            const std::string where = info.name + " " + folder + ": rel L2 " + std::to_string(e.relL2) + ", max abs " +
                                      std::to_string(e.maxAbs);
            QVERIFY2(e.relL2 < 1e-4, where.c_str());
        }
    }

    void familyPresetsAtRealShapes() {
        const ModelConfig roberta = presetConfig("roberta-base");
        QCOMPARE(roberta.modelType, std::string("roberta"));
        QCOMPARE(roberta.vocabSize, 50265);
        QCOMPARE(roberta.maxPositions, 514);
        QCOMPARE(roberta.positionOffset, 2);   // pad_token_id 1 + 1
        QCOMPARE(roberta.maxSequenceLength(), 512);
        QCOMPARE(roberta.typeVocabSize, 1);
        QCOMPARE(presetConfig("roberta-large").hiddenSize, 1024);
        const ModelConfig xlmr = presetConfig("xlm-roberta-base");
        QCOMPARE(xlmr.vocabSize, 250002);
        // The embedding dominates: 192M of the parameters are the word embeddings.
        QCOMPARE(int64_t(xlmr.vocabSize) * xlmr.hiddenSize, int64_t(192001536));
        const ModelConfig distil = presetConfig("distilbert-base");
        QCOMPARE(distil.numLayers, 6);
        QVERIFY(!distil.hasTokenTypes());
        QCOMPARE(distil.classifierActivation, std::string("relu"));
        const ModelConfig small = presetConfig("electra-small");
        QCOMPARE(small.embeddingWidth(), 128);
        QCOMPARE(small.hiddenSize, 256);
        QCOMPARE(presetConfig("electra-base").embeddingWidth(), 768);
        for (const std::string& name : presetNames()) presetConfig(name).validate();
        // Random weights at ELECTRA's shapes: the projection from E to H is there.
        ModelConfig tinyElectra = small;
        tinyElectra.numLayers = 1;
        tinyElectra.vocabSize = 64;
        const BertWeights w = randomWeights(tinyElectra, 3);
        QCOMPARE(w.embProjW.shape, (std::vector<int64_t>{256, 128}));
        QCOMPARE(w.mlmTransformW.shape, (std::vector<int64_t>{128, 256}));
    }

    void refusesWhatTheKernelsCannotHonour_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expect");
        QTest::newRow("model type") << R"({"model_type": "deberta-v2"})" << "model_type 'deberta-v2' is not supported";
        QTest::newRow("sinusoidal") << R"({"model_type": "distilbert", "sinusoidal_pos_embds": true})"
                                    << "sinusoidal_pos_embds true is not supported";
        QTest::newRow("distilbert act") << R"({"model_type": "distilbert", "activation": "relu"})" << "'relu'";
        QTest::newRow("roberta pad") << R"({"model_type": "roberta", "pad_token_id": null})" << "pad_token_id null";
        QTest::newRow("relative") << R"({"model_type": "electra", "position_embedding_type": "relative_key"})"
                                  << "position_embedding_type";
    }

    void refusesWhatTheKernelsCannotHonour() {
        QFETCH(QString, json);
        QFETCH(QString, expect);
        const std::string msg = configErrorOf(json.toStdString());
        QVERIFY2(msg.find(expect.toStdString()) != std::string::npos, msg.c_str());
    }

    // A batch of a RoBERTa-family model: padding holds its padding id and real tokens never do
    // (HF counts positions over the ids that are not padding).
    void batchesUseTheModelsPaddingId() {
        BatchSpec spec{4, 32, 0.5, 8, 50, 7};
        spec.padTokenId = 1;
        const Batch b = makeBatch(spec);
        for (int row = 0; row < b.batchSize; ++row)
            for (int p = 0; p < b.maxSeqLen; ++p) {
                const int32_t id = b.inputIds[size_t(row * b.maxSeqLen + p)];
                if (p < b.lengths[size_t(row)]) QVERIFY(id != 1 && id >= 1 && id < 50);
                else QCOMPARE(id, 1);
            }
    }
};

QTEST_GUILESS_MAIN(TestModelFamily)
#include "test_model_family.moc"

// The correctness anchor: HuggingFace's own outputs (bench/make_hf_fixture.py, transformers
// eager attention, fp32) for a small random BERT of every task head, reproduced by every CPU
// backend from the saved checkpoint on real positions.
#include <QtTest>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/batch/Batch.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"

using namespace bertbench;

namespace {

const std::string kFixtures = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-tiny/";

struct Expected {
    Batch batch;
    std::vector<int64_t> shape;
    std::vector<float> values;
    bool perPosition = true;
};

Expected readExpected(const std::string& path) {
    std::ifstream in(path);
    const nlohmann::json j = nlohmann::json::parse(in);
    Expected e;
    Batch& b = e.batch;
    b.batchSize = j.at("batch_size").get<int>();
    b.maxSeqLen = j.at("max_seq_len").get<int>();
    b.lengths = j.at("lengths").get<std::vector<int>>();
    for (const auto& row : j.at("input_ids"))
        for (const auto& v : row) b.inputIds.push_back(v.get<int32_t>());
    for (const auto& row : j.at("token_type_ids"))
        for (const auto& v : row) b.tokenTypeIds.push_back(v.get<int32_t>());
    for (const auto& row : j.at("attention_mask"))
        for (const auto& v : row) b.attentionMask.push_back(v.get<int32_t>());
    e.shape = j.at("shape").get<std::vector<int64_t>>();
    e.values = j.at("values").get<std::vector<float>>();
    e.perPosition = j.at("per_position").get<bool>();
    return e;
}

} // namespace

class TestHfFixture : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setCpuThreads(2); }

    void reproducesHf_data() {
        QTest::addColumn<QString>("task");
        for (const char* t : {"encoder", "mlm", "classification", "token_classification", "qa"}) {
            QTest::newRow(t) << QString(t);
        }
    }

    void reproducesHf() {
        QFETCH(QString, task);
        const std::string folder = kFixtures + task.toStdString();
        const BertWeights weights = loadHfCheckpoint(folder);
        const Expected want = readExpected(folder + "/expected.json");
        QCOMPARE(int(want.batch.inputIds.size()), want.batch.batchSize * want.batch.maxSeqLen);
        QCOMPARE(int64_t(want.values.size()), Tensor::numel(want.shape));
        const std::optional<Task> parsed = parseTask(task.toStdString());
        QVERIFY(parsed.has_value());

        BackendRegistry registry;
        registerCpuBackends(registry);
        for (const BackendInfo& info : registry.all()) {
            std::unique_ptr<Backend> backend = info.create();
            backend->loadModel(weights, DType::Float32);
            backend->prepare(*parsed, want.batch);
            backend->forward();
            const TaskOutput got = backend->output();
            QCOMPARE(got.shape, want.shape);
            QCOMPARE(got.perPosition, want.perPosition);

            // Real positions only (all of a classification output).
            double diff = 0, ref = 0, maxAbs = 0;
            const size_t width = size_t(want.shape.back());
            const size_t S = size_t(want.batch.maxSeqLen);
            for (size_t b = 0; b < size_t(want.batch.batchSize); ++b) {
                const size_t positions = want.perPosition ? size_t(want.batch.lengths[b]) : 1;
                for (size_t p = 0; p < positions; ++p)
                    for (size_t k = 0; k < width; ++k) {
                        const size_t i = want.perPosition ? (b * S + p) * width + k : b * width + k;
                        const double d = double(got.values[i]) - double(want.values[i]);
                        diff += d * d;
                        ref += double(want.values[i]) * double(want.values[i]);
                        maxAbs = std::max(maxAbs, std::abs(d));
                    }
            }
            const double rel = std::sqrt(diff / ref);
            qInfo("%s %s: rel. L2 error %.3g, max abs %.3g", info.name.c_str(), qPrintable(task), rel, maxAbs);
            QVERIFY2(rel < 1e-4, qPrintable(QString("%1: rel %2").arg(QString::fromStdString(info.name)).arg(rel)));
        }
    }

    void headsOfEachCheckpoint() {
        // Which heads each HF class saves, and the classifier routed by "architectures".
        const BertWeights enc = loadHfCheckpoint(kFixtures + "encoder");
        QVERIFY(!enc.poolerW.empty());
        QVERIFY(enc.mlmTransformW.empty() && enc.classifierW.empty() && enc.qaW.empty());
        const BertWeights mlm = loadHfCheckpoint(kFixtures + "mlm");
        QVERIFY(!mlm.mlmTransformW.empty() && !mlm.mlmDecoderB.empty());
        QCOMPARE(mlm.mlmDecoderB.shape, (std::vector<int64_t>{99}));
        const BertWeights tok = loadHfCheckpoint(kFixtures + "token_classification");
        QVERIFY(!tok.tokenClassifierW.empty() && tok.classifierW.empty());
        QCOMPARE(tok.tokenClassifierW.shape, (std::vector<int64_t>{3, 32}));
        const BertWeights cls = loadHfCheckpoint(kFixtures + "classification");
        QVERIFY(!cls.classifierW.empty() && cls.tokenClassifierW.empty() && !cls.poolerW.empty());
        const BertWeights qa = loadHfCheckpoint(kFixtures + "qa");
        QCOMPARE(qa.qaW.shape, (std::vector<int64_t>{2, 32}));
        QCOMPARE(qa.config.numLabels, 2);
        QCOMPARE(cls.config.numLabels, 3);
    }
};

QTEST_GUILESS_MAIN(TestHfFixture)
#include "test_hf_fixture.moc"

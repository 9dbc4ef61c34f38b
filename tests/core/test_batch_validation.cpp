// validateBatch: every rule refuses a bad batch with an InputError naming the field, row and
// position; a good batch (makeBatch's) passes; the CPU backends refuse through it.
#include <QtTest>

#include <memory>

#include "core/batch/Batch.h"
#include "core/batch/BatchValidation.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/util/Errors.h"
#include "core/ErrorOf.h"

using namespace bertbench;
using bertbench::testing::errorOf;

namespace {

ModelConfig smallConfig() {
    ModelConfig c = presetConfig("tiny");
    c.vocabSize = 101;
    c.maxPositions = 32;
    c.typeVocabSize = 2;
    return c;
}

// Three rows of 8 positions, lengths 8, 5, 3 (right padding), mask and token types present.
Batch goodBatch() {
    Batch b = makeBatch(BatchSpec{3, 8, 0.0, 0, 101, 7});
    b.lengths = {8, 5, 3};
    for (int r = 0; r < 3; ++r)
        for (int p = 0; p < 8; ++p) {
            const size_t i = size_t(r) * 8 + size_t(p);
            b.attentionMask[i] = p < b.lengths[size_t(r)] ? 1 : 0;
            b.inputIds[i] = p < b.lengths[size_t(r)] ? 1 + (r + p) % 99 : 0;
        }
    return b;
}

std::string refusal(const Batch& b) {
    return errorOf<InputError>([&] { validateBatch(b, smallConfig()); });
}

} // namespace

class BatchValidationTest : public QObject {
    Q_OBJECT
private slots:
    void aGoodBatchPasses() {
        validateBatch(goodBatch(), smallConfig());
        validateBatch(makeBatch(BatchSpec{16, 32, 0.5, 4, 101, 3}), smallConfig());
        Batch noOptional = goodBatch();
        noOptional.attentionMask.clear();   // optional: "every real position"
        noOptional.tokenTypeIds.clear();    // optional: zeros
        validateBatch(noOptional, smallConfig());
    }

    // Each rule broken once: the message names the field (and the row and position where there is one).
    void eachRuleNamesItsField_data() {
        QTest::addColumn<int>("rule");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty batch") << 0 << "batch size 0";
        QTest::newRow("empty rows") << 1 << "batch sequence length 0";
        QTest::newRow("too long") << 2 << "batch sequence length 40 is longer than the model's 32 positions";
        QTest::newRow("lengths size") << 3 << "batch lengths has 2 values, expected 3";
        QTest::newRow("input_ids size") << 4 << "batch input_ids has 23 values, expected 24";
        QTest::newRow("token_type_ids size") << 5 << "batch token_type_ids has 25 values, expected 24";
        QTest::newRow("attention_mask size") << 6 << "batch attention_mask has 1 values, expected 24";
        QTest::newRow("length 0") << 7 << "batch lengths: row 1 has length 0, outside 1..8";
        QTest::newRow("length past S") << 8 << "batch lengths: row 2 has length 9, outside 1..8";
        QTest::newRow("mask hole") << 9 << "batch attention_mask at row 1, position 2 is 0";
        QTest::newRow("mask on padding") << 10 << "batch attention_mask at row 2, position 6 is 1";
        QTest::newRow("left padding") << 11 << "batch attention_mask at row 2, position 0 is 0";
        QTest::newRow("id past vocab") << 12 << "batch input_ids at row 0, position 4: token id 101 is outside the vocabulary 0..100";
        QTest::newRow("negative id on padding") << 13 << "batch input_ids at row 2, position 7: token id -1";
        QTest::newRow("token type") << 14 << "batch token_type_ids at row 1, position 3: token type 2 is outside 0..1";
    }
    void eachRuleNamesItsField() {
        QFETCH(int, rule);
        QFETCH(QString, expected);
        Batch b = goodBatch();
        switch (rule) {
        case 0: b.batchSize = 0; break;
        case 1: b.maxSeqLen = 0; break;
        case 2: b = makeBatch(BatchSpec{1, 40, 0.0, 0, 101, 1}); break;
        case 3: b.lengths.pop_back(); break;
        case 4: b.inputIds.pop_back(); break;
        case 5: b.tokenTypeIds.push_back(0); break;
        case 6: b.attentionMask = {1}; break;
        case 7: b.lengths[1] = 0; break;
        case 8: b.lengths[2] = 9; break;
        case 9: b.attentionMask[8 + 2] = 0; break;
        case 10: b.attentionMask[16 + 6] = 1; break;
        case 11:   // the right count of ones, on the wrong side
            for (int p = 0; p < 8; ++p) b.attentionMask[size_t(16 + p)] = p >= 5 ? 1 : 0;
            break;
        case 12: b.inputIds[4] = 101; break;
        case 13: b.inputIds[16 + 7] = -1; break;
        case 14: b.tokenTypeIds[8 + 3] = 2; break;
        }
        const std::string message = refusal(b);
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }

    // The CPU backends refuse through validateBatch: an InputError (row status error, the message
    // naming the field), not a BackendError, and nothing is left prepared.
    void cpuBackendsRefuseABadMaskWithAnInputError() {
        BackendRegistry registry;
        registerCpuBackends(registry);
        const BertWeights w = randomWeights(smallConfig(), 1);
        Batch badMask = goodBatch();
        badMask.attentionMask[16 + 6] = 1;
        for (const BackendInfo& info : registry.all()) {
            std::unique_ptr<Backend> backend = info.create();
            backend->loadModel(w, DType::Float32);
            const std::string message = errorOf<InputError>([&] { backend->prepare(Task::Encoder, badMask); });
            QVERIFY2(message.find("batch attention_mask at row 2, position 6") != std::string::npos, message.c_str());
            QVERIFY_THROWS_EXCEPTION(BackendError, backend->forward());   // nothing prepared
            backend->prepare(Task::Encoder, goodBatch());                  // the next cell is fine
            QVERIFY(backend->forward() >= 0.0);
        }
    }
};

QTEST_GUILESS_MAIN(BatchValidationTest)
#include "test_batch_validation.moc"

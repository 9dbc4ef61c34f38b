// `verify --model DIR --reference FILE` on the committed ModernBERT checkpoints (written by
// transformers 5, tests/fixtures/hf-family/modernbert): every CPU backend matches HF's own outputs
// for every task head, with rotary positions, the 4-token window over rows of 13, 6, 9 and 1
// tokens, GeGLU and the prediction head in play.
#include <QtTest>

#include "app/CliTestSupport.h"

using namespace bertbench::cli;
using namespace bertbench::cli::test;

namespace {

const std::string kModernBert = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-family/modernbert/";

} // namespace

class TestCliVerifyModernBert : public QObject {
    Q_OBJECT
private slots:
    void everyCpuBackendMatchesHf_data() {
        QTest::addColumn<QString>("task");
        QTest::addColumn<QString>("output");
        QTest::newRow("encoder") << "encoder" << "last_hidden_state";
        QTest::newRow("mlm") << "mlm" << "logits";
        QTest::newRow("classification") << "classification" << "logits";
        QTest::newRow("token_classification") << "token_classification" << "logits";
        QTest::newRow("qa") << "qa" << "end_logits";
    }

    void everyCpuBackendMatchesHf() {
        QFETCH(QString, task);
        QFETCH(QString, output);
        const std::string dir = kModernBert + task.toStdString();
        const CliResult r = runCliCaptured({"verify", "--model", dir, "--reference", dir + "/reference.safetensors",
                                            "--backends", "cpu:eager,cpu:sdpa,cpu:flash_attention_2", "--threads", "2"});
        QVERIFY2(r.code == kExitOk, (r.out + r.err).c_str());
        QVERIFY2(contains(r.out, "(modernbert), task " + task.toStdString()), r.out.c_str());
        QVERIFY2(contains(r.out, "verify: PASS"), r.out.c_str());
        for (const char* backend : {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"})
            QVERIFY2(contains(r.out, backend), r.out.c_str());
        QVERIFY2(contains(r.out, output.toStdString()), r.out.c_str());
        QVERIFY2(!contains(r.out, "FAIL") && !contains(r.out, "not run"), r.out.c_str());
    }

    // Another task's checkpoint (other weights, same shapes) is far from this reference.
    void anotherCheckpointFails() {
        const CliResult r = runCliCaptured({"verify", "--model", kModernBert + "token_classification", "--reference",
                                            kModernBert + "encoder/reference.safetensors", "--backends", "cpu:sdpa",
                                            "--threads", "2"});
        QCOMPARE(r.code, int(kExitFailedCell));
        QVERIFY2(contains(r.out, "FAIL"), r.out.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCliVerifyModernBert)
#include "test_cli_verify_modernbert.moc"

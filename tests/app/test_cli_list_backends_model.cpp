// `list-backends --model`: per backend that runs here, the tasks of that model it cannot run and
// why, from each backend's own verdict (BackendInfo::unavailableFor). The torch:* backends are
// probed against tests/tools/mock_torch (a transformers without ElectraForQuestionAnswering and
// whose XLMRobertaForSequenceClassification has no sdpa).
#include <QtTest>

#include "app/CliTestSupport.h"

using namespace bertbench::cli;
using namespace bertbench::cli::test;

class TestCliListBackendsModel : public QObject {
    Q_OBJECT
private slots:
    void saysWhatEachBackendCannotRunOfTheModel() {
        if (std::system("python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' >/dev/null 2>&1") != 0)
            QSKIP("python3 (3.8 or newer) is not available to run the worker against the mock");
        const QByteArray oldPath = qgetenv("PYTHONPATH");
        qputenv("PYTHONPATH", QByteArray(BERTBENCH_SOURCE_DIR) + "/tests/tools/mock_torch");
        const std::string family = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-family/";
        const CliResult electra = runCliCaptured({"list-backends", "--model", family + "electra/qa"});
        const CliResult xlmr = runCliCaptured({"list-backends", "--model", "xlm-roberta-base"});
        const CliResult bert = runCliCaptured({"list-backends", "--model", "tiny"});
        if (oldPath.isEmpty()) qunsetenv("PYTHONPATH");
        else qputenv("PYTHONPATH", oldPath);

        QVERIFY2(electra.code == kExitOk, (electra.out + electra.err).c_str());
        QVERIFY2(contains(electra.out, "(electra):"), electra.out.c_str());
        QVERIFY2(contains(electra.out, "torch:sdpa cannot run qa: transformers 5.17.0-mock has no qa head for electra "
                                       "(no ElectraForQuestionAnswering)"),
                 electra.out.c_str());
        QVERIFY2(!contains(electra.out, "cannot run encoder"), electra.out.c_str());   // ElectraModel is there
        QVERIFY2(contains(xlmr.out, "torch:sdpa cannot run classification: transformers 5.17.0-mock's "
                                    "XLMRobertaForSequenceClassification does not support attn_implementation=sdpa"),
                 xlmr.out.c_str());
        QVERIFY2(!contains(xlmr.out, "torch:eager cannot run classification"), xlmr.out.c_str());
        QVERIFY2(contains(bert.out, "Model tiny (bert):"), bert.out.c_str());
        const CliResult missing = runCliCaptured({"list-backends", "--model", "/nonexistent/bertbench-model"});
        QCOMPARE(missing.code, int(kExitBadInput));
    }
};

QTEST_GUILESS_MAIN(TestCliListBackendsModel)
#include "test_cli_list_backends_model.moc"

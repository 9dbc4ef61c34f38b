// `verify --model DIR --reference FILE`: the CPU backends against HuggingFace's own outputs of a
// checkpoint (tests/fixtures/hf-family, written by transformers), one line per backend × output;
// a reference of another model fails, a broken file is bad input naming it, and a model a backend
// says it cannot run is refused before anything is measured, with the backend's reason.
#include <QtTest>

#include "app/CliTestSupport.h"
#include "app/cli/RunPlan.h"
#include "core/cpu/CpuBackends.h"

using namespace bertbench::cli;
using namespace bertbench::cli::test;

namespace {

const std::string kFamily = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/hf-family/";

CliResult verifyReference(const std::string& model, const std::string& reference, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"verify", "--model", kFamily + model, "--reference", kFamily + reference,
                                  "--backends", "cpu:eager,cpu:sdpa,cpu:flash_attention_2", "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return runCliCaptured(args);
}

} // namespace

class TestCliVerifyReference : public QObject {
    Q_OBJECT
private slots:
    void everyCpuBackendMatchesHf_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("output");
        QTest::newRow("roberta mlm") << "roberta/mlm" << "logits";
        QTest::newRow("xlm-roberta encoder") << "xlm-roberta/encoder" << "last_hidden_state";
        QTest::newRow("camembert classification") << "camembert/classification" << "logits";
        QTest::newRow("distilbert token classification") << "distilbert/token_classification" << "logits";
        QTest::newRow("electra qa") << "electra/qa" << "end_logits";
    }

    void everyCpuBackendMatchesHf() {
        QFETCH(QString, folder);
        QFETCH(QString, output);
        const std::string dir = folder.toStdString();
        const CliResult r = verifyReference(dir, dir + "/reference.safetensors");
        QVERIFY2(r.code == kExitOk, (r.out + r.err).c_str());
        QVERIFY2(contains(r.out, "verify: PASS"), r.out.c_str());
        for (const char* backend : {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"})
            QVERIFY2(contains(r.out, backend), r.out.c_str());
        QVERIFY2(contains(r.out, output.toStdString()), r.out.c_str());
    }

    void anotherModelsReferenceFails() {
        // Same shapes, other weights: every output is far from HF's.
        const CliResult r = verifyReference("distilbert/encoder", "roberta/encoder/reference.safetensors");
        QCOMPARE(r.code, int(kExitFailedCell));
        QVERIFY2(contains(r.out, "FAIL"), r.out.c_str());
    }

    void aBrokenReferenceIsBadInput() {
        const CliResult missing = verifyReference("roberta/qa", "roberta/qa/config.json");
        QCOMPARE(missing.code, int(kExitBadInput));
        QVERIFY2(contains(missing.err, "config.json"), missing.err.c_str());
        const CliResult wrongTask = verifyReference("roberta/qa", "roberta/qa/reference.safetensors", {"--task", "mlm"});
        QCOMPARE(wrongTask.code, int(kExitBadInput));
        QVERIFY2(contains(wrongTask.err, "holds no output of task mlm"), wrongTask.err.c_str());
    }

    void aBackendThatCannotRunTheModelIsRefusedBeforeMeasuring() {
        // A GPU-like backend (CI has no GPU) that says it cannot run this model's task, as cuda:* does
        // for a head dim its kernel lacks and torch:* for a head transformers has not: the plan check
        // refuses it naming the model, the task and the reason; a backend that can is not named.
        bertbench::BackendRegistry registry;
        bertbench::registerCpuBackends(registry);
        bertbench::BackendInfo gpu;
        gpu.name = "cuda:sdpa";
        gpu.device = "cuda";
        gpu.attention = "sdpa";
        gpu.dtypes = {bertbench::DType::Float32};
        gpu.create = [] { return std::unique_ptr<bertbench::Backend>(); };
        gpu.unavailableFor = [](const bertbench::ModelConfig& m, bertbench::Task task) -> std::string {
            if (task != bertbench::Task::Encoder) return "";
            return "cuda:sdpa supports head dims 32, 64 and 128 (got " + std::to_string(m.headDim()) + ")";
        };
        registry.add(gpu);
        RunPlan plan;
        plan.spec.models = {kFamily + "distilbert/encoder"};
        plan.spec.baseline = "cpu:eager";
        plan.spec.candidates = {"cpu:sdpa", "cuda:sdpa"};
        plan.spec.seqLens = {16};
        std::string all;
        for (const std::string& p : checkRunPlan(plan, registry)) all += p + "\n";
        QVERIFY2(contains(all, "--backends: cuda:sdpa cannot run " + kFamily +
                                   "distilbert/encoder (distilbert) for encoder: cuda:sdpa supports head dims 32, 64 "
                                   "and 128 (got 16)"),
                 all.c_str());
        QVERIFY2(!contains(all, "cpu:sdpa"), all.c_str());   // the CPU reference runs the family
        // The family itself is no reason any more: a task the backend can run passes.
        plan.spec.tasks = {bertbench::Task::Classification};
        QVERIFY2(checkRunPlan(plan, registry).empty(), all.c_str());
    }
};

QTEST_GUILESS_MAIN(TestCliVerifyReference)
#include "test_cli_verify_reference.moc"

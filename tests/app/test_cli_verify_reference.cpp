// `verify --model DIR --reference FILE`: the CPU backends against HuggingFace's own outputs of a
// checkpoint (tests/fixtures/hf-family, written by transformers), one line per backend × output;
// a reference of another model fails, a broken file is bad input naming it, a model a backend
// says it cannot run is refused before anything is measured, with the backend's reason, and HF's
// own half-precision outputs stored beside the reference set the half types' bound.
#include <QtTest>

#include <cstring>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "app/CliTestSupport.h"
#include "app/cli/RunPlan.h"
#include "app/cli/VerifyReference.h"
#include "core/cpu/CpuBackends.h"
#include "core/model/HfReference.h"

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

// A copy of `reference` with extra F32 tensors appended (what make_hf_family.py adds on a GPU),
// written to `path`: the header gets their entries, the data their bytes after the file's own.
void appendTensors(const std::string& reference, const std::string& path,
                   const std::vector<std::pair<std::string, std::vector<float>>>& extra,
                   const std::vector<int64_t>& shape) {
    std::ifstream in(reference, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    uint64_t headerLength = 0;
    std::memcpy(&headerLength, bytes.data(), 8);
    nlohmann::json header = nlohmann::json::parse(std::string(bytes.data() + 8, size_t(headerLength)));
    std::vector<char> data(bytes.begin() + 8 + int64_t(headerLength), bytes.end());
    for (const auto& [name, values] : extra) {
        const size_t begin = data.size();
        data.resize(begin + values.size() * sizeof(float));
        std::memcpy(data.data() + begin, values.data(), values.size() * sizeof(float));
        header[name] = {{"dtype", "F32"}, {"shape", shape}, {"data_offsets", {begin, data.size()}}};
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    const uint64_t length = text.size();
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(&length), 8);
    out.write(text.data(), std::streamsize(text.size()));
    out.write(data.data(), std::streamsize(data.size()));
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

    void halfTypesAreBoundByHfsOwnErrorWhereTheFileHoldsIt() {
        using bertbench::DType;
        QCOMPARE(referenceTolerance(DType::Float16, std::nullopt), 3e-3);
        QCOMPARE(referenceTolerance(DType::Float16, 1e-3), 3e-3);      // HF within the usual: the usual
        QCOMPARE(referenceTolerance(DType::Float16, 4e-3), 1.5 * 4e-3);  // HF past it: 1.5 × HF's own
        QCOMPARE(referenceTolerance(DType::BFloat16, 3e-2), 1.5 * 3e-2);
        QCOMPARE(referenceTolerance(DType::BFloat16, std::nan("")), 2e-2);
        QCOMPARE(referenceTolerance(DType::Float32, std::nullopt), 1e-4);
        // A half type failing against a file without HF's run in it gets a hint; nothing else does.
        QVERIFY(halfTypeHint({}).empty());
        QVERIFY(halfTypeHint({DType::Float32}).empty());
        const std::string bf16 = halfTypeHint({DType::BFloat16, DType::BFloat16});
        QVERIFY2(bf16.find("no HF run in bf16,") != std::string::npos && bf16.find("<name>.hf_bf16") != std::string::npos,
                 bf16.c_str());
        const std::string both = halfTypeHint({DType::Float16, DType::Float32, DType::BFloat16});
        QVERIFY2(both.find("fp16 and bf16") != std::string::npos, both.c_str());
    }

    void hfsOwnHalfOutputsBesideTheReference() {
        // electra/qa's reference plus HF's own "fp16" outputs (here: HF's fp32 ones, 1 % off).
        const std::string dir = kFamily + "electra/qa";
        const bertbench::HfReference original = bertbench::loadHfReference(dir + "/reference.safetensors");
        const bertbench::Tensor& start = original.outputs.at("start_logits");
        const bertbench::Tensor& end = original.outputs.at("end_logits");
        std::vector<float> start16 = start.data, end16 = end.data;
        for (float& v : start16) v *= 1.01f;
        for (float& v : end16) v *= 1.01f;
        QTemporaryDir tmp;
        const std::string path = tmp.filePath("reference.safetensors").toStdString();
        appendTensors(dir + "/reference.safetensors", path,
                      {{"start_logits.hf_fp16", start16}, {"end_logits.hf_fp16", end16}}, start.shape);

        const bertbench::HfReference r = bertbench::loadHfReference(path);
        QVERIFY(bertbench::hasVariant(r, bertbench::Task::Qa, "hf_fp16"));
        QVERIFY(!bertbench::hasVariant(r, bertbench::Task::Qa, "hf_bf16"));
        const bertbench::TaskOutput hf16 = bertbench::expectedOutput(r, bertbench::Task::Qa, "hf_fp16");
        const bertbench::TaskOutput hf32 = bertbench::expectedOutput(r, bertbench::Task::Qa);
        QCOMPARE(hf16.values.size(), hf32.values.size());
        QCOMPARE(hf16.values[1], end16[0]);   // start and end interleaved, as HF's fp32 ones
        QCOMPARE(hf32.values[1], end.data[0]);
        // The extra tensors change neither the task nor the fp32 verdict; the table shows HF's own
        // column ("-": no fp32 run of HF's is stored).
        const CliResult cli = runCliCaptured({"verify", "--model", dir, "--reference", path, "--backends", "cpu:eager",
                                              "--threads", "2"});
        QVERIFY2(cli.code == kExitOk, (cli.out + cli.err).c_str());
        QVERIFY2(contains(cli.out, "task qa") && contains(cli.out, "HF's own"), cli.out.c_str());
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

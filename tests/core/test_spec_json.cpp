// Sweep specs as JSON: round trip, defaults, and every error path naming its field.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/ErrorOf.h"
#include "core/RunSamples.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SpecJson.h"
#include "core/util/Errors.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {

template <typename F>
std::string inputErrorOf(F f) {
    return testing::errorOf<InputError>(f);
}

SweepSpec customSpec() {
    SweepSpec s;
    s.models = {"/models/bert \"base\""};
    s.tasks = {Task::Qa, Task::Encoder, Task::TokenClassification};
    s.baseline = "cuda:eager";
    s.candidates = {"cuda:flash_attention_2"};
    s.dtype = DType::BFloat16;
    s.baselineDType = DType::Float32;
    s.batchSizes = {3, 1, 4096};
    s.seqLens = {7, 512};
    s.pads = {0.0, 1.0 / 3.0, 0.999};
    s.seqlenStdev = 0.1 + 0.2;
    s.warmup = 0;
    s.numBatches = 1;
    s.seed = 18446744073709551615ull;
    s.cudaGraphs = true;
    s.memoryLimitMb = 8000;
    s.cellTimeoutS = 12.5;
    return s;
}

std::string specDiff(const SweepSpec& a, const SweepSpec& b) {
    Diff d;
    diffSpec(d, a, b);
    return d.text();
}

} // namespace

class SpecJsonTest : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        for (const SweepSpec& spec : {SweepSpec{}, customSpec()}) {
            const std::string json = specToJson(spec);
            const std::string diff = specDiff(spec, specFromJson(json, "spec.json"));
            QVERIFY2(diff.empty(), diff.c_str());
        }
    }

    void severalModelsRoundTripAndOneIsWrittenAsBefore() {
        SweepSpec s;
        s.models = {"tiny", "/ckpt/distil bert"};
        const std::string json = specToJson(s);
        QVERIFY(json.find("\"models\": [") != std::string::npos);
        QVERIFY(json.find("\"model\":") == std::string::npos);
        QCOMPARE(specFromJson(json, "spec.json").models, s.models);
        s.models = {"bert-base"};
        QVERIFY(specToJson(s).find("\"model\": \"bert-base\"") != std::string::npos);   // older readers read it
        QCOMPARE(specFromJson(R"({"model": "bert-large"})", "x").models, std::vector<std::string>{"bert-large"});
    }

    void keysInDocumentedOrder() {
        const std::string json = specToJson(SweepSpec{});
        const auto j = nlohmann::ordered_json::parse(json);
        std::vector<std::string> keys;
        for (const auto& [k, v] : j.items()) keys.push_back(k);
        QCOMPARE(keys, (std::vector<std::string>{"model", "tasks", "baseline", "candidates", "dtype", "batch_sizes",
                                                 "seq_lens", "pads", "seqlen_stdev", "warmup", "num_batches", "seed",
                                                 "cuda_graphs", "memory_limit_mb", "cell_timeout_s",
                                                 "profile", "max_noise_pct", "min_time_s", "max_time_s",
                                                 "interleave"}));
        QCOMPARE(j.at("tasks").at(0).get<std::string>(), std::string("encoder"));
        QCOMPARE(j.at("dtype").get<std::string>(), std::string("fp32"));
    }

    void missingKeysKeepDefaults() {
        QVERIFY(specDiff(SweepSpec{}, specFromJson("{}", "s.json")).empty());
        SweepSpec expected;
        expected.warmup = 5;
        expected.pads = {0.25};
        expected.dtype = DType::Float16;
        QVERIFY(specDiff(expected, specFromJson(R"({"warmup": 5, "pads": [0.25], "dtype": "float16"})", "s.json")).empty());
        // Integral floats are integers.
        QCOMPARE(specFromJson(R"({"batch_sizes": [2.0, 4]})", "s.json").batchSizes, (std::vector<int>{2, 4}));
    }

    void errors_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");   // fragments separated by '|'
        // Parsing.
        QTest::newRow("not json") << "{\"warmup\": }" << "spec.json: not valid JSON|syntax error";
        QTest::newRow("truncated") << "{\"warmup\": 3" << "spec.json: not valid JSON";
        QTest::newRow("not an object") << "[1, 2]" << "spec.json: expected a JSON object, got [1,2]";
        // Keys and types.
        QTest::newRow("unknown key") << R"({"batch_size": [1]})"
                                     << "spec.json: batch_size: unknown key (allowed keys: model, models, tasks, baseline, "
                                        "baseline_dtype, candidates, dtype, batch_sizes, seq_lens, pads, seqlen_stdev, warmup, "
                                        "num_batches, seed, cuda_graphs, memory_limit_mb, cell_timeout_s, profile, "
                                        "max_noise_pct, min_time_s, max_time_s, interleave";
        QTest::newRow("model and models") << R"({"model": "tiny", "models": ["tiny", "bert-base"]})"
                                          << "spec.json: models: give either \"model\" (one) or \"models\" (a list), not both";
        QTest::newRow("model twice") << R"({"models": ["tiny", "tiny"]})" << "models[1]: model 'tiny' is listed twice";
        QTest::newRow("element type") << R"({"batch_sizes": [1, 2, "x"]})"
                                      << "spec.json: batch_sizes[2]: expected an integer, got \"x\"";
        QTest::newRow("fraction") << R"({"seq_lens": [128.5]})" << "seq_lens[0]: expected an integer, got 128.5";
        QTest::newRow("int overflow") << R"({"warmup": 3000000000})" << "warmup: expected an integer from";
        QTest::newRow("not a list") << R"({"batch_sizes": 8})" << "batch_sizes: expected an array, got 8";
        QTest::newRow("tasks string") << R"({"tasks": "encoder"})" << "tasks: expected an array, got \"encoder\"";
        QTest::newRow("bad task") << R"({"tasks": ["encoder", "mlmx"]})"
                                  << "tasks[1]: unknown task \"mlmx\" (allowed: encoder, mlm, classification, "
                                     "token_classification, qa)";
        QTest::newRow("bad dtype") << R"({"dtype": "fp4"})" << "dtype: unknown dtype \"fp4\" (allowed: fp32, fp16, bf16, fp8)";
        QTest::newRow("bad baseline dtype") << R"({"baseline_dtype": 32})" << "baseline_dtype: ";
        QTest::newRow("model type") << R"({"model": 5})" << "model: expected a string, got 5";
        QTest::newRow("candidate type") << R"({"candidates": ["cpu:sdpa", null]})"
                                        << "candidates[1]: expected a string, got null";
        QTest::newRow("pad type") << R"({"pads": [0, "0.1"]})" << "pads[1]: expected a number, got \"0.1\"";
        QTest::newRow("stdev type") << R"({"seqlen_stdev": true})" << "seqlen_stdev: expected a number, got true";
        QTest::newRow("bool type") << R"({"cuda_graphs": "yes"})" << "cuda_graphs: expected true or false, got \"yes\"";
        QTest::newRow("negative seed") << R"({"seed": -1})" << "seed: expected a non-negative integer, got -1";
        QTest::newRow("limit type") << R"({"memory_limit_mb": "8G"})" << "memory_limit_mb: expected an integer";
        QTest::newRow("timeout type") << R"({"cell_timeout_s": [1]})" << "cell_timeout_s: expected a number";
        QTest::newRow("noise type") << R"({"max_noise_pct": "2%"})" << "max_noise_pct: expected a number";
        QTest::newRow("interleave type") << R"({"interleave": 1})" << "interleave: expected true or false, got 1";
        QTest::newRow("max time range") << R"({"max_noise_pct": 2, "max_time_s": -1})" << "max_time_s: maximum time -1 s";
        QTest::newRow("all type problems") << R"({"warmup": "a", "bogus": 1, "pads": ["x", 0.1, "y"]})"
                                           << "4 problems|warmup: expected an integer|bogus: unknown key|"
                                              "pads[0]: expected a number, got \"x\"|pads[2]: expected a number";
        // Ranges, through validateSpec.
        QTest::newRow("batch 0") << R"({"batch_sizes": [1, 0]})" << "spec.json: batch_sizes[1]: |out of range";
        QTest::newRow("pad 1") << R"({"pads": [1.0]})" << "pads[0]: |[0, 1)";
        QTest::newRow("num_batches 0") << R"({"num_batches": 0})" << "num_batches: ";
        QTest::newRow("warmup negative") << R"({"warmup": -1})" << "warmup: ";
        QTest::newRow("empty tasks") << R"({"tasks": []})" << "tasks: ";
        QTest::newRow("negative limit") << R"({"memory_limit_mb": -5})" << "memory_limit_mb: ";
        QTest::newRow("all range problems") << R"({"batch_sizes": [0], "seq_lens": [0], "num_batches": 0})"
                                            << "3 problems|batch_sizes[0]: |seq_lens[0]: |num_batches: ";
    }
    void errors() {
        QFETCH(QString, json);
        QFETCH(QString, expected);
        const std::string msg = inputErrorOf([&] { specFromJson(json.toStdString(), "spec.json"); });
        for (const QString& fragment : expected.split('|'))
            QVERIFY2(msg.find(fragment.toStdString()) != std::string::npos,
                     notIn(fragment.toStdString(), msg).c_str());
    }

    void fileRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("spec.json").toStdString();
        saveSpecFile(customSpec(), path);
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"spec.json"});
        const std::string diff = specDiff(customSpec(), loadSpecFile(path));
        QVERIFY2(diff.empty(), diff.c_str());
        // Saving again replaces the file.
        saveSpecFile(SweepSpec{}, path);
        QVERIFY(specDiff(SweepSpec{}, loadSpecFile(path)).empty());
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"spec.json"});
    }

    void fileErrorsNameThePath() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("missing.json").toStdString();
        std::string msg = inputErrorOf([&] { loadSpecFile(missing); });
        QVERIFY2(msg.find(missing) != std::string::npos, msg.c_str());
        const std::string bad = dir.filePath("bad.json").toStdString();
        writeFileAtomic(bad, R"({"pads": [2]})");
        msg = inputErrorOf([&] { loadSpecFile(bad); });
        QVERIFY2(msg.find(bad + ": pads[0]: ") != std::string::npos, msg.c_str());
    }

    void presetsInResourcesLoad() {
        const QDir presets(QStringLiteral(BERTBENCH_SOURCE_DIR "/resources/presets"));
        for (const QString& name : presets.entryList({"*.json"}, QDir::Files)) {
            const std::string path = presets.filePath(name).toStdString();
            try {
                loadSpecFile(path);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
        }
    }
};

QTEST_GUILESS_MAIN(SpecJsonTest)
#include "test_spec_json.moc"

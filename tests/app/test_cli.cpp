// bertbench-cli, in process, up to the plan: the dispatcher, every command's help, flag parsing
// and its errors, and run's flags → spec (defaults, --spec + overrides, torch:* names).
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/CliSuiteHelpers.h"
#include "app/cli/Command.h"
#include "core/results/RunFiles.h"
#include "core/sweep/SpecJson.h"

using namespace bertbench;
using namespace bertbench::cli;
using namespace bertbench::cli::test;
namespace fs = std::filesystem;

using Result = test::CliResult;

class TestCli : public QObject {
    Q_OBJECT

private slots:
    // --- dispatcher ---------------------------------------------------------------------------
    void overviewVersionAndUnknownCommand() {
        Result r = runCliCaptured({"--help"});
        QCOMPARE(r.code, kExitOk);
        for (const char* command : {"run", "demo", "verify", "list-backends", "info", "summary", "convert", "merge", "slurm"})
            EXPECT_CONTAINS(r.out, command);
        QVERIFY(!contains(r.out, "__worker"));   // the hidden worker command is not offered

        r = runCliCaptured({"--version"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, BERTBENCH_VERSION);

        r = runCliCaptured({"frobnicate"});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "unknown command 'frobnicate'");

        r = runCliCaptured({});
        QCOMPARE(r.code, kExitBadInput);
    }

    void everyCommandHasHelp() {
        for (const char* command : {"run", "demo", "list-backends", "info", "summary", "convert", "merge", "slurm"}) {
            for (const char* flag : {"--help", "-h"}) {
                const Result r = runCliCaptured({command, flag});
                QCOMPARE(r.code, kExitOk);
                EXPECT_CONTAINS(r.out, std::string("Usage: bertbench-cli ") + command);
            }
        }
        const Result r = runCliCaptured({"help", "run"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "--num-batches");
        EXPECT_CONTAINS(r.out, "--task encoder");   // the mlm/encoder note is in run's help
    }

    // --- the parser -------------------------------------------------------------------------------
    void parserForms() {
        const std::vector<OptionDef> options{{"--count", "N", "", {"-c"}}, {"--flag", "", ""}};
        ParsedArgs p = parseArgs({"--count=3", "pos", "--flag", "--", "--not-an-option"}, options);
        QCOMPARE(*p.value("--count"), std::string("3"));
        QVERIFY(p.has("--flag"));
        QCOMPARE(p.positionals, (std::vector<std::string>{"pos", "--not-an-option"}));

        p = parseArgs({"-c", "4", "--count", "5"}, options);   // an alias; the last value wins
        QCOMPARE(*p.value("--count"), std::string("5"));
        QCOMPARE(p.spelling("--count"), std::string("--count"));
        p = parseArgs({"--count", "-7"}, options);              // a negative number is a value
        QCOMPARE(*p.value("--count"), std::string("-7"));

        auto usageError = [&](const CommandArgs& args) -> std::string {
            try {
                parseArgs(args, options);
            } catch (const UsageError& e) {
                return e.what();
            }
            return "NO ERROR";
        };
        EXPECT_CONTAINS(usageError({"--cuont", "1"}), "unknown option --cuont (did you mean --count?)");
        EXPECT_CONTAINS(usageError({"--count"}), "--count needs a value");
        EXPECT_CONTAINS(usageError({"--count", "--flag"}), "--count needs a value");
        EXPECT_CONTAINS(usageError({"--flag=yes"}), "--flag is a switch and takes no value");

        QCOMPARE(parseIntList("--x", "1, 2,4"), (std::vector<int>{1, 2, 4}));
        QCOMPARE(parseNumberList("--x", "0,0.5"), (std::vector<double>{0.0, 0.5}));
        QVERIFY_THROWS_EXCEPTION(UsageError, parseIntList("--x", "1,,2"));
        QVERIFY_THROWS_EXCEPTION(UsageError, parseIntList("--x", "1,a"));
        QVERIFY_THROWS_EXCEPTION(UsageError, parseInteger("--x", "99999999999999999999", 0, 10));
    }

    // --- run: flags → spec (no measuring) ---------------------------------------------------------
    void oldScriptDefaultsAndSingleCellMode() {
        RunPlan p = plan({"--device", "cpu"});
        QCOMPARE(p.spec.models, std::vector<std::string>{"tiny"});
        QCOMPARE(p.spec.baseline, std::string("cpu:eager"));
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:sdpa"}));
        QCOMPARE(p.spec.numBatches, 50);
        QCOMPARE(p.spec.warmup, 2);
        QCOMPARE(p.spec.seqlenStdev, 10.0);
        QCOMPARE(p.spec.batchSizes, (std::vector<int>{64}));
        QCOMPARE(p.spec.seqLens, (std::vector<int>{512}));
        QCOMPARE(p.spec.pads, (std::vector<double>{0.0}));
        QCOMPARE(p.spec.tasks, (std::vector<Task>{Task::Encoder}));
        QVERIFY(p.spec.dtype == DType::Float32);

        p = plan({"--device", "cpu", "--batch-size", "8", "--max-seqlen", "128", "--avg-seqlen", "96"});
        QCOMPARE(p.spec.batchSizes, (std::vector<int>{8}));
        QCOMPARE(p.spec.seqLens, (std::vector<int>{128}));
        QCOMPARE(p.spec.pads, (std::vector<double>{0.25}));

        p = plan({"--device", "cpu", "--sweep", "--task", "mlm", "--optimization", "flash_attention_2"});
        QCOMPARE(cellsOf(p.spec).size(), size_t(120));
        QCOMPARE(p.spec.tasks, (std::vector<Task>{Task::Mlm}));
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:flash_attention_2"}));

        p = plan({"--use-cuda", "--use-half"});
        QCOMPARE(p.device, std::string("cuda"));
        QCOMPARE(p.spec.baseline, std::string("cuda:eager"));
        QCOMPARE(p.spec.models, std::vector<std::string>{"bert-base"});
        QVERIFY(p.spec.dtype == DType::Float16);

        p = plan({"--device", "cpu", "--backends", "sdpa,flash_attention_2", "--model-name", "bert-large-uncased",
                  "--tasks", "encoder,qa", "--seed", "7"});
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:sdpa", "cpu:flash_attention_2"}));
        QCOMPARE(p.spec.models, std::vector<std::string>{"bert-large"});
        QCOMPARE(p.spec.tasks, (std::vector<Task>{Task::Encoder, Task::Qa}));
        QCOMPARE(p.spec.seed, uint64_t(7));

        p = plan({"--device", "cpu", "--models", "tiny,bert-base-uncased"});
        QCOMPARE(p.spec.models, (std::vector<std::string>{"tiny", "bert-base"}));
    }

    void specFileWithOverrides() {
        QTemporaryDir tmp;
        const std::string specPath = dir(tmp, "sweep.json");
        std::ofstream(specPath) << R"({"model": "tiny", "baseline": "cpu:eager", "candidates": ["cpu:flash_attention_2"],
            "batch_sizes": [1, 2], "seq_lens": [32], "pads": [0, 0.5], "num_batches": 2, "warmup": 1, "seed": 3})";

        RunPlan p = plan({"--spec", specPath, "--batch-sizes", "3", "--warmup", "0"});
        QCOMPARE(p.spec.batchSizes, (std::vector<int>{3}));          // overridden
        QCOMPARE(p.spec.warmup, 0);                                   // overridden
        QCOMPARE(p.spec.pads, (std::vector<double>{0.0, 0.5}));       // from the file
        QCOMPARE(p.spec.numBatches, 2);
        QCOMPARE(p.spec.seed, uint64_t(3));
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:flash_attention_2"}));

        // --device moves the file's backends; --optimization replaces its candidates.
        p = plan({"--spec", specPath, "--device", "cuda"});
        QCOMPARE(p.spec.baseline, std::string("cuda:eager"));
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cuda:flash_attention_2"}));
        QCOMPARE(p.spec.models, std::vector<std::string>{"tiny"});   // the file's, not cuda's default
        p = plan({"--spec", specPath, "--optimization", "sdpa"});
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:sdpa"}));

        // And for real: the file's grid with one override, measured and saved.
        const std::string out = dir(tmp, "run");
        const Result r = runCliCaptured({"run", "--spec", specPath, "--pads", "0.25", "--threads", "2", "--quiet", "--out", out});
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        const Run run = readRunFile(out + "/run.json");
        QCOMPARE(run.spec.pads, (std::vector<double>{0.25}));
        QCOMPARE(run.spec.batchSizes, (std::vector<int>{1, 2}));
        QCOMPARE(run.rows.size(), size_t(2));
        for (const ResultRow& row : run.rows) {
            QCOMPARE(toString(row.status), std::string("ok"));
            QCOMPARE(row.candidate.backend, std::string("cpu:flash_attention_2"));
            QCOMPARE(row.candidate.latency.samples, 2);
        }

        // A spec file with a bad field: exit 2, the field named.
        std::ofstream(dir(tmp, "bad.json")) << R"({"batch_sizes": [1, "x"]})";
        const Result bad = runCliCaptured({"run", "--spec", dir(tmp, "bad.json")});
        QCOMPARE(bad.code, kExitBadInput);
        EXPECT_CONTAINS(bad.err, "batch_sizes[1]");
    }

    // --- run: bad input → exit 2, the flag and its range named, nothing measured -----------------
    void badFlagsExitTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("unknown flag") << QStringList{"--num-batch", "3"}
                                      << QStringList{"unknown option --num-batch", "did you mean --num-batches?"};
        QTest::newRow("not an integer") << QStringList{"--num-batches", "many"}
                                        << QStringList{"--num-batches", "expected an integer"};
        QTest::newRow("zero batches") << QStringList{"--num-batches", "0"} << QStringList{"--num-batches", "1..100000"};
        QTest::newRow("batch size") << QStringList{"--batch-sizes", "1,0"} << QStringList{"--batch-sizes", "1..4096"};
        QTest::newRow("too long for tiny") << QStringList{"--seq-lens", "1024"} << QStringList{"--seq-lens", "1..512"};
        QTest::newRow("pad") << QStringList{"--pads", "0,1"} << QStringList{"--pads", "[0, 1)"};
        QTest::newRow("avg > max") << QStringList{"--max-seqlen", "64", "--avg-seqlen", "100"}
                                   << QStringList{"--avg-seqlen", "1..64"};
        QTest::newRow("device") << QStringList{"--device", "tpu"} << QStringList{"--device", "cpu, cuda"};
        QTest::newRow("task") << QStringList{"--task", "translation"} << QStringList{"--task", "unknown task"};
        QTest::newRow("optimization") << QStringList{"--optimization", "xformers"}
                                      << QStringList{"--optimization", "sdpa, flash_attention_2"};
        QTest::newRow("backend") << QStringList{"--backends", "cpu:magic"}
                                 << QStringList{"--backends", "unknown backend 'cpu:magic'", "cpu:sdpa"};
        QTest::newRow("dtype on cpu") << QStringList{"--use-half"} << QStringList{"--dtype", "fp16"};
        QTest::newRow("baseline dtype on cpu") << QStringList{"--baseline", "cpu:eager:bf16"}
                                               << QStringList{"--baseline cpu:eager bf16: cpu:eager does not support bf16"};
        QTest::newRow("baseline dtype unknown") << QStringList{"--baseline", "cpu:eager:fp99"}
                                                << QStringList{"--baseline cpu:eager:fp99: unknown data type 'fp99'"};
        QTest::newRow("model") << QStringList{"--model", "no-such-model"} << QStringList{"--model", "tiny"};
        QTest::newRow("model and models") << QStringList{"--models", "tiny,bert-base"}
                                          << QStringList{"--model, --model-name and --models all name the models"};
        QTest::newRow("models") << QStringList{"--model-name", "tiny", "--models", "tiny"} << QStringList{"give one of them"};
        QTest::newRow("threads") << QStringList{"--threads", "-2"} << QStringList{"--threads", "0..4096"};
        QTest::newRow("switch with value") << QStringList{"--sweep=yes"} << QStringList{"--sweep", "takes no value"};
        QTest::newRow("stray argument") << QStringList{"extra"} << QStringList{"unexpected argument 'extra'"};
        QTest::newRow("all problems at once")
            << QStringList{"--batch-sizes", "0", "--pads", "2", "--warmup", "-1"}
            << QStringList{"--batch-sizes", "--pads", "--warmup", "3 problems"};
    }

    void badFlagsExitTwo() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expected);
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "never");
        CommandArgs argv{"run", "--device", "cpu", "--model", "tiny", "--out", out};
        for (const QString& a : args) argv.push_back(a.toStdString());
        const Result r = runCliCaptured(argv);
        QCOMPARE(r.code, kExitBadInput);
        for (const QString& e : expected) EXPECT_CONTAINS(r.err, e.toStdString());
        QVERIFY2(!fs::exists(out), "nothing may be written for bad input");
    }

    // The baseline in its own data type: the suffix parsed off the name, written to the spec (and
    // so to run.json); a plain name leaves it unset.
    void baselineWithItsOwnDataType() {
        const RunPlan p = plan({"--device", "cpu", "--baseline", "cpu:eager:fp32", "--backends", "sdpa"});
        QCOMPARE(p.spec.baseline, std::string("cpu:eager"));
        QVERIFY(p.spec.baselineDType == DType::Float32);
        QVERIFY(specToJson(p.spec).find("\"baseline_dtype\": \"fp32\"") != std::string::npos);
        QVERIFY(!plan({"--device", "cpu", "--baseline", "cpu:eager"}).spec.baselineDType);
        QVERIFY(!plan({"--device", "cpu", "--baseline", "eager"}).spec.baselineDType);   // cpu:eager
        const RunPlan short_ = plan({"--device", "cpu", "--baseline", "eager:fp32"});   // the device added
        QCOMPARE(short_.spec.baseline, std::string("cpu:eager"));
        QVERIFY(short_.spec.baselineDType == DType::Float32);
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "run");
        const Result r = runCliCaptured({"run", "--device", "cpu", "--model", "tiny", "--baseline", "cpu:eager:fp32",
                                         "--backends", "sdpa", "--batch-sizes", "1", "--seq-lens", "16", "--pads", "0",
                                         "--num-batches", "2", "--warmup", "0", "--out", out});
        QCOMPARE(r.code, 0);
        EXPECT_CONTAINS(r.out, "baseline cpu:eager fp32 vs cpu:sdpa");   // the header, before the rows
        QVERIFY(readRunFile(out + "/run.json").spec.baselineDType == DType::Float32);
    }

    void torchPlanKeepsTorchNames() {
        // --device moves a spec file's cpu:/cuda: backends, never torch:* ones.
        QTemporaryDir tmp;
        const std::string spec = dir(tmp, "spec.json");
        {
            std::ofstream f(spec);
            f << R"({"baseline": "torch:eager", "candidates": ["cpu:sdpa", "torch:sdpa+compile"]})";
        }
        const RunPlan p = plan({"--spec", spec, "--device", "cpu", "--python", "/opt/py/bin/python3"});
        QCOMPARE(p.spec.baseline, std::string("torch:eager"));
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:sdpa", "torch:sdpa+compile"}));
        QCOMPARE(p.python, std::string("/opt/py/bin/python3"));
        QVERIFY(p.deviceGiven);
        QVERIFY(namesTorchBackend(p.spec));
        // Without --device, a torch:* baseline in the file leaves the device to this machine's default.
        const RunPlan q = plan({"--spec", spec});
        QVERIFY(q.device == "cpu" || q.device == "cuda");
        QVERIFY(!q.deviceGiven);
        QVERIFY(!namesTorchBackend(plan({"--device", "cpu"}).spec));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

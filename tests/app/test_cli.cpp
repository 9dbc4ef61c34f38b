// bertbench-cli, in process: the dispatcher, flag parsing and its errors, run (single cell,
// --sweep, --spec + overrides, failing cells), list-backends, info, summary and convert.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/cli/ArgParser.h"
#include "app/cli/Command.h"
#include "app/CliTestSupport.h"
#include "app/cli/RunPlan.h"
#include "app/common/Backends.h"
#include "core/results/RunFiles.h"

using namespace bertbench;
using namespace bertbench::cli;
namespace fs = std::filesystem;

namespace {

const std::string kSeedFixtures = std::string(BERTBENCH_FIXTURES_DIR) + "/seed-csv";

using Result = test::CliResult;
using test::contains;
using test::runCliCaptured;

std::vector<std::string> fileLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

RunPlan plan(const CommandArgs& args) {
    static const BackendRegistry registry = app::makeRegistry();
    return planRun(parseArgs(args, runHelp().options), registry);
}

std::string dir(const QTemporaryDir& tmp, const std::string& name = "") {
    return (fs::path(tmp.path().toStdString()) / name).string();
}

// A small, quick single-cell run's flags (CPU, tiny).
CommandArgs quickRun(const std::string& out) {
    return {"run", "--device", "cpu", "--model", "tiny", "--batch-size", "2", "--max-seqlen", "32", "--avg-seqlen",
            "16", "--num-batches", "2", "--warmup", "1", "--threads", "2", "--quiet", "--out", out};
}

} // namespace

QString notFound(const std::string& text, const std::string& part) {
    return QStringLiteral("'%1' not in:\n%2").arg(QString::fromStdString(part), QString::fromStdString(text));
}

#define EXPECT_CONTAINS(text, part) QVERIFY2(contains(text, part), qPrintable(notFound(text, part)))

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
        QCOMPARE(p.spec.model, std::string("tiny"));
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
        QCOMPARE(p.spec.model, std::string("bert-base"));
        QVERIFY(p.spec.dtype == DType::Float16);

        p = plan({"--device", "cpu", "--backends", "sdpa,flash_attention_2", "--model-name", "bert-large-uncased",
                  "--tasks", "encoder,qa", "--seed", "7"});
        QCOMPARE(p.spec.candidates, (std::vector<std::string>{"cpu:sdpa", "cpu:flash_attention_2"}));
        QCOMPARE(p.spec.model, std::string("bert-large"));
        QCOMPARE(p.spec.tasks, (std::vector<Task>{Task::Encoder, Task::Qa}));
        QCOMPARE(p.spec.seed, uint64_t(7));
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
        QCOMPARE(p.spec.model, std::string("tiny"));   // the file's, not cuda's default
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
        QTest::newRow("model") << QStringList{"--model", "no-such-model"} << QStringList{"--model", "tiny"};
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

    // --- run: measuring ---------------------------------------------------------------------------
    void singleCellRunWritesAllFiles() {
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "single");
        CommandArgs args = quickRun(out);
        args.erase(std::find(args.begin(), args.end(), "--quiet"));
        const Result r = runCliCaptured(args);
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        // The per-row line, the summary and the file paths.
        EXPECT_CONTAINS(r.out, "speedup");
        EXPECT_CONTAINS(r.out, "cpu:sdpa");
        EXPECT_CONTAINS(r.out, out + "/run.json");
        EXPECT_CONTAINS(r.out, out + "/results.csv");
        EXPECT_CONTAINS(r.out, "log_Bert_sdpa_mlm.csv");
        // Plain progress lines, not a redrawn bar, when stderr is not a terminal.
        EXPECT_CONTAINS(r.err, "[1/1] encoder batch 2, seq 32, pad 0.50");
        QVERIFY(!contains(r.err, "\r"));

        const Run run = readRunFile(out + "/run.json");
        QCOMPARE(run.rows.size(), size_t(1));
        QCOMPARE(run.rows[0].cell, (Cell{Task::Encoder, 2, 32, 0.5}));
        QCOMPARE(toString(run.rows[0].status), std::string("ok"));
        QVERIFY(run.rows[0].relError >= 0 && run.rows[0].relError < 1e-4);
        QVERIFY(!run.environment.cpu.empty());
        QCOMPARE(readRunFile(out + "/results.csv").rows.size(), size_t(1));
        QCOMPARE(fileLines(out + "/log_Bert_sdpa_mlm.csv").front(), std::string(kSeedCsvHeader));
    }

    // The issue's check is `run --device cpu --model tiny --sweep --num-batches 3`, as is: about
    // 1 min 50 s on 2 idle cores (batch 128 × 512 eager forwards take ~0.6 s each). The short
    // variant (lengths 8/16/32, the same 120 cells a task) checks the same files in seconds.
    void oldScriptSweepGivesTheOldCsv_data() {
        QTest::addColumn<bool>("full");
        QTest::newRow("sweep, lengths 8/16/32") << false;
        QTest::newRow("sweep as in the issue") << true;
    }

    void oldScriptSweepGivesTheOldCsv() {
        QFETCH(bool, full);
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "sweep");
        CommandArgs args{"run", "--device", "cpu", "--model", "tiny", "--sweep", "--num-batches", "3",
                         "--threads", "2", "--quiet", "--out", out};
        if (!full) args.insert(args.end(), {"--seq-lens", "8,16,32"});
        QElapsedTimer timer;
        timer.start();
        const Result r = runCliCaptured(args);
        qInfo("run --device cpu --model tiny --sweep --num-batches 3%s took %.1f s", full ? "" : " --seq-lens 8,16,32",
              double(timer.elapsed()) / 1000.0);
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));

        const std::vector<std::string> lines = fileLines(out + "/log_Bert_sdpa_mlm.csv");
        QCOMPARE(lines.size(), size_t(121));
        QCOMPARE(lines.front(), std::string(kSeedCsvHeader));
        QCOMPARE(lines.front(),
                 std::string("num_batches, batch_size, seq_len, is cuda, is half, use mask, pad percentage, Latency "
                             "eager (ms), Latency BT (ms), Speedup (%), Mem eager (MB), Mem BT (MB), Mem saved (%)"));
        const Run seed = readRunFile(out + "/log_Bert_sdpa_mlm.csv");
        QCOMPARE(seed.rows.size(), size_t(120));
        QCOMPARE(seed.rows.front().numBatches, 3);
        QCOMPARE(readRunFile(out + "/run.json").rows.size(), size_t(120));
    }

    void failedCellsExitOneAndStillWriteFiles() {
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "oom");
        CommandArgs args = quickRun(out);
        args.insert(args.end(), {"--memory-limit-mb", "1"});
        const Result r = runCliCaptured(args);
        QCOMPARE(r.code, kExitFailedCell);
        EXPECT_CONTAINS(r.err, "rows failed");
        for (const char* file : {"/run.json", "/results.csv", "/log_Bert_sdpa_mlm.csv"})
            QVERIFY2(fs::exists(out + file), file);
        const Run run = readRunFile(out + "/run.json");
        QCOMPARE(run.rows.size(), size_t(1));
        QCOMPARE(toString(run.rows[0].status), std::string("oom"));
        EXPECT_CONTAINS(r.out, "oom");
    }

    // --- list-backends, info -----------------------------------------------------------------------
    void listBackendsAndInfo() {
        Result r = runCliCaptured({"list-backends"});
        QCOMPARE(r.code, kExitOk);
        for (const char* name : {"cpu:eager", "cpu:sdpa", "cpu:flash_attention_2"}) EXPECT_CONTAINS(r.out, name);
        EXPECT_CONTAINS(r.out, "fp32");
        EXPECT_CONTAINS(r.out, "attention");

        r = runCliCaptured({"list-backends", "--names"});
        QCOMPARE(r.code, kExitOk);
        std::vector<std::string> names;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);) names.push_back(line);
        std::vector<std::string> runnable;   // --names lists what can run here
        const BackendRegistry registry = app::makeRegistry();
        for (const BackendInfo& info : registry.all())
            if (info.unavailableReason.empty()) runnable.push_back(info.name);
        QCOMPARE(names, runnable);

        r = runCliCaptured({"info"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "CPU");
        EXPECT_CONTAINS(r.out, "BLAS");
        QCOMPARE(runCliCaptured({"info", "--verbose"}).code, kExitBadInput);
    }

    // --- torch:* backends: listed with why they cannot run; a run naming one is refused up front --------
    void torchBackendsSayWhyTheyCannotRun() {
        Result r = runCliCaptured({"list-backends", "--python", "/nonexistent/python3"});
        QCOMPARE(r.code, kExitOk);
        for (const char* name : {"torch:eager", "torch:sdpa", "torch:flash_attention_2", "torch:sdpa+compile"})
            EXPECT_CONTAINS(r.out, name);
        EXPECT_CONTAINS(r.out, "unavailable: the Python worker did not start: cannot run '/nonexistent/python3'");
        r = runCliCaptured({"list-backends", "--names", "--python", "/nonexistent/python3"});
        QVERIFY(r.out.find("torch:") == std::string::npos);
        QCOMPARE(runCliCaptured({"list-backends", "--python", ""}).code, kExitBadInput);

        QTemporaryDir tmp;
        r = runCliCaptured({"run", "--device", "cpu", "--baseline", "cpu:eager", "--backends", "torch:sdpa",
                            "--python", "/nonexistent/python3", "--batch-sizes", "1", "--seq-lens", "8",
                            "--num-batches", "1", "--out", dir(tmp, "run")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--backends: torch:sdpa cannot run here: the Python worker did not start");

        r = runCliCaptured({"info", "--python", "/nonexistent/python3"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "Torch backends: /nonexistent/python3: cannot run the torch worker");
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

    // --- summary, convert ----------------------------------------------------------------------------
    void summaryOfEveryFormat() {
        Result r = runCliCaptured({"summary", kSeedFixtures});
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        for (const char* part : {"classification", "encoder", "flash_attention_2", "sdpa", "120", "geo-mean"})
            EXPECT_CONTAINS(r.out, part);

        r = runCliCaptured({"summary", "--rows", kSeedFixtures + "/log_Bert_sdpa_mlm.csv"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "8.499");   // the first row's eager latency

        QTemporaryDir tmp;
        QCOMPARE(runCliCaptured({"convert", kSeedFixtures, "--to", "native", dir(tmp, "seed.json")}).code, kExitOk);
        QCOMPARE(runCliCaptured({"convert", kSeedFixtures, "--to", "csv", dir(tmp, "seed.csv")}).code, kExitOk);
        for (const char* file : {"seed.json", "seed.csv"}) {
            r = runCliCaptured({"summary", dir(tmp, file)});
            QCOMPARE(r.code, kExitOk);
            EXPECT_CONTAINS(r.out, "flash_attention_2");
        }

        r = runCliCaptured({"summary", dir(tmp, "missing.json")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "missing.json");
        std::ofstream(dir(tmp, "garbage.csv")) << "not,a,run\n1,2\n";
        QCOMPARE(runCliCaptured({"summary", dir(tmp, "garbage.csv")}).code, kExitBadInput);
    }

    void convertRoundTripsTheSeedFixtures() {
        QTemporaryDir tmp;
        // seed CSVs → native run → native CSV → seed CSVs again.
        QCOMPARE(runCliCaptured({"convert", kSeedFixtures, "--to", "native", dir(tmp, "run.json")}).code, kExitOk);
        QCOMPARE(runCliCaptured({"convert", dir(tmp, "run.json"), "--to", "csv", dir(tmp, "run.csv")}).code, kExitOk);
        const Result r = runCliCaptured({"convert", dir(tmp, "run.csv"), "--to", "seed", dir(tmp, "seed")});
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));

        int files = 0;
        for (const fs::directory_entry& original : fs::directory_iterator(kSeedFixtures)) {
            const std::string name = original.path().filename().string();
            const std::string copy = dir(tmp, "seed/" + name);
            QVERIFY2(fs::exists(copy), qPrintable(QString::fromStdString(copy)));
            ++files;
            const Run a = readRunFile(original.path().string());
            const Run b = readRunFile(copy);
            QCOMPARE(fileLines(copy).front(), std::string(kSeedCsvHeader));
            QCOMPARE(b.rows.size(), a.rows.size());
            for (size_t i = 0; i < a.rows.size(); ++i) {
                const ResultRow &x = a.rows[i], &y = b.rows[i];
                QCOMPARE(y.cell, x.cell);
                QCOMPARE(y.candidate.backend, x.candidate.backend);
                QVERIFY(std::abs(y.baseline.latency.medianMs - x.baseline.latency.medianMs) < 1e-9);
                QVERIFY(std::abs(y.candidate.latency.medianMs - x.candidate.latency.medianMs) < 1e-9);
                QVERIFY(std::abs(y.baseline.peakMemMb - x.baseline.peakMemMb) < 1e-9);
                QVERIFY(std::abs(y.candidate.peakMemMb - x.candidate.peakMemMb) < 1e-9);
            }
        }
        QCOMPARE(files, 4);

        // Usage errors name what is wrong.
        Result bad = runCliCaptured({"convert", kSeedFixtures, dir(tmp, "x")});
        QCOMPARE(bad.code, kExitBadInput);
        EXPECT_CONTAINS(bad.err, "--to is required");
        bad = runCliCaptured({"convert", kSeedFixtures, "--to", "xlsx", dir(tmp, "x")});
        QCOMPARE(bad.code, kExitBadInput);
        EXPECT_CONTAINS(bad.err, "native, csv, seed");
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

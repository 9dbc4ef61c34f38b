// bertbench-cli's other commands, in process: list-backends and info (the torch:* backends
// listed with why they cannot run), summary of every format, convert round trips.
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/CliSuiteHelpers.h"
#include "app/cli/Command.h"
#include "core/results/RunFiles.h"

using namespace bertbench;
using namespace bertbench::cli;
using namespace bertbench::cli::test;
namespace fs = std::filesystem;

using Result = test::CliResult;

class TestCliCommands : public QObject {
    Q_OBJECT

private slots:
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

    // --- summary, convert ----------------------------------------------------------------------------
    void summaryOfEveryFormat() {
        Result r = runCliCaptured({"summary", kSeedFixtures});
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        for (const char* part : {"classification", "encoder", "flash_attention_2", "sdpa", "120", "geo-mean"})
            EXPECT_CONTAINS(r.out, part);
        // HuggingFace transformers measurements: named as the torch:* backends, never as cuda:*.
        for (const char* part : {"baseline torch:eager vs torch:", "torch:flash_attention_2", "from the old script's CSV"})
            EXPECT_CONTAINS(r.out, part);
        QVERIFY2(r.out.find("cuda:") == std::string::npos, r.out.c_str());

        r = runCliCaptured({"summary", "--rows", kSeedFixtures + "/log_Bert_sdpa_mlm.csv"});
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "8.499");   // the first row's eager latency

        QTemporaryDir tmp;
        QCOMPARE(runCliCaptured({"convert", kSeedFixtures, "--to", "native", dir(tmp, "seed.json")}).code, kExitOk);
        QCOMPARE(runCliCaptured({"convert", kSeedFixtures, "--to", "csv", dir(tmp, "seed.csv")}).code, kExitOk);
        for (const char* file : {"seed.json", "seed.csv"}) {
            r = runCliCaptured({"summary", dir(tmp, file)});
            QCOMPARE(r.code, kExitOk);
            EXPECT_CONTAINS(r.out, "torch:flash_attention_2");
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

QTEST_GUILESS_MAIN(TestCliCommands)
#include "test_cli_commands.moc"

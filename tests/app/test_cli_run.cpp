// bertbench-cli run measuring, in process: a single cell writes every file, --sweep gives the
// old script's CSV, and failing cells exit 1 with the files still written.
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

class TestCliRun : public QObject {
    Q_OBJECT

private slots:
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
        QCOMPARE(run.rows[0].cell, (Cell{Task::Encoder, 2, 32, 0.5, "tiny"}));
        QCOMPARE(toString(run.rows[0].status), std::string("ok"));
        QVERIFY(run.rows[0].relError >= 0 && run.rows[0].relError < 1e-4);
        QVERIFY(!run.environment.cpu.empty());
        QCOMPARE(readRunFile(out + "/results.csv").rows.size(), size_t(1));
        QCOMPARE(fileLines(out + "/log_Bert_sdpa_mlm.csv").front(), std::string(kSeedCsvHeader));
    }

    // The check is `run --device cpu --model tiny --sweep --num-batches 3`, as is: about
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
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "test_cli_run.moc"

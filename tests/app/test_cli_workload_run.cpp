// `bertbench-cli run` over your data: --lengths with every length L gives every row exactly
// batch × min(L, max) real tokens; --texts runs end to end with a checkpoint's tokenizer; the
// report's tables (pad the data gave, tokens/s, random vs sorted); a resume refuses other data;
// bad input names the file and line, or the flag.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <numeric>

#include "app/CliSuiteHelpers.h"
#include "app/cli/Command.h"
#include "core/results/RunFiles.h"
#include "tests/core/TokenizerFixtures.h"

using namespace bertbench;
using namespace bertbench::cli;
using namespace bertbench::cli::test;
using bertbench::testing::tokenizerFixture;
using bertbench::testing::writeFile;

namespace {

CommandArgs dataRun(const std::string& out, const std::vector<std::string>& workload) {
    CommandArgs args{"run",          "--device", "cpu", "--model", "tiny", "--batch-sizes", "2,4", "--seq-lens", "32,64",
                     "--num-batches", "2",       "--warmup", "1",  "--no-profile", "--quiet", "--out", out};
    args.insert(args.end(), workload.begin(), workload.end());
    return args;
}

} // namespace

class TestCliWorkloadRun : public QObject {
    Q_OBJECT

private slots:
    void equalLengthsGiveBatchTimesMinOfLengthAndMax() {
        QTemporaryDir tmp;
        const int L = 48;
        std::string lengths;
        for (int i = 0; i < 30; ++i) lengths += std::to_string(L) + "\n";
        const std::string file = writeFile(tmp, "lengths.txt", lengths);
        const std::string out = dir(tmp, "run");
        const CliResult r = runCliCaptured(dataRun(out, {"--lengths", file, "--batching", "random,sorted"}));
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        const Run run = readRunFile(out + "/run.json");
        QCOMPARE(int(run.rows.size()), 2 * 2 * 2);   // batch × seq × policy
        for (const ResultRow& row : run.rows) {
            QCOMPARE(row.realTokens, int64_t(row.cell.batchSize) * std::min(L, row.cell.seqLen));
            QCOMPARE(row.realisedPad, 0.0);
            QCOMPARE(row.truncatedRows, row.cell.seqLen < L ? row.workloadRows : 0);
            QVERIFY(row.candidate.efficiency.tokensPerS > 0);
            QVERIFY(row.status == RowStatus::Ok);
        }
        // The native CSV carries the same.
        for (const ResultRow& row : readRunFile(out + "/results.csv").rows)
            QCOMPARE(row.realTokens, int64_t(row.cell.batchSize) * std::min(L, row.cell.seqLen));
        QVERIFY(run.workload.recorded());
        QCOMPARE(run.workload.models.front().lengths, std::vector<int>(30, L));
        // The report: the data's table and random against sorted.
        const CliResult s = runCliCaptured({"summary", out});
        QCOMPARE(s.code, 0);
        EXPECT_CONTAINS(s.out, "Your data (30 examples of lengths.txt");
        EXPECT_CONTAINS(s.out, "Random vs sorted batches");
        EXPECT_CONTAINS(s.out, "tokens/s");
        EXPECT_CONTAINS(s.out, "batching random, sorted");
        // The old script's CSVs: one folder a policy.
        QVERIFY(!fileLines(out + "/sorted/log_Bert_sdpa_mlm.csv").empty());
    }

    void textsRunEndToEnd() {
        QTemporaryDir tmp;
        const std::string out = dir(tmp, "texts");
        CommandArgs args = dataRun(out, {"--texts", tokenizerFixture("texts.txt"), "--tokenizer",
                                         tokenizerFixture("bert-base-uncased"), "--batching", "sorted"});
        args.erase(std::find(args.begin(), args.end(), "--quiet"));
        const CliResult r = runCliCaptured(args);
        QVERIFY2(r.code == kExitOk, qPrintable(QString::fromStdString(r.err)));
        EXPECT_CONTAINS(r.out, "workload: 35 examples of texts.txt (texts");
        EXPECT_CONTAINS(r.out, "WordPiece, 30522 tokens");
        EXPECT_CONTAINS(r.out, "Your data (35 examples");
        EXPECT_CONTAINS(r.err, "encoder batch 2, seq 32, sorted batches");
        const Run run = readRunFile(out + "/run.json");
        QCOMPARE(int(run.rows.size()), 4);
        QVERIFY(run.rows.front().cell.batching == Batching::Sorted);
        // The counts the run sampled from are HF's counts of the fixture.
        std::vector<int> expected = bertbench::testing::expectedCounts("wordpiece_with_special_tokens");
        std::sort(expected.begin(), expected.end());
        QCOMPARE(run.workload.models.front().lengths, expected);
        QVERIFY(run.workload.models.front().tokenizer.find("WordPiece") != std::string::npos);
        // texts.txt has lines of hundreds of tokens: at max 32 some rows are truncated, and counted.
        int truncated = 0;
        for (const ResultRow& row : run.rows) truncated += row.truncatedRows;
        QVERIFY(truncated > 0);
    }

    void resumeRefusesOtherData() {
        QTemporaryDir tmp;
        const std::string file = writeFile(tmp, "lengths.txt", "10\n20\n30\n40\n");
        const std::string out = dir(tmp, "run");
        QCOMPARE(runCliCaptured(dataRun(out, {"--lengths", file})).code, kExitOk);
        writeFile(tmp, "lengths.txt", "10\n20\n30\n41\n");
        const CliResult r = runCliCaptured({"run", "--resume", out});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "workload file " + file + " is not the data this run recorded");
    }

    void badInputNamesTheProblem() {
        QTemporaryDir tmp;
        const std::string bad = writeFile(tmp, "bad.txt", "12\n7\nabc\n");
        CliResult r = runCliCaptured(dataRun(dir(tmp, "a"), {"--lengths", bad}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, bad + " line 3: 'abc' is not a whole number of tokens");

        r = runCliCaptured(dataRun(dir(tmp, "b"), {"--texts", tokenizerFixture("texts.txt")}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "model tiny is a preset and has no tokenizer files");

        r = runCliCaptured(dataRun(dir(tmp, "c"), {"--lengths", bad, "--pads", "0.5"}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--pads shapes the synthetic lengths");

        r = runCliCaptured(dataRun(dir(tmp, "d"), {"--text-field", "body"}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--text-field is for a texts workload");

        const std::string jsonl = writeFile(tmp, "t.jsonl", "{\"text\": \"a b\"}\n{\"body\": \"c\"}\n");
        r = runCliCaptured(dataRun(dir(tmp, "e"), {"--texts", jsonl, "--tokenizer", tokenizerFixture("bert-base-uncased")}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, jsonl + " line 2");

        r = runCliCaptured(dataRun(dir(tmp, "f"), {"--lengths", bad, "--batches-per-cell", "0"}));
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--batches-per-cell: batches per cell 0 is out of range");
    }
};

QTEST_GUILESS_MAIN(TestCliWorkloadRun)
#include "test_cli_workload_run.moc"

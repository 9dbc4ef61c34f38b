// bertbench-cli's efficiency, energy and breakdown output: run prints efficiency/energy,
// --no-profile (and the spec key profile) skips the profiling forward, summary shows the new columns and --breakdown, and a
// version-1 run file's summary stays as it was (no new table).
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/cli/Command.h"
#include "app/CliTestSupport.h"
#include "core/results/RunFiles.h"

using namespace bertbench;
using namespace bertbench::cli;
namespace fs = std::filesystem;

namespace {

using Result = test::CliResult;
using test::contains;
Result runCaptured(const CommandArgs& args) { return test::runCliCaptured(args); }

CommandArgs quickRun(const std::string& out) {
    return {"run", "--device", "cpu", "--model", "tiny", "--batch-sizes", "2", "--seq-lens", "32", "--pads", "0,0.5",
            "--num-batches", "2", "--warmup", "1", "--threads", "2", "--quiet", "--out", out};
}

} // namespace

#define EXPECT_CONTAINS(text, part) \
    QVERIFY2(contains(text, part), qPrintable(QStringLiteral("'%1' not in:\n%2").arg(QString::fromStdString(part), QString::fromStdString(text))))

class TestCliProfileTables : public QObject {
    Q_OBJECT

private slots:
    void runAndSummaryShowEfficiencyAndBreakdown() {
        QTemporaryDir tmp;
        const std::string out = (fs::path(tmp.path().toStdString()) / "run").string();
        const Result r = runCaptured(quickRun(out));
        QCOMPARE(r.code, kExitOk);
        EXPECT_CONTAINS(r.out, "Efficiency and energy:");
        EXPECT_CONTAINS(r.out, "TFLOP/s");
        EXPECT_CONTAINS(r.out, "J/1k tok");
        EXPECT_CONTAINS(r.out, "energy saved");
        EXPECT_CONTAINS(r.out, "% peak: not available: no GEMM probe on the CPU");
        EXPECT_CONTAINS(r.out, "energy: not available: a CPU backend");

        const Run run = readRunFile(out + "/run.json");
        QVERIFY(run.spec.profile);
        // The sweep's GEMM probe outcome reaches the file (on the CPU: why there is none).
        QCOMPARE(run.environment.gemmProbeNote, std::string("no GPU backend in this sweep"));
        EXPECT_CONTAINS(r.out, "GEMM probe: not available (no GPU backend in this sweep)");
        for (const ResultRow& row : run.rows) {
            QVERIFY(row.candidate.breakdown && row.candidate.breakdown->measured());
            QVERIFY(row.candidate.efficiency.tokensPerS > 0);
        }

        const Result s = runCaptured({"summary", "--breakdown", out});
        QCOMPARE(s.code, kExitOk);
        EXPECT_CONTAINS(s.out, "Per-operation breakdown:");
        EXPECT_CONTAINS(s.out, "parts/median");
        EXPECT_CONTAINS(s.out, "attn out+LN");
        EXPECT_CONTAINS(s.out, "b2 s32 p0.5  cpu:sdpa");
        // Without --breakdown, no breakdown table.
        QVERIFY(!contains(runCaptured({"summary", out}).out, "Per-operation breakdown:"));
    }

    void noProfileSkipsTheProfilingForward() {
        QTemporaryDir tmp;
        const std::string out = (fs::path(tmp.path().toStdString()) / "run").string();
        CommandArgs args = quickRun(out);
        args.push_back("--no-profile");
        QCOMPARE(runCaptured(args).code, kExitOk);
        const Run run = readRunFile(out + "/run.json");
        QVERIFY(!run.spec.profile);
        for (const ResultRow& row : run.rows) {
            QVERIFY(row.candidate.breakdown && !row.candidate.breakdown->measured());
            QVERIFY(contains(row.candidate.breakdown->note, "--no-profile"));
        }
        // The spec key does the same.
        const std::string spec = (fs::path(tmp.path().toStdString()) / "spec.json").string();
        std::ofstream(spec) << R"({"model": "tiny", "baseline": "cpu:eager", "candidates": ["cpu:sdpa"],
            "batch_sizes": [1], "seq_lens": [16], "pads": [0], "num_batches": 1, "warmup": 0, "profile": false})";
        const std::string out2 = (fs::path(tmp.path().toStdString()) / "run2").string();
        QCOMPARE(runCaptured({"run", "--spec", spec, "--threads", "2", "--quiet", "--out", out2}).code, kExitOk);
        QVERIFY(!readRunFile(out2 + "/run.json").rows[0].candidate.breakdown->measured());
    }

    void helpNamesTheNewFlags() {
        EXPECT_CONTAINS(runCaptured({"run", "--help"}).out, "--no-profile");
        const Result s = runCaptured({"summary", "--help"});
        EXPECT_CONTAINS(s.out, "--breakdown");
        EXPECT_CONTAINS(s.out, "energy saved %");
    }

    void versionOneFileSummaryHasNoNewTable() {
        const std::string v1 = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/run-v1/run.json";
        const Result s = runCaptured({"summary", "--breakdown", v1});
        QCOMPARE(s.code, kExitOk);
        QVERIFY(!contains(s.out, "Efficiency and energy:"));
        EXPECT_CONTAINS(s.out, "(not recorded in this file)");
    }
};

QTEST_GUILESS_MAIN(TestCliProfileTables)
#include "test_cli_profile_tables.moc"

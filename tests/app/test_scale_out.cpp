// bertbench-cli's scale-out commands, in process: run --shard (records its shard, measures only
// its cells), merge (the shards back into one run; refusals with exit 2), slurm (the scripts), and
// the input checks of --shard and --gpus.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "app/cli/Command.h"
#include "app/CliTestSupport.h"
#include "app/cli/SlurmScripts.h"
#include "app/cli/WorkerSlots.h"
#include "core/results/RunFiles.h"
#include "core/sweep/Shard.h"

using namespace bertbench;
using namespace bertbench::cli;
namespace fs = std::filesystem;

namespace {

using Result = test::CliResult;
using test::contains;
Result invoke(const CommandArgs& args) { return test::runCliCaptured(args); }
#define EXPECT_CONTAINS(text, part) QVERIFY2(contains(text, part), (std::string(part) + " not in:\n" + (text)).c_str())

std::string path(const QTemporaryDir& tmp, const std::string& name) {
    return (fs::path(tmp.path().toStdString()) / name).string();
}

// 2 x 2 x 2 = 8 cells of the tiny model, 2 timed forwards: well under a second a run.
CommandArgs tinySweep(const std::string& out) {
    return {"run", "--device", "cpu", "--model", "tiny", "--batch-sizes", "1,2", "--seq-lens", "16,32", "--pads",
            "0,0.5", "--num-batches", "2", "--warmup", "1", "--threads", "1", "--quiet", "--out", out};
}

CommandArgs plus(CommandArgs args, const CommandArgs& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// What f throws, as text ("NO EXCEPTION" when it does not throw).
template <typename F>
std::string errorText(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "NO EXCEPTION";
}

std::string cellKey(const ResultRow& r) {
    return std::to_string(r.cell.batchSize) + "/" + std::to_string(r.cell.seqLen) + "/" + std::to_string(r.cell.pad) +
           "/" + r.candidate.backend;
}

} // namespace

class ScaleOutTest : public QObject {
    Q_OBJECT
private slots:
    void shardRunsMeasureTheirCellsAndMergeBack() {
        QTemporaryDir tmp;
        std::vector<Run> shards;
        for (int i = 0; i < 3; ++i) {
            const std::string out = path(tmp, "shard-" + std::to_string(i));
            const Result r = invoke(plus(tinySweep(out), {"--shard", std::to_string(i) + "/3"}));
            QVERIFY2(r.code == kExitOk, r.err.c_str());
            shards.push_back(readRunFile(out + "/run.json"));
            const Run& s = shards.back();
            QCOMPARE(s.environment.shardIndex, i);
            QCOMPARE(s.environment.shardCount, 3);
            const std::vector<Cell> mine = shardCells(s.spec, {i, 3});
            QCOMPARE(s.rows.size(), mine.size());
            for (const ResultRow& row : s.rows) QVERIFY(std::find(mine.begin(), mine.end(), row.cell) != mine.end());
        }
        const std::string merged = path(tmp, "merged");
        const Result m = invoke({"merge", path(tmp, "shard-2"), path(tmp, "shard-0"), path(tmp, "shard-1/run.json"),
                              "--out", merged});
        QVERIFY2(m.code == kExitOk, m.err.c_str());
        EXPECT_CONTAINS(m.out, "Merged 3 runs: 8 rows, 8 of 8 cells");
        const Run run = readRunFile(merged + "/run.json");
        QVERIFY(fs::exists(merged + "/results.csv"));
        std::set<std::string> keys;
        for (const ResultRow& row : run.rows) keys.insert(cellKey(row));
        QCOMPARE(keys.size(), size_t(8));
        QCOMPARE(run.rows.size(), size_t(8));
        // Each merged row is its shard's row, number for number.
        for (const Run& s : shards)
            for (const ResultRow& row : s.rows)
                for (const ResultRow& mrow : run.rows)
                    if (cellKey(mrow) == cellKey(row)) {
                        QCOMPARE(mrow.candidate.latency.medianMs, row.candidate.latency.medianMs);
                        QCOMPARE(mrow.baseline.latency.p90Ms, row.baseline.latency.p90Ms);
                        QCOMPARE(mrow.realTokens, row.realTokens);
                    }
        QCOMPARE(run.environment.shardCount, 0);

        // The same shard twice: refused, then accepted with --prefer newest.
        const Result dup = invoke({"merge", path(tmp, "shard-0"), path(tmp, "shard-0"), "--out", path(tmp, "dup")});
        QCOMPARE(dup.code, kExitBadInput);
        EXPECT_CONTAINS(dup.err, "was measured in both");
        const Result newest =
            invoke({"merge", path(tmp, "shard-0"), path(tmp, "shard-0"), "--prefer", "newest", "--out", path(tmp, "dup")});
        QVERIFY2(newest.code == kExitOk, newest.err.c_str());
        EXPECT_CONTAINS(newest.err, "5 of 8 cells have no row");   // shard 0 alone holds 3 cells
    }

    void mergeRefusesOtherSweepsAndBadInput() {
        QTemporaryDir tmp;
        QCOMPARE(invoke(plus(tinySweep(path(tmp, "a")), {"--shard", "0/2"})).code, kExitOk);
        CommandArgs other = plus(tinySweep(path(tmp, "b")), {"--shard", "1/2"});
        *(std::find(other.begin(), other.end(), "--num-batches") + 1) = "3";   // instead of 2
        QCOMPARE(invoke(other).code, kExitOk);
        Result r = invoke({"merge", path(tmp, "a"), path(tmp, "b"), "--out", path(tmp, "m")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "measure different sweeps: spec field num_batches is 2 in " + path(tmp, "a/run.json") +
                                   " but 3 in " + path(tmp, "b/run.json"));
        QVERIFY(!fs::exists(path(tmp, "m/run.json")));

        r = invoke({"merge", path(tmp, "a"), path(tmp, "a/results.csv"), "--out", path(tmp, "m")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "is a CSV; merge needs BertBench runs");
        QCOMPARE(invoke({"merge", path(tmp, "a")}).code, kExitBadInput);                      // no --out
        QCOMPARE(invoke({"merge", "--out", path(tmp, "m")}).code, kExitBadInput);             // no input
        r = invoke({"merge", path(tmp, "a"), "--prefer", "oldest", "--out", path(tmp, "m")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--prefer: 'oldest' is not newest");
        r = invoke({"merge", path(tmp, "nowhere"), "--out", path(tmp, "m")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "does not exist");
    }

    void shardAndGpusInputChecks_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("expected");
        QTest::newRow("shard 3/2") << QStringList{"--shard", "3/2"} << "--shard: '3/2': shard index 3 is out of range 0..1";
        QTest::newRow("shard x") << QStringList{"--shard", "x"} << "--shard: 'x' is not of the form i/n";
        QTest::newRow("gpus repeated") << QStringList{"--gpus", "0,0"} << "--gpus: GPU 0 is listed twice";
        QTest::newRow("gpus word") << QStringList{"--gpus", "0,one"} << "--gpus: 'one' is not a GPU index";
        QTest::newRow("gpus negative") << QStringList{"--gpus", "-1"} << "--gpus: '-1' is not a GPU index";
        QTest::newRow("gpus empty item") << QStringList{"--gpus", "0,,1"} << "--gpus";
        QTest::newRow("gpus empty") << QStringList{"--gpus", ""} << "--gpus: the list is empty";
        QTest::newRow("cpu:0") << QStringList{"--gpus", "cpu:0"} << "--gpus cpu:N: 0 is out of range 1..256";
        QTest::newRow("cpu:x") << QStringList{"--gpus", "cpu:x"} << "--gpus cpu:N";
        QTest::newRow("cpu too many") << QStringList{"--gpus", "cpu:256"} << "workers with CPU backends need 256 cores";
        QTest::newRow("resume + shard") << QStringList{"--resume", "/nonexistent", "--shard", "0/2"}
                                        << "--shard cannot be combined with it";
    }
    void shardAndGpusInputChecks() {
        QFETCH(QStringList, flags);
        QFETCH(QString, expected);
        QTemporaryDir tmp;
        CommandArgs args = flags.contains("--resume") ? CommandArgs{"run"} : tinySweep(path(tmp, "x"));
        for (const QString& f : flags) args.push_back(f.toStdString());
        const Result r = invoke(args);
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, expected.toStdString());
        QVERIFY(!fs::exists(path(tmp, "x/run.json")));
    }

    void gpuWorkersWithoutGpus() {
        WorkerRequest request;
        request.sweepUsesCuda = true;
        request.gpus = "all";
        QVERIFY(contains(errorText([&] { planWorkers(request); }), "--gpus all: this machine has no GPU"));
        request.gpus = "0";
        QVERIFY(contains(errorText([&] { planWorkers(request); }), "--gpus: GPU 0 does not exist"));
        request.gpus = "cpu:2";
        QVERIFY(contains(errorText([&] { planWorkers(request); }), "starts CPU workers, but the sweep has cuda:*"));
        // Two GPUs: one worker each, their GPU alone visible, no pinning for a CUDA sweep.
        request.machineGpus = {{"NVIDIA H200", "GPU-a", 0}, {"NVIDIA H200", "GPU-b", 1}};
        request.gpus = "all";
        std::vector<WorkerSlot> planned = planWorkers(request);
        QCOMPARE(planned.size(), size_t(2));
        QCOMPARE(planned[1].label, std::string("gpu1"));
        QCOMPARE(planned[1].visibleDevices, std::string("1"));
        QCOMPARE(planned[1].gpuIndex, 1);
        QVERIFY(planned[1].cpus.empty());
        request.gpus = "3";
        QVERIFY(contains(errorText([&] { planWorkers(request); }), "this machine has 2: 0 NVIDIA H200, 1 NVIDIA H200"));
    }

    void cpuWorkersShareTheCores() {
        WorkerRequest request;
        request.sweepUsesCpu = true;
        request.allowedCpus = {0, 1, 2, 3, 4};
        request.gpus = "cpu:2";
        std::vector<WorkerSlot> planned = planWorkers(request);
        QCOMPARE(planned.size(), size_t(2));
        QCOMPARE(planned[0].cpus, (std::vector<int>{0, 1}));
        QCOMPARE(planned[1].cpus, (std::vector<int>{2, 3, 4}));
        QCOMPARE(planned[0].threads, 2);
        QCOMPARE(planned[1].threads, 3);
        QCOMPARE(planned[0].visibleDevices, std::string());   // CPU workers see no GPU
        // GPU indices with CPU backends (the process model without GPUs): pinned likewise.
        request.gpus = "0,1,3";
        request.threads = 1;
        planned = planWorkers(request);
        QCOMPARE(planned.size(), size_t(3));
        QCOMPARE(planned[2].label, std::string("gpu3"));
        QCOMPARE(planned[2].cpus, (std::vector<int>{3, 4}));
        QCOMPARE(planned[2].threads, 1);   // --threads wins
    }

    void slurmWritesTheScripts() {
        QTemporaryDir tmp;
        const std::string spec = path(tmp, "sweep.json");
        std::ofstream(spec) << R"({"model": "tiny", "batch_sizes": [1, 2], "seq_lens": [16, 32], "pads": [0, 0.5],
                                   "candidates": ["cpu:sdpa"], "num_batches": 2})";
        const std::string cliPath = "/bin/sh";   // any executable: nothing is submitted
        const std::string out = path(tmp, "it's a run");
        Result r = invoke({"slurm", spec, "--array", "3", "--out", out, "--partition", "gpu-a100", "--gres", "gpu:1",
                        "--time", "1:30:00", "--cli", cliPath});
        QVERIFY2(r.code == kExitOk, r.err.c_str());
        EXPECT_CONTAINS(r.out, "sh '" + out.substr(0, out.find('\'')) + "'\\''s a run/slurm/submit.sh'");
        std::ifstream a(out + "/slurm/array.sbatch"), m(out + "/slurm/merge.sbatch"), s(out + "/slurm/submit.sh");
        const std::string array((std::istreambuf_iterator<char>(a)), {}), merge((std::istreambuf_iterator<char>(m)), {}),
            submit((std::istreambuf_iterator<char>(s)), {});
        EXPECT_CONTAINS(array, "#SBATCH --array=0-2\n");
        EXPECT_CONTAINS(array, "#SBATCH --partition=gpu-a100\n");
        EXPECT_CONTAINS(array, "#SBATCH --gres=gpu:1\n");
        EXPECT_CONTAINS(array, "#SBATCH --time=1:30:00\n");
        EXPECT_CONTAINS(array, "--shard \"$task/3\" --out \"$dir\"");
        EXPECT_CONTAINS(array, "dir=\"$OUT/shard-$task\"");
        EXPECT_CONTAINS(array, "SPEC=" + shellQuote(spec));
        EXPECT_CONTAINS(merge, "merge \"${shards[@]}\" --out \"$OUT/merged\"");
        QVERIFY(!contains(merge, "--gres"));   // the merge needs no GPU
        EXPECT_CONTAINS(submit, "sbatch --parsable --dependency=afterok:\"$array\"");
        EXPECT_CONTAINS(submit, "echo \"merge_job=$merge\"");
        QVERIFY((fs::status(out + "/slurm/submit.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);

        r = invoke({"slurm", spec, "--array", "9", "--out", out, "--cli", cliPath});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--array: 9 tasks for a sweep of 8 cells");
        r = invoke({"slurm", spec, "--array", "2", "--out", out, "--time", "1h", "--cli", cliPath});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--time: '1h' is not a SLURM time");
        r = invoke({"slurm", spec, "--array", "2", "--out", out, "--partition", "a;rm -rf /", "--cli", cliPath});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--partition: 'a;rm -rf /' has a character other than");
        r = invoke({"slurm", spec, "--out", out});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "--array N is required");
        r = invoke({"slurm", spec, "--array", "2", "--out", out, "--cli", path(tmp, "missing-cli")});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_CONTAINS(r.err, "is not an executable file");
        QVERIFY(isSlurmTime("30") && isSlurmTime("2-12:00:00") && isSlurmTime("UNLIMITED") && !isSlurmTime("-1"));
    }
};

QTEST_GUILESS_MAIN(ScaleOutTest)
#include "test_scale_out.moc"

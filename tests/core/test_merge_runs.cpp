// mergeRuns: shards of one sweep become one run with every row exactly as measured; different
// specs and splits are refused naming the field and the files; duplicates are refused unless the
// newest is preferred; empty shards, cancelled rows and missing cells.
#include <QtTest>

#include "core/ErrorOf.h"
#include "core/RunSamples.h"
#include "core/results/MergeRuns.h"
#include "core/sweep/Shard.h"
#include "core/util/Errors.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {

// Shard i of n of the sample run: its spec, its rows, its shard in the environment.
SourcedRun shardOf(const Run& whole, int i, int n, const std::string& endTime = "2024-05-01T12:03:07Z") {
    SourcedRun s;
    s.source = "shard-" + std::to_string(i) + "/run.json";
    s.run.spec = whole.spec;
    s.run.environment = whole.environment;
    s.run.environment.shardIndex = i;
    s.run.environment.shardCount = n;
    s.run.environment.host = "node" + std::to_string(i);
    s.run.environment.endTime = endTime;
    const std::vector<Cell> mine = shardCells(whole.spec, {i, n});
    for (const ResultRow& r : whole.rows)
        if (std::find(mine.begin(), mine.end(), r.cell) != mine.end()) s.run.rows.push_back(r);
    return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace

class MergeRunsTest : public QObject {
    Q_OBJECT
private slots:
    void shardsMergeBackToTheWholeRun() {
        const Run whole = sampleRun();
        // Given in any order: the merged rows are in sweep order, each exactly as measured.
        const MergedRuns m = mergeRuns({shardOf(whole, 2, 3), shardOf(whole, 0, 3), shardOf(whole, 1, 3)},
                                       DuplicatePolicy::Reject);
        Diff d;
        diffRows(d, whole.rows, m.run.rows);
        QVERIFY2(d.empty(), d.text().c_str());
        QVERIFY(m.missing.empty());
        QCOMPARE(m.duplicatesResolved, 0);
        QCOMPARE(m.run.environment.shardCount, 0);   // the whole sweep now
        QCOMPARE(m.run.environment.host, std::string("node2, node0, node1"));
        QVERIFY(specDifference(m.run.spec, whole.spec).field.empty());
    }

    void differentSpecsAreRefused_data() {
        QTest::addColumn<QString>("field");
        QTest::newRow("model") << "model";
        QTest::newRow("num_batches") << "num_batches";
        QTest::newRow("candidates") << "candidates";
        QTest::newRow("seed") << "seed";
    }
    void differentSpecsAreRefused() {
        QFETCH(QString, field);
        const Run whole = sampleRun();
        SourcedRun a = shardOf(whole, 0, 2), b = shardOf(whole, 1, 2);
        if (field == "model") b.run.spec.models = {"bert-base"};
        if (field == "num_batches") b.run.spec.numBatches += 1;
        if (field == "candidates") b.run.spec.candidates.pop_back();
        if (field == "seed") b.run.spec.seed = 1;
        const std::string message =
            testing::errorOf<InputError>([&] { mergeRuns({a, b}, DuplicatePolicy::PreferNewest); });
        QVERIFY2(contains(message, "shard-0/run.json and shard-1/run.json measure different sweeps: spec field " +
                                       field.toStdString() + " is "),
                 message.c_str());
        QVERIFY2(contains(message, " in shard-1/run.json"), message.c_str());
        if (field == "model") QVERIFY2(contains(message, "\"tiny\" in shard-0/run.json but \"bert-base\""), message.c_str());
    }

    void differentSplitsAreRefused() {
        const Run whole = sampleRun();
        const std::string message = testing::errorOf<InputError>(
            [&] { mergeRuns({shardOf(whole, 0, 3), shardOf(whole, 1, 2)}, DuplicatePolicy::PreferNewest); });
        QVERIFY2(contains(message, "shard-0/run.json is shard 0/3 but shard-1/run.json is shard 1/2"), message.c_str());
    }

    void duplicatesAreRefusedUnlessNewestIsPreferred() {
        const Run whole = sampleRun();
        SourcedRun older = shardOf(whole, 0, 2, "2024-05-01T12:00:00Z");
        SourcedRun newer = shardOf(whole, 0, 2, "2024-05-02T08:00:00Z");
        newer.source = "shard-0-again/run.json";
        for (ResultRow& r : newer.run.rows) r.candidate.latency.medianMs += 1000;   // re-measured: other numbers
        const std::string message =
            testing::errorOf<InputError>([&] { mergeRuns({newer, older}, DuplicatePolicy::Reject); });
        QVERIFY2(contains(message, "was measured in both shard-0-again/run.json and shard-0/run.json"), message.c_str());
        QVERIFY2(contains(message, "--prefer newest"), message.c_str());

        // Newest wins whatever the order on the command line.
        for (const auto& inputs : {std::vector<SourcedRun>{older, newer}, std::vector<SourcedRun>{newer, older}}) {
            const MergedRuns m = mergeRuns(inputs, DuplicatePolicy::PreferNewest);
            QCOMPARE(m.run.rows.size(), newer.run.rows.size());
            QCOMPARE(m.duplicatesResolved, int(newer.run.rows.size()) - 1);   // one row is cancelled: not a duplicate
            Diff d;
            diffRows(d, newer.run.rows, m.run.rows);
            QVERIFY2(d.empty(), d.text().c_str());
        }
    }

    void cancelledRowsGiveWayToFinishedOnes() {
        const Run whole = sampleRun();
        SourcedRun a = shardOf(whole, 0, 1);
        SourcedRun b;
        b.source = "again/run.json";
        b.run.spec = whole.spec;
        ResultRow redone = whole.rows[5];   // cancelled in the sample
        QCOMPARE(int(redone.status), int(RowStatus::Cancelled));
        redone.status = RowStatus::Ok;
        redone.message.clear();
        b.run.rows = {redone};
        const MergedRuns m = mergeRuns({a, b}, DuplicatePolicy::Reject);
        QCOMPARE(int(m.run.rows[5].status), int(RowStatus::Ok));
        QCOMPARE(m.duplicatesResolved, 0);
    }

    void emptyShardAndMissingCells() {
        const Run whole = sampleRun();
        SourcedRun empty = shardOf(whole, 1, 2);
        empty.run.rows.clear();   // a shard that measured nothing (killed at once, or no cells)
        const MergedRuns m = mergeRuns({shardOf(whole, 0, 2), empty}, DuplicatePolicy::Reject);
        QCOMPARE(m.run.rows.size(), shardOf(whole, 0, 2).run.rows.size());
        QCOMPARE(m.missing.size(), shardCells(whole.spec, {1, 2}).size());
        const MergedRuns alone = mergeRuns({empty}, DuplicatePolicy::Reject);
        QVERIFY(alone.run.rows.empty());
        QCOMPARE(alone.missing.size(), cellsOf(whole.spec).size());
        QVERIFY(contains(testing::errorOf<InputError>([] { mergeRuns({}, DuplicatePolicy::Reject); }), "nothing to merge"));
    }
};

QTEST_GUILESS_MAIN(MergeRunsTest)
#include "test_merge_runs.moc"

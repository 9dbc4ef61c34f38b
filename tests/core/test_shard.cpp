// The shard split (--shard i/n): every cell in exactly one shard, the same split on every run
// and whatever the backends, shards past the cell count empty; and the i/n parser's errors.
#include <QtTest>

#include <map>

#include "core/ErrorOf.h"
#include "core/sweep/Shard.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

SweepSpec smallSpec() {
    SweepSpec s;
    s.tasks = {Task::Encoder, Task::Qa};
    s.batchSizes = {1, 4, 16};
    s.seqLens = {128, 512};
    s.pads = {0.0, 0.5};
    return s;   // 2 x 3 x 2 x 2 = 24 cells
}

std::string key(const Cell& c) {
    return toString(c.task) + "/" + std::to_string(c.batchSize) + "/" + std::to_string(c.seqLen) + "/" +
           std::to_string(c.pad);
}

} // namespace

class ShardTest : public QObject {
    Q_OBJECT
private slots:
    void everyCellInExactlyOneShard() {
        const SweepSpec spec = smallSpec();
        const std::vector<Cell> all = cellsOf(spec);
        for (int n : {1, 2, 3, 5, 7, 24, 25, 100}) {
            std::map<std::string, int> seen;
            size_t total = 0;
            for (int i = 0; i < n; ++i) {
                const std::vector<Cell> mine = shardCells(spec, {i, n});
                const std::vector<Cell> others = cellsOutsideShard(spec, {i, n});
                QCOMPARE(mine.size() + others.size(), all.size());
                for (const Cell& c : mine) {
                    ++seen[key(c)];
                    QVERIFY(std::find(others.begin(), others.end(), c) == others.end());
                }
                total += mine.size();
                // Balanced: shard sizes differ by at most one cell.
                QVERIFY(mine.size() == all.size() / size_t(n) || mine.size() == all.size() / size_t(n) + 1);
            }
            QCOMPARE(total, all.size());
            QCOMPARE(seen.size(), all.size());
            for (const auto& [k, count] : seen) QVERIFY2(count == 1, k.c_str());
        }
    }

    void moreShardsThanCellsLeavesEmptyShards() {
        SweepSpec spec = smallSpec();
        spec.tasks = {Task::Encoder};
        spec.batchSizes = {1};
        spec.seqLens = {128};   // 2 cells
        QCOMPARE(shardCells(spec, {0, 5}).size(), size_t(1));
        QCOMPARE(shardCells(spec, {1, 5}).size(), size_t(1));
        for (int i = 2; i < 5; ++i) QVERIFY(shardCells(spec, {i, 5}).empty());
    }

    // The split is a function of the spec's axes only: written down here, so that a change of the
    // rule (which would scatter a running cluster job's shards) fails this test.
    void stableAcrossRunsAndBackends() {
        SweepSpec spec = smallSpec();
        const std::vector<Cell> shard1 = shardCells(spec, {1, 3});
        QCOMPARE(shard1.size(), size_t(8));
        QCOMPARE(key(shard1[0]), key(Cell{Task::Encoder, 1, 128, 0.5}));
        QCOMPARE(key(shard1[1]), key(Cell{Task::Encoder, 4, 128, 0.0}));
        QCOMPARE(key(shard1[7]), key(Cell{Task::Qa, 16, 512, 0.0}));
        spec.baseline = "cuda:eager";
        spec.candidates = {"cuda:flash_attention_2"};
        spec.numBatches = 7;
        spec.seed = 99;
        const std::vector<Cell> again = shardCells(spec, {1, 3});
        QCOMPARE(again.size(), shard1.size());
        for (size_t k = 0; k < again.size(); ++k) QCOMPARE(key(again[k]), key(shard1[k]));
        QCOMPARE(shardOfCell(10, 3), 1);
    }

    void parse() {
        QVERIFY(parseShard("--shard", "0/1") == (Shard{0, 1}));
        QVERIFY(parseShard("--shard", "2/3") == (Shard{2, 3}));
        QVERIFY(parseShard("--shard", "12/100") == (Shard{12, 100}));
        QCOMPARE(toString(Shard{2, 3}), std::string("2/3"));
    }

    void parseErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("index past count") << "3/2" << "--shard: '3/2': shard index 3 is out of range 0..1";
        QTest::newRow("index equals count") << "2/2" << "shard index 2 is out of range 0..1";
        QTest::newRow("zero shards") << "0/0" << "the shard count must be 1..100000";
        QTest::newRow("no slash") << "3" << "'3' is not of the form i/n";
        QTest::newRow("negative") << "-1/3" << "'-1/3' is not of the form i/n";
        QTest::newRow("words") << "a/b" << "is not of the form i/n";
        QTest::newRow("two slashes") << "1/3/4" << "is not of the form i/n";
        QTest::newRow("empty") << "" << "is not of the form i/n";
        QTest::newRow("too many") << "0/100001" << "the shard count must be 1..100000";
        QTest::newRow("spaces") << " 1/3" << "is not of the form i/n";
    }
    void parseErrors() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string message = testing::errorOf<InputError>([&] { parseShard("--shard", text.toStdString()); });
        QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    }
};

QTEST_GUILESS_MAIN(ShardTest)
#include "test_shard.moc"

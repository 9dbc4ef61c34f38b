// `bertbench-cli workload`: --counts equals HF's counts of the text fixture; the summary; the
// messages for a preset without tokenizer files and for a bad lengths file.
#include <QTemporaryDir>
#include <QtTest>
#include <sstream>

#include "tests/app/CliTestSupport.h"
#include "tests/core/TokenizerFixtures.h"

using namespace bertbench::cli::test;
using bertbench::testing::expectedCounts;
using bertbench::testing::tokenizerFixture;
using bertbench::testing::writeFile;

namespace {
std::vector<int> linesAsInts(const std::string& text) {
    std::vector<int> values;
    std::istringstream in(text);
    for (int v; in >> v;) values.push_back(v);
    return values;
}
} // namespace

class CliWorkloadTest : public QObject {
    Q_OBJECT
private slots:
    void countsOfWordPieceEqualHf() {
        const CliResult r = runCliCaptured({"workload", tokenizerFixture("texts.txt"), "--tokenizer",
                                            tokenizerFixture("bert-base-uncased"), "--counts"});
        QCOMPARE(r.code, 0);
        QCOMPARE(linesAsInts(r.out), expectedCounts("wordpiece_with_special_tokens"));
    }
    void countsOfByteLevelBpeEqualHf() {
        const CliResult r = runCliCaptured({"workload", tokenizerFixture("texts.txt"), "--model", tokenizerFixture("gpt2"),
                                            "--counts"});
        QCOMPARE(r.code, 0);
        QCOMPARE(linesAsInts(r.out), expectedCounts("byte_level_bpe_without_special_tokens"));
    }
    void summaryOfTexts() {
        const CliResult r = runCliCaptured({"workload", tokenizerFixture("texts.txt"), "--tokenizer",
                                            tokenizerFixture("bert-base-uncased"), "--max-len", "32"});
        QCOMPARE(r.code, 0);
        QVERIFY2(contains(r.out, "Examples: 35") && contains(r.out, "min 3,") && contains(r.out, "max 1682") &&
                     contains(r.out, "32: 2 (5.7%)") && contains(r.out, "| max length 32") &&
                     contains(r.out, "WordPiece, 30522 tokens, uncased"),
                 r.out.c_str());
    }
    void summaryOfLengths() {
        QTemporaryDir dir;
        const std::string file = writeFile(dir, "lengths.csv", "num_tokens\n100\n200\n300\n600\n");
        const CliResult r = runCliCaptured({"workload", file});
        QCOMPARE(r.code, 0);
        QVERIFY2(contains(r.out, "Examples: 4") && contains(r.out, "median 250") && contains(r.out, "128: 3 (75.0%)") &&
                     contains(r.out, "512: 1 (25.0%)"),
                 r.out.c_str());
    }
    void presetHasNoTokenizer() {
        const CliResult r = runCliCaptured({"workload", tokenizerFixture("texts.txt"), "--model", "tiny"});
        QCOMPARE(r.code, 2);
        QVERIFY2(contains(r.err, "a preset has no tokenizer files") && contains(r.err, "--tokenizer"), r.err.c_str());
    }
    void badLengthsFileNamesLine() {
        QTemporaryDir dir;
        const std::string file = writeFile(dir, "lengths.txt", "5\nfive\n");
        const CliResult r = runCliCaptured({"workload", file});
        QCOMPARE(r.code, 2);
        QVERIFY2(contains(r.err, file + " line 2: 'five' is not a whole number of tokens"), r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(CliWorkloadTest)
#include "test_cli_workload.moc"

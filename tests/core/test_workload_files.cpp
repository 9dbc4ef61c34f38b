// Workload files: every lengths and texts format, every bad input's message (file, line, problem),
// and the length distribution the `workload` command prints.
#include <QTemporaryDir>
#include <QtTest>

#include "core/util/Errors.h"
#include "core/workload/LengthDistribution.h"
#include "core/workload/WorkloadFiles.h"
#include "tests/core/ErrorOf.h"
#include "tests/core/TokenizerFixtures.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::vector<std::string> textsOf(const std::vector<TextExample>& examples) {
    std::vector<std::string> texts;
    for (const TextExample& e : examples) texts.push_back(e.text);
    return texts;
}
} // namespace

class WorkloadFilesTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string lengthsError(const std::string& name, const std::string& bytes) {
        const std::string path = writeFile(dir_, name, bytes);
        return errorOf<FileFormatError>([&] { readLengthsFile(path); });
    }
    std::string textsError(const std::string& name, const std::string& bytes, const std::string& field = "") {
        const std::string path = writeFile(dir_, name, bytes);
        return errorOf<FileFormatError>([&] { readTextsFile(path, field); });
    }

private slots:
    void lengthsInEveryFormat() {
        const std::vector<int> want{12, 7, 300};
        QCOMPARE(readLengthsFile(writeFile(dir_, "plain.txt", "12\n7\r\n\n300")), want);
        QCOMPARE(readLengthsFile(writeFile(dir_, "table.csv", "id,num_tokens\na,12\nb,7\nc,300\n")), want);
        QCOMPARE(readLengthsFile(writeFile(dir_, "table.tsv", "text\tlen\n\"x, y\"\t12\nz\t7\nw\t300\n")), want);
        QCOMPARE(readLengthsFile(writeFile(dir_, "header.txt", "Length\n12\n7\n300\n")), want);
        QCOMPARE(readLengthsFile(writeFile(dir_, "array.json", "[12, 7, 300]")), want);
    }
    void textsInEveryFormat() {
        const std::vector<std::string> want{"first example", "", "third, with \"quotes\""};
        QCOMPARE(textsOf(readTextsFile(writeFile(dir_, "t.txt", "first example\n\nthird, with \"quotes\"\n"))), want);
        QCOMPARE(textsOf(readTextsFile(writeFile(dir_, "t.jsonl",
                                                 "{\"body\": \"first example\", \"id\": 1}\n{\"body\": \"\"}\n"
                                                 "{\"body\": \"third, with \\\"quotes\\\"\"}\n"),
                                       "body")),
                 want);
        QCOMPARE(textsOf(readTextsFile(writeFile(dir_, "t.csv", "id,text\n1,first example\n2,\n3,\"third, with \"\"quotes\"\"\"\n"))),
                 want);
        const auto multiline = readTextsFile(writeFile(dir_, "m.csv", "text,id\n\"two\nlines\",1\nnext,2\n"));
        QCOMPARE(multiline.size(), std::size_t{2});
        QCOMPARE(multiline[0].text, std::string("two\nlines"));
        QCOMPARE(multiline[1].line, std::size_t{4});
    }
    void emptyFile() {
        const std::string m = lengthsError("empty.txt", "");
        QVERIFY2(contains(m, "empty.txt: empty file"), m.c_str());
        const std::string t = textsError("empty-texts.txt", "");
        QVERIFY2(contains(t, "empty-texts.txt: empty file"), t.c_str());
    }
    void nonNumericLengthNamesTheLine() {
        std::string m = lengthsError("bad.txt", "12\n7\nseven\n");
        QVERIFY2(contains(m, "bad.txt line 3: 'seven' is not a whole number of tokens"), m.c_str());
        m = lengthsError("bad.csv", "length\n12\n1.5\n");
        QVERIFY2(contains(m, "bad.csv line 3: column length: '1.5' is not a whole number"), m.c_str());
        m = lengthsError("bad.json", "[1, \"two\"]");
        QVERIFY2(contains(m, "bad.json element 1: \"two\" is not a whole number"), m.c_str());
        m = lengthsError("zero.txt", "4\n0\n");
        QVERIFY2(contains(m, "zero.txt line 2: length 0 is out of range"), m.c_str());
    }
    void missingColumnOrField() {
        std::string m = lengthsError("cols.csv", "id,words\n1,2\n");
        QVERIFY2(contains(m, "cols.csv line 1: no length column") && contains(m, "id, words"), m.c_str());
        m = textsError("cols-texts.csv", "id,body\n1,hi\n");
        QVERIFY2(contains(m, "cols-texts.csv line 1: no column \"text\" (columns: id, body)") && contains(m, "--text-field"),
                 m.c_str());
        m = textsError("f.jsonl", "{\"text\": \"a\"}\n{\"body\": \"b\"}\n");
        QVERIFY2(contains(m, "f.jsonl line 2: no field \"text\" (fields: body)"), m.c_str());
        m = textsError("g.jsonl", "{\"text\": 3}\n", "text");
        QVERIFY2(contains(m, "g.jsonl line 1: field \"text\" is number, not a string"), m.c_str());
        m = textsError("h.jsonl", "{\"text\": \"a\"}\n{\"text\": \n");
        QVERIFY2(contains(m, "h.jsonl line 2: not valid JSON"), m.c_str());
    }
    void binaryFile() {
        const std::string m = textsError("blob.bin", std::string("PK\x03\x04\0\0\x01", 7));
        QVERIFY2(contains(m, "blob.bin line 1: binary data (a NUL byte"), m.c_str());
        const std::string l = lengthsError("blob-lengths.bin", std::string("12\n\0\0", 5));
        QVERIFY2(contains(l, "blob-lengths.bin line 2: binary data"), l.c_str());
    }
    void invalidUtf8NamesLineAndByte() {
        const std::string m = textsError("latin1.txt", "fine\ncaf\xe9 au lait\n");
        QVERIFY2(contains(m, "latin1.txt line 2: invalid UTF-8 at byte 4"), m.c_str());
    }
    void unterminatedQuote() {
        const std::string m = textsError("q.csv", "text\n\"never closed\n");
        QVERIFY2(contains(m, "q.csv line 2: a quoted field is never closed"), m.c_str());
    }
    void textFieldOnPlainTextIsAnError() {
        const std::string path = writeFile(dir_, "plain-texts.txt", "a\n");
        const std::string m = errorOf<InputError>([&] { readTextsFile(path, "body"); });
        QVERIFY2(contains(m, "--text-field") && contains(m, "plain text"), m.c_str());
    }
    void distributionAndTruncation() {
        std::vector<int> lengths;
        for (int i = 1; i <= 100; ++i) lengths.push_back(i * 10);  // 10 … 1000
        const LengthDistribution d = describeLengths(lengths, {128, 256, 512});
        QCOMPARE(d.examples, std::size_t{100});
        QCOMPARE(d.min, 10);
        QCOMPARE(d.max, 1000);
        QCOMPARE(d.median, 505.0);
        QCOMPARE(d.p90, 901.0);
        QCOMPARE(d.p99, 990.1);
        QCOMPARE(d.truncation.size(), std::size_t{3});
        QCOMPARE(d.truncation[0].truncated, std::size_t{88});  // 130 … 1000
        QCOMPARE(d.truncation[2].truncated, std::size_t{49});  // 520 … 1000
        QCOMPARE(d.truncation[2].share, 0.49);
        const std::string histogram = lengthHistogramText(lengths, 512, 10, 20);
        QVERIFY2(contains(histogram, "1-100") && contains(histogram, "| max length 512"), histogram.c_str());
        QVERIFY_THROWS_EXCEPTION(InputError, describeLengths({}, {128}));
    }
};

QTEST_GUILESS_MAIN(WorkloadFilesTest)
#include "test_workload_files.moc"

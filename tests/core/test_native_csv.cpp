// Native CSV: the tokenizer, the exact round trip, column-order tolerance and strict values.
#include <QtTest>

#include <algorithm>
#include <random>

#include "core/RunSamples.h"
#include "core/results/Csv.h"
#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {


std::vector<std::vector<std::string>> fieldsOf(const std::string& text) {
    std::vector<std::vector<std::string>> out;
    for (const auto& rec : csv::parse(text, "t.csv")) out.push_back(rec.fields);
    return out;
}

std::string toCsv(const std::vector<std::vector<std::string>>& records) {
    std::string out;
    for (const auto& r : records) csv::appendRecord(out, r);
    return out;
}

// The sample run's CSV with field `column` of data line `line` (1 = first row) set to `value`.
std::string withField(const std::string& column, int line, const std::string& value) {
    auto records = fieldsOf(runToNativeCsv(sampleRun()));
    const auto& header = records[0];
    const size_t col = size_t(std::find(header.begin(), header.end(), column) - header.begin());
    records.at(size_t(line)).at(col) = value;
    return toCsv(records);
}

} // namespace

class NativeCsvTest : public QObject {
    Q_OBJECT
private slots:
    void tokenizerHandlesQuotesAndLineBreaks() {
        const std::string text =
            "a,b,c\r\n"
            "1,\"x, y\",\"say \"\"hi\"\"\"\n"
            "\n"
            "2,\"line1\nline2\r\nline3\",\n"
            ",,\n"
            "\"\"\r\n"
            "last,row,no newline";
        const auto recs = csv::parse(text, "t.csv");
        QCOMPARE(recs.size(), size_t(6));
        QCOMPARE(recs[0].fields, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(recs[0].line, 1);
        QCOMPARE(recs[1].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
        QCOMPARE(recs[1].line, 2);
        QCOMPARE(recs[2].fields, (std::vector<std::string>{"2", "line1\nline2\r\nline3", ""}));
        QCOMPARE(recs[2].line, 4);   // the blank line 3 is skipped
        QCOMPARE(recs[3].fields, (std::vector<std::string>{"", "", ""}));
        QCOMPARE(recs[3].line, 7);
        QCOMPARE(recs[4].fields, (std::vector<std::string>{""}));
        QCOMPARE(recs[4].line, 8);
        QCOMPARE(recs[5].fields, (std::vector<std::string>{"last", "row", "no newline"}));
        QCOMPARE(recs[5].line, 9);
        QVERIFY(csv::parse("", "t.csv").empty());
        QCOMPARE(csv::parse("\xEF\xBB\xBFh1,h2\n", "t.csv")[0].fields[0], std::string("h1"));
    }

    void tokenizerErrorsNameTheLine() {
        std::string msg = formatErrorOf([] { csv::parse("a,b\n1,2\n3,\"open\nstill open", "t.csv"); });
        QVERIFY2(msg.find("t.csv: line 3") != std::string::npos && msg.find("unterminated") != std::string::npos,
                 msg.c_str());
        msg = formatErrorOf([] { csv::parse("a,b\n\"x\"y,2\n", "t.csv"); });
        QVERIFY2(msg.find("t.csv: line 2") != std::string::npos && msg.find("after a closing quote") != std::string::npos,
                 msg.c_str());
    }

    void writerQuotesOnlyWhatNeedsIt() {
        QCOMPARE(csv::field("plain"), std::string("plain"));
        QCOMPARE(csv::field(""), std::string(""));
        QCOMPARE(csv::field("a,b"), std::string("\"a,b\""));
        QCOMPARE(csv::field("say \"x\""), std::string("\"say \"\"x\"\"\""));
        QCOMPARE(csv::field("l1\nl2"), std::string("\"l1\nl2\""));
        QCOMPARE(csv::field(" pad"), std::string("\" pad\""));
    }

    void header() {
        const std::string text = runToNativeCsv(sampleRun());
        const std::string header = text.substr(0, text.find('\n'));
        // The original columns come first, in this order; later issues append theirs after
        // "message" (test_measurement_profile_files checks those).
        const std::string first = header.substr(0, header.find(",message") + 8);
        QCOMPARE(header.substr(first.size(), 1), std::string(","));
        QCOMPARE(first,
                 std::string("task,batch_size,seq_len,pad,num_batches,dtype,is_cuda,is_half,use_mask,real_tokens,"
                             "baseline,baseline_has_stats,baseline_samples,baseline_median_ms,baseline_mean_ms,"
                             "baseline_p10_ms,baseline_p90_ms,baseline_stdev_ms,baseline_peak_mb,"
                             "candidate,candidate_has_stats,candidate_samples,candidate_median_ms,candidate_mean_ms,"
                             "candidate_p10_ms,candidate_p90_ms,candidate_stdev_ms,candidate_peak_mb,"
                             "speedup_pct,mem_saved_pct,max_abs_error,rel_error,status,message"));
        // The error message is quoted per RFC 4180 (the appended columns follow it).
        QVERIFY(text.find(",error,\"kernel failed, code \"\"7\"\"\nsecond line\r\nthird, with comma\",") !=
                std::string::npos);
        QVERIFY(text.find(",cancelled,\"\"\"\",") != std::string::npos);
        // The compile columns, the GPU columns, then the model come last of all (added after the breakdown,
        // efficiency and energy columns).
        QVERIFY(text.find("baseline_compile_ms,candidate_compile_ms,gpu_index,gpu_name,gpu_uuid,model,") != std::string::npos);
        // Then each number's uncertainty: medians' intervals, noise, stop reasons, the speedup's
        // interval and verdict, the timing order.
        QVERIFY(text.find(",model,baseline_median_lo_ms,baseline_median_hi_ms,baseline_noise_pct,baseline_stop,"
                          "candidate_median_lo_ms,candidate_median_hi_ms,candidate_noise_pct,candidate_stop,"
                          "speedup_lo_pct,speedup_hi_pct,verdict,timing") != std::string::npos);
        // Row 9: compiled candidate and its GPU (name quoted: it holds a comma and quotes).
        QVERIFY(text.find(",0,12345.25,0,\"NVIDIA H200, \"\"SXM\"\"\",GPU-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f9,tiny,") !=
                std::string::npos);
        // Row 9 records no uncertainty (as rows of older runs): NaN intervals, no stop, no verdict.
        QVERIFY(text.find(",tiny,nan,nan,nan,,nan,nan,nan,,nan,nan,,") != std::string::npos);
    }

    void roundTripIsExact() {
        const Run run = sampleRun();
        const Run back = runFromNativeCsv(runToNativeCsv(run), "folder/sample.csv");
        Diff d;
        diffRows(d, run.rows, back.rows);
        // The spec is rebuilt from the rows: everything the rows say comes back.
        SweepSpec expected = SweepSpec{};
        expected.tasks = run.spec.tasks;
        expected.baseline = run.spec.baseline;
        expected.candidates = run.spec.candidates;
        expected.dtype = run.spec.dtype;
        expected.batchSizes = run.spec.batchSizes;
        expected.seqLens = run.spec.seqLens;
        expected.pads = run.spec.pads;
        expected.numBatches = run.spec.numBatches;
        diffSpec(d, expected, back.spec);
        QVERIFY2(d.empty(), d.text().c_str());
        QCOMPARE(back.environment.source, std::string("native-csv:sample.csv"));
        // And the text is stable.
        QCOMPARE(runToNativeCsv(back), runToNativeCsv(run));
    }

    void dtypeAndEmptyRun() {
        Run run = sampleRun();
        run.spec.dtype = DType::BFloat16;
        QCOMPARE(int(runFromNativeCsv(runToNativeCsv(run), "x.csv").spec.dtype), int(DType::BFloat16));
        const Run empty = runFromNativeCsv(runToNativeCsv(Run{}), "x.csv");
        QVERIFY(empty.rows.empty());
    }

    void columnOrderDoesNotMatter() {
        const Run run = sampleRun();
        auto records = fieldsOf(runToNativeCsv(run));
        // Shuffle the columns and add one the reader does not know.
        std::vector<size_t> order(records[0].size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::mt19937 rng(42);
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<std::vector<std::string>> shuffled;
        for (size_t r = 0; r < records.size(); ++r) {
            std::vector<std::string> rec;
            for (size_t i : order) rec.push_back(records[r][i]);
            rec.push_back(r == 0 ? "note" : "anything");
            shuffled.push_back(rec);
        }
        const Run back = runFromNativeCsv(toCsv(shuffled), "shuffled.csv");
        Diff d;
        diffRows(d, run.rows, back.rows);
        QVERIFY2(d.empty(), d.text().c_str());
    }

    void crlfLineEnds() {
        Run run = sampleRun();
        for (ResultRow& r : run.rows) r.message.erase(std::remove(r.message.begin(), r.message.end(), '\n'), r.message.end());
        for (ResultRow& r : run.rows) r.message.erase(std::remove(r.message.begin(), r.message.end(), '\r'), r.message.end());
        std::string text = runToNativeCsv(run);
        std::string crlf;
        for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        Diff d;
        diffRows(d, run.rows, runFromNativeCsv(crlf, "crlf.csv").rows);
        QVERIFY2(d.empty(), d.text().c_str());
    }

    void optionalColumnsDefault() {
        const std::string text =
            "task,batch_size,seq_len,pad,baseline,baseline_median_ms,candidate,candidate_median_ms,status\n"
            "qa,8,128,0.2,cpu:eager,3.5,cpu:sdpa,2.5,ok\n";
        const Run run = runFromNativeCsv(text, "small.csv");
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        const ResultRow def;
        QCOMPARE(int(r.cell.task), int(Task::Qa));
        QCOMPARE(r.cell.batchSize, 8);
        QCOMPARE(r.baseline.latency.medianMs, 3.5);
        QCOMPARE(r.candidate.latency.medianMs, 2.5);
        QCOMPARE(r.candidate.hasStats, def.candidate.hasStats);
        // Files written before the compile columns existed read as "not compiled".
        QCOMPARE(r.baseline.compileMs, -1.0);
        QCOMPARE(r.candidate.compileMs, -1.0);
        QCOMPARE(r.maxAbsError, def.maxAbsError);
        QCOMPARE(r.message, std::string());
        QCOMPARE(int(run.spec.tasks.at(0)), int(Task::Qa));
    }

    void malformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        auto q = [](const std::string& s) { return QString::fromStdString(s); };
        QTest::newRow("bad int") << q(withField("batch_size", 2, "four"))
                                 << "bad.csv: line 3, column \"batch_size\" (2): expected an integer, got \"four\"";
        QTest::newRow("int with space") << q(withField("seq_len", 1, " 128")) << "line 2, column \"seq_len\" (3)";
        QTest::newRow("int too big") << q(withField("seq_len", 1, "99999999999")) << "line 2, column \"seq_len\"";
        QTest::newRow("bad double") << q(withField("candidate_median_ms", 4, "1.5ms"))
                                    << "line 5, column \"candidate_median_ms\" (23): expected a number, got \"1.5ms\"";
        QTest::newRow("empty double") << q(withField("pad", 1, "")) << "line 2, column \"pad\" (4): expected a number";
        QTest::newRow("bad bool") << q(withField("is_cuda", 1, "yes"))
                                  << "line 2, column \"is_cuda\" (7): expected true or false, got \"yes\"";
        QTest::newRow("bad task") << q(withField("task", 1, "mlmx")) << "line 2, column \"task\" (1): unknown task \"mlmx\"";
        QTest::newRow("bad status") << q(withField("status", 1, "fine")) << "line 2, column \"status\" (33): unknown status";
        QTest::newRow("bad dtype") << q(withField("dtype", 1, "fp4")) << "line 2, column \"dtype\" (6): unknown dtype";
        QTest::newRow("empty backend") << q(withField("candidate", 1, "")) << "line 2, column \"candidate\" (20)";
        QTest::newRow("bad derived") << q(withField("speedup_pct", 1, "fast")) << "line 2, column \"speedup_pct\"";
        QTest::newRow("short line") << "task,batch_size,seq_len,pad,baseline,baseline_median_ms,candidate,candidate_median_ms,status\n"
                                       "qa,8,128,0.2,cpu:eager,3.5,cpu:sdpa,2.5\n"
                                    << "bad.csv: line 2: expected 9 fields (as in the header), got 8";
        QTest::newRow("missing column") << "task,batch_size,seq_len,pad,baseline,candidate,candidate_median_ms,status\n"
                                        << "bad.csv: line 1: missing column \"baseline_median_ms\"";
        QTest::newRow("duplicate column")
            << "task,task,batch_size,seq_len,pad,baseline,baseline_median_ms,candidate,candidate_median_ms,status\n"
            << "column \"task\" appears twice";
        QTest::newRow("empty") << "" << "bad.csv: empty file";
        QTest::newRow("unterminated") << q(runToNativeCsv(sampleRun()) + "qa,\"open quote\n")
                                      << "bad.csv: line 52: unterminated";
    }
    void malformed() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string msg = formatErrorOf([&] { runFromNativeCsv(text.toStdString(), "bad.csv"); });
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos,
                 notIn(expected.toStdString(), msg).c_str());
    }

    void fileRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run.csv").toStdString();
        const Run run = sampleRun();
        writeNativeCsv(run, path);
        QCOMPARE(filesIn(dir.path().toStdString()), std::vector<std::string>{"run.csv"});
        const Run back = readRunFile(path);
        Diff d;
        diffRows(d, run.rows, back.rows);
        QVERIFY2(d.empty(), d.text().c_str());
        QCOMPARE(back.environment.source, std::string("native-csv:run.csv"));
    }
};

QTEST_GUILESS_MAIN(NativeCsvTest)
#include "test_native_csv.moc"

// The old script's CSV: its published files (tests/fixtures/seed-csv) load as they are, the export writes the old header
// and formatting, and export → import gives the rows back.
#include <QtTest>

#include <cmath>
#include <sstream>

#include "core/RunSamples.h"
#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

using namespace bertbench;
using namespace bertbench::testing;

namespace {

const std::string kFixtures = std::string(BERTBENCH_FIXTURES_DIR) + "/seed-csv/";


std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

// A row like the runner makes, with numbers that survive 3-decimal formatting exactly.
ResultRow seedableRow(Task task, const std::string& cand, int batch, int seq, double pad, int k) {
    ResultRow r;
    r.cell = Cell{task, batch, seq, pad};
    r.numBatches = 7;
    r.isCuda = false;
    r.isHalf = false;
    r.useMask = true;
    r.baseline.backend = "cpu:eager";
    r.baseline.latency = {7, 10.25 + k, 10.5 + k, 9.0, 12.0, 0.75};
    r.baseline.peakMemMb = 500.125 + k;
    r.candidate.backend = cand;
    r.candidate.latency = {7, 5.5 + k, 5.75 + k, 5.0, 6.0, 0.25};
    r.candidate.peakMemMb = 250.5;
    r.realTokens = batch * seq;
    r.maxAbsError = 1e-6;
    r.relError = 1e-7;
    return r;
}

Run seedableRun() {
    Run run;
    run.spec.tasks = {Task::Encoder, Task::Classification, Task::Mlm};
    run.spec.baseline = "cpu:eager";
    run.spec.candidates = {"cpu:sdpa", "cpu:flash_attention_2"};
    run.spec.batchSizes = {1, 8};
    run.spec.seqLens = {128, 512};
    run.spec.pads = {0.0, 0.1, 0.75};
    run.spec.numBatches = 7;
    int k = 0;
    for (Task t : run.spec.tasks)
        for (int b : run.spec.batchSizes)
            for (int s : run.spec.seqLens)
                for (double p : run.spec.pads)
                    for (const std::string& c : run.spec.candidates) run.rows.push_back(seedableRow(t, c, b, s, p, k++));
    return run;
}

} // namespace

class SeedCsvTest : public QObject {
    Q_OBJECT
private slots:
    void fixturesLoadAsTheyAre_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("task");
        QTest::addColumn<QString>("candidate");
        QTest::newRow("fa2 classification") << "log_Bert_flash_attention_2_classification.csv"
                                            << int(Task::Classification) << "torch:flash_attention_2";
        QTest::newRow("fa2 mlm") << "log_Bert_flash_attention_2_mlm.csv" << int(Task::Encoder) << "torch:flash_attention_2";
        QTest::newRow("sdpa classification") << "log_Bert_sdpa_classification.csv" << int(Task::Classification)
                                             << "torch:sdpa";
        QTest::newRow("sdpa mlm") << "log_Bert_sdpa_mlm.csv" << int(Task::Encoder) << "torch:sdpa";
    }
    void fixturesLoadAsTheyAre() {
        QFETCH(QString, file);
        QFETCH(int, task);
        QFETCH(QString, candidate);
        const std::string path = kFixtures + file.toStdString();
        const std::string text = readTextFile(path);
        QCOMPARE(int(detectFormat(text)), int(RunFileFormat::SeedCsv));
        const Run run = readRunFile(path);
        QCOMPARE(run.rows.size(), size_t(120));
        QCOMPARE(run.environment.source, "seed-csv:" + file.toStdString());

        // The first row's numbers are the file's.
        const std::vector<std::string> first = split(lines(text).at(1));
        const ResultRow& r = run.rows.front();
        QCOMPARE(r.numBatches, std::stoi(first[0]));
        QCOMPARE(r.cell.batchSize, std::stoi(first[1]));
        QCOMPARE(r.cell.seqLen, std::stoi(first[2]));
        QCOMPARE(r.isCuda, first[3] == "True");
        QCOMPARE(r.isHalf, first[4] == "True");
        QCOMPARE(r.useMask, first[5] == "True");
        QCOMPARE(r.cell.pad, std::stod(first[6]));
        QCOMPARE(r.baseline.latency.medianMs, std::stod(first[7]));
        QCOMPARE(r.candidate.latency.medianMs, std::stod(first[8]));
        QCOMPARE(r.baseline.peakMemMb, std::stod(first[10]));
        QCOMPARE(r.candidate.peakMemMb, std::stod(first[11]));
        // The percentages are the file's, not recomputed from its rounded latencies.
        QCOMPARE(r.speedupPercent(), std::stod(first[9]));
        QCOMPARE(r.memorySavedPercent(), std::stod(first[12]));

        for (const ResultRow& row : run.rows) {
            QCOMPARE(int(row.cell.task), task);
            QCOMPARE(row.candidate.backend, candidate.toStdString());
            QCOMPARE(row.baseline.backend, std::string("torch:eager"));
            QVERIFY(!row.baseline.hasStats && !row.candidate.hasStats);
            QCOMPARE(row.baseline.latency.meanMs, row.baseline.latency.medianMs);
            QCOMPARE(row.candidate.latency.meanMs, row.candidate.latency.medianMs);
            QCOMPARE(int(row.status), int(RowStatus::Ok));
        }
        // The last row too.
        const std::vector<std::string> last = split(lines(text).back());
        QCOMPARE(run.rows.back().cell.batchSize, std::stoi(last[1]));
        QCOMPARE(run.rows.back().candidate.latency.medianMs, std::stod(last[8]));

        // The spec, rebuilt from the rows.
        const SweepSpec& spec = run.spec;
        QCOMPARE(spec.batchSizes, (std::vector<int>{1, 2, 4, 8, 16, 32, 64, 128}));
        QCOMPARE(spec.seqLens, (std::vector<int>{128, 256, 512}));
        QCOMPARE(spec.pads, (std::vector<double>{0, 0.1, 0.2, 0.5, 0.75}));
        QCOMPARE(spec.numBatches, 10);
        QCOMPARE(int(spec.dtype), int(DType::Float16));
        QCOMPARE(spec.tasks.size(), size_t(1));
        QCOMPARE(int(spec.tasks[0]), task);
        QCOMPARE(spec.baseline, std::string("torch:eager"));
        QCOMPARE(spec.candidates, std::vector<std::string>{candidate.toStdString()});
        QCOMPARE(cellsOf(spec).size(), size_t(120));
    }

    void reExportReproducesTheFixtureLines() {
        const std::string path = kFixtures + "log_Bert_sdpa_mlm.csv";
        const std::string text = readTextFile(path);
        const std::vector<std::string> original = lines(text);
        const std::vector<std::string> exported = lines(rowsToSeedCsv(readRunFile(path).rows));
        QCOMPARE(exported.size(), original.size());
        QCOMPARE(exported[0], original[0]);
        for (size_t i = 1; i < original.size(); ++i) {
            const auto a = split(original[i]);
            const auto b = split(exported[i]);
            QCOMPARE(b.size(), size_t(13));
            // Every column as written, the percentages included (kept, not recomputed).
            for (size_t c = 0; c < 13; ++c) QVERIFY2(a[c] == b[c], (original[i] + " vs " + exported[i]).c_str());
        }
    }

    void exportHasTheOldHeaderAndFormatting() {
        ResultRow r = seedableRow(Task::Encoder, "cuda:sdpa", 4, 256, 0.1, 0);
        r.numBatches = 10;
        r.isCuda = true;
        r.isHalf = true;
        r.useMask = false;
        r.baseline.latency.medianMs = 4.6514;
        r.candidate.latency.medianMs = 8.0036;
        r.baseline.peakMemMb = 464.1244;
        r.candidate.peakMemMb = 464.1236;
        ResultRow zeroPad = r;
        zeroPad.cell.pad = 0;
        zeroPad.isCuda = false;
        zeroPad.candidate.latency.medianMs = 2.0;
        zeroPad.baseline.latency.medianMs = 4.0;
        zeroPad.baseline.peakMemMb = 100;
        zeroPad.candidate.peakMemMb = 50;
        const std::string csv = rowsToSeedCsv({r, zeroPad});
        QCOMPARE(std::string(kSeedCsvHeader),
                 std::string("num_batches, batch_size, seq_len, is cuda, is half, use mask, pad percentage, "
                             "Latency eager (ms), Latency BT (ms), Speedup (%), Mem eager (MB), Mem BT (MB), "
                             "Mem saved (%)"));
        QCOMPARE(csv, std::string(kSeedCsvHeader) + "\n" +
                          "10,4,256,True,True,False,0.1,4.651,8.004,-41.884,464.124,464.124,0.000\n"
                          "10,4,256,False,True,False,0,4.000,2.000,100.000,100.000,50.000,100.000\n");
    }

    void exportThenImportGivesTheRowsBack() {
        Run run = seedableRun();
        // Failed rows are left out of the old format; rows are written in cell order.
        run.rows[2].status = RowStatus::Oom;
        const ResultRow failed = run.rows[2];
        std::reverse(run.rows.begin(), run.rows.end());

        QTemporaryDir dir;
        const std::string folder = dir.filePath("seed").toStdString();   // created on demand
        const std::vector<std::string> paths = writeSeedCsvs(run, folder);
        std::vector<std::string> names;
        for (const std::string& p : paths) names.push_back(p.substr(p.rfind('/') + 1));
        std::sort(names.begin(), names.end());
        QCOMPARE(names, (std::vector<std::string>{
                            "log_Bert_flash_attention_2_classification.csv", "log_Bert_flash_attention_2_mlm.csv",
                            "log_Bert_flash_attention_2_mlm_head.csv", "log_Bert_sdpa_classification.csv",
                            "log_Bert_sdpa_mlm.csv", "log_Bert_sdpa_mlm_head.csv"}));
        QCOMPARE(filesIn(folder), names);   // and no temp files

        const Run original = seedableRun();
        size_t total = 0;
        for (const std::string& path : paths) {
            const Run back = readRunFile(path);
            QVERIFY(!back.rows.empty());
            const Task task = back.rows[0].cell.task;
            const std::string cand = "cpu:" + back.rows[0].candidate.backend.substr(std::string("torch:").size());
            std::vector<ResultRow> expected;
            for (const ResultRow& r : original.rows)
                if (r.cell.task == task && r.candidate.backend == cand && !(r.cell == failed.cell && cand == failed.candidate.backend))
                    expected.push_back(r);
            QCOMPARE(back.rows.size(), expected.size());
            total += back.rows.size();
            Diff d;
            for (size_t i = 0; i < expected.size(); ++i) {
                const std::string p = path + " row " + std::to_string(i);
                const ResultRow& a = expected[i];
                const ResultRow& b = back.rows[i];
                d.eq(p + ".task", int(a.cell.task), int(b.cell.task));
                d.eq(p + ".batch", a.cell.batchSize, b.cell.batchSize);
                d.eq(p + ".seq", a.cell.seqLen, b.cell.seqLen);
                d.num(p + ".pad", a.cell.pad, b.cell.pad);
                d.eq(p + ".numBatches", a.numBatches, b.numBatches);
                d.eq(p + ".isCuda", a.isCuda, b.isCuda);
                d.eq(p + ".isHalf", a.isHalf, b.isHalf);
                d.eq(p + ".useMask", a.useMask, b.useMask);
                d.eq(p + ".baseline", std::string("torch:eager"), b.baseline.backend);
                d.eq(p + ".candidate", "torch:" + a.candidate.backend.substr(4), b.candidate.backend);
                d.num(p + ".baseMs", a.baseline.latency.medianMs, b.baseline.latency.medianMs);
                d.num(p + ".candMs", a.candidate.latency.medianMs, b.candidate.latency.medianMs);
                d.num(p + ".basePeak", a.baseline.peakMemMb, b.baseline.peakMemMb);
                d.num(p + ".candPeak", a.candidate.peakMemMb, b.candidate.peakMemMb);
                // The file's speedup column, as written (three decimals), is what comes back.
                d.num(p + ".speedup", std::round(a.speedupPercent() * 1000) / 1000, b.speedupPercent());
            }
            QVERIFY2(d.empty(), d.text().c_str());
            QCOMPARE(back.spec.batchSizes, original.spec.batchSizes);
            QCOMPARE(back.spec.seqLens, original.spec.seqLens);
            QCOMPARE(back.spec.pads, original.spec.pads);
            QCOMPARE(back.spec.numBatches, original.spec.numBatches);
            QCOMPARE(int(back.spec.dtype), int(DType::Float32));
        }
        QCOMPARE(total, original.rows.size() - 1);
    }

    void aRunOfSeveralModelsWritesOneSetAModel() {
        Run run = seedableRun();
        run.spec.models = {"bert-base", "/ckpt/distilbert-base/"};
        const size_t n = run.rows.size();
        for (size_t i = 0; i < n; ++i) {
            run.rows[i].cell.model = "bert-base";
            ResultRow other = run.rows[i];
            other.cell.model = "/ckpt/distilbert-base/";
            other.candidate.latency.medianMs *= 2;
            run.rows.push_back(other);
        }
        QTemporaryDir dir;
        const std::string folder = dir.filePath("seed").toStdString();
        const std::vector<std::string> paths = writeSeedCsvs(run, folder);
        QCOMPARE(int(paths.size()), 12);
        QCOMPARE(filesIn(folder + "/bert-base"), filesIn(folder + "/distilbert-base"));
        QCOMPARE(int(filesIn(folder + "/bert-base").size()), 6);
        // Each set holds its model's rows only.
        const Run a = readRunFile(folder + "/bert-base/log_Bert_sdpa_mlm.csv");
        const Run b = readRunFile(folder + "/distilbert-base/log_Bert_sdpa_mlm.csv");
        QCOMPARE(a.rows.size(), b.rows.size());
        QCOMPARE(b.rows[0].candidate.latency.medianMs, 2 * a.rows[0].candidate.latency.medianMs);
    }

    void fileNames_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("task");
        QTest::addColumn<QString>("candidate");
        QTest::newRow("token classification") << "dir/log_Bert_sdpa_token_classification.csv"
                                              << int(Task::TokenClassification) << "torch:sdpa";
        QTest::newRow("qa, odd attention") << "log_Bert_my_attn_qa.csv" << int(Task::Qa) << "torch:my_attn";
        QTest::newRow("encoder by name") << "log_Bert_flash_attention_2_encoder.csv" << int(Task::Encoder)
                                         << "torch:flash_attention_2";
        QTest::newRow("real mlm head") << "log_Bert_sdpa_mlm_head.csv" << int(Task::Mlm) << "torch:sdpa";
    }
    void fileNames() {
        QFETCH(QString, file);
        QFETCH(int, task);
        QFETCH(QString, candidate);
        const std::string text = std::string(kSeedCsvHeader) + "\n10,1,128,False,False,True,0,1.000,0.500,100.000,2.000,1.000,100.000\n";
        const Run run = runFromSeedCsv(text, file.toStdString());
        QCOMPARE(int(run.rows.at(0).cell.task), task);
        QCOMPARE(run.rows.at(0).candidate.backend, candidate.toStdString());
        QCOMPARE(run.rows.at(0).baseline.backend, std::string("torch:eager"));
        QCOMPARE(int(run.spec.dtype), int(DType::Float32));
        QCOMPARE(run.environment.source, "seed-csv:" + file.toStdString().substr(file.toStdString().rfind('/') + 1));
    }

    void malformed_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        const QString header = QString::fromLatin1(kSeedCsvHeader) + "\n";
        const QString good = "10,1,128,True,True,False,0,4.651,8.004,-41.892,464.124,464.124,0.000\n";
        const QString name = "log_Bert_sdpa_mlm.csv";
        QTest::newRow("bad name") << "results.csv" << header + good << "results.csv: the file name does not start with";
        QTest::newRow("no task in name") << "log_Bert_sdpa.csv" << header + good << "cannot tell the attention and the task";
        QTest::newRow("empty") << name << "" << "log_Bert_sdpa_mlm.csv: line 1: empty file";
        QTest::newRow("other header") << name << "a,b,c\n" + good << "line 1: the header has 3 columns";
        QTest::newRow("renamed column") << name << QString(header).replace("Mem BT", "Mem X") + good
                                        << "line 1: column 12 is \" Mem X (MB)\", not \"Mem BT (MB)\"";
        QTest::newRow("short line") << name << header + good + "10,1,128,True,True,False,0,4.651\n"
                                    << "log_Bert_sdpa_mlm.csv: line 3: expected 13 fields, got 8";
        QTest::newRow("bad bool") << name << header + good + QString(good).replace("True,True", "True,Yes")
                                  << "line 3, column \"is half\" (5): expected True or False, got \"Yes\"";
        QTest::newRow("bad int") << name << header + QString(good).replace("10,1,128", "10,one,128")
                                 << "line 2, column \"batch_size\" (2): expected a non-negative integer, got \"one\"";
        QTest::newRow("bad number") << name << header + QString(good).replace("8.004", "8.0.4")
                                    << "line 2, column \"Latency BT (ms)\" (9): expected a number, got \"8.0.4\"";
        QTest::newRow("bad percent") << name << header + QString(good).replace("-41.892", "n/a")
                                     << "line 2, column \"Speedup (%)\" (10)";
    }
    void malformed() {
        QFETCH(QString, file);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const std::string msg = formatErrorOf([&] { runFromSeedCsv(text.toStdString(), file.toStdString()); });
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos,
                 notIn(expected.toStdString(), msg).c_str());
    }

    void crlfAndSpacesAreTolerated() {
        const std::string text = std::string(kSeedCsvHeader) +
                                 "\r\n10, 1, 128, True, True, False, 0.5, 4.651, 8.004, -41.892, 464.124, 464.124, 0.000\r\n";
        const Run run = runFromSeedCsv(text, "log_Bert_sdpa_mlm.csv");
        QCOMPARE(run.rows.size(), size_t(1));
        QCOMPARE(run.rows[0].cell.pad, 0.5);
        QCOMPARE(run.rows[0].candidate.latency.medianMs, 8.004);
    }
};

QTEST_GUILESS_MAIN(SeedCsvTest)
#include "test_seed_csv.moc"

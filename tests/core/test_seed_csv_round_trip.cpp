// The old script's CSVs are HuggingFace transformers measurements: they load labelled as the
// torch:* backends, and converting them to a native file and back keeps every number as written
// (the percentages too, which the old script computed from unrounded latencies).
#include <QtTest>

#include <cmath>

#include "core/results/Csv.h"
#include "core/results/RunFiles.h"

using namespace bertbench;

namespace {

const std::string kFixtures = std::string(BERTBENCH_FIXTURES_DIR) + "/seed-csv/";

// A file whose speedup differs from the one its rounded latencies give: 18.699 / 18.200 is
// +2.742 %, the old script wrote +2.749 % from the unrounded medians; likewise memory saved.
const std::string kQaFileName = "log_Bert_flash_attention_2_qa.csv";
const std::string kQaText = std::string(kSeedCsvHeader) +
                            "\n10,32,128,True,True,False,0.1,18.699,18.200,2.749,2018.500,1290.250,56.451\n";

} // namespace

class SeedCsvRoundTripTest : public QObject {
    Q_OBJECT
private slots:
    void oldScriptFilesAreTorchMeasurements_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("candidate");
        QTest::newRow("flash_attention_2") << "log_Bert_flash_attention_2_mlm.csv" << "torch:flash_attention_2";
        QTest::newRow("sdpa") << "log_Bert_sdpa_classification.csv" << "torch:sdpa";
    }
    void oldScriptFilesAreTorchMeasurements() {
        QFETCH(QString, file);
        QFETCH(QString, candidate);
        const Run run = readRunFile(kFixtures + file.toStdString());
        QCOMPARE(run.spec.baseline, std::string("torch:eager"));
        QCOMPARE(run.spec.candidates, std::vector<std::string>{candidate.toStdString()});
        QCOMPARE(run.environment.source, "seed-csv:" + file.toStdString());
        for (const ResultRow& r : run.rows) {
            QCOMPARE(r.baseline.backend, std::string("torch:eager"));
            QCOMPARE(r.candidate.backend, candidate.toStdString());
            QVERIFY(r.isCuda);   // the device stays recorded in the row
        }
    }

    void storedPercentagesAreKept() {
        const Run run = runFromSeedCsv(kQaText, kQaFileName);
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        // What the latencies alone would give differs from the file: the file's value is kept.
        QCOMPARE(csv::fixed((18.699 / 18.200 - 1) * 100, 3), std::string("2.742"));
        QCOMPARE(r.speedupPercent(), 2.749);
        QCOMPARE(r.memorySavedPercent(), 56.451);
        QCOMPARE(rowsToSeedCsv(run.rows), kQaText);
    }

    void nativeJsonAndBackKeepEveryNumber() {
        const Run run = runFromSeedCsv(kQaText, kQaFileName);
        const Run back = runFromJson(runToJson(run), "run.json");
        QCOMPARE(back.rows.at(0).speedupPercent(), 2.749);
        QCOMPARE(back.environment.source, run.environment.source);
        QCOMPARE(rowsToSeedCsv(back.rows), kQaText);
    }

    void nativeCsvAndBackKeepEveryNumber() {
        const Run run = runFromSeedCsv(kQaText, kQaFileName);
        const Run back = runFromNativeCsv(runToNativeCsv(run), "results.csv");
        QCOMPARE(back.rows.at(0).speedupPercent(), 2.749);
        QCOMPARE(back.rows.at(0).candidate.backend, std::string("torch:flash_attention_2"));
        QCOMPARE(rowsToSeedCsv(back.rows), kQaText);
    }

    void measuredRowsStillComputeTheirPercentages() {
        // A BertBench row records nothing: its percentages follow from its latencies, in every format.
        Run run = runFromSeedCsv(kQaText, kQaFileName);
        ResultRow& r = run.rows[0];
        r.recordedSpeedupPct = std::nan("");
        r.recordedMemSavedPct = std::nan("");
        r.candidate.latency.medianMs = 9.3495;
        const double expected = (18.699 / 9.3495 - 1) * 100;
        QCOMPARE(r.speedupPercent(), expected);
        const Run viaJson = runFromJson(runToJson(run), "run.json");
        QVERIFY(std::isnan(viaJson.rows[0].recordedSpeedupPct));
        QCOMPARE(viaJson.rows[0].speedupPercent(), expected);
        const Run viaCsv = runFromNativeCsv(runToNativeCsv(run), "results.csv");
        QVERIFY(std::isnan(viaCsv.rows[0].recordedSpeedupPct));
        QVERIFY(std::isnan(viaCsv.rows[0].recordedMemSavedPct));
        QCOMPARE(viaCsv.rows[0].speedupPercent(), expected);
    }

    void everyFixtureSurvivesJsonAndNativeCsv_data() {
        QTest::addColumn<QString>("file");
        for (const char* f : {"log_Bert_flash_attention_2_classification.csv", "log_Bert_flash_attention_2_mlm.csv",
                              "log_Bert_sdpa_classification.csv", "log_Bert_sdpa_mlm.csv"})
            QTest::newRow(f) << f;
    }
    void everyFixtureSurvivesJsonAndNativeCsv() {
        QFETCH(QString, file);
        const std::string text = readTextFile(kFixtures + file.toStdString());
        const Run run = runFromSeedCsv(text, file.toStdString());
        const Run viaJson = runFromJson(runToJson(run), "run.json");
        QCOMPARE(rowsToSeedCsv(viaJson.rows), text);
        const Run viaCsv = runFromNativeCsv(runToNativeCsv(viaJson), "results.csv");
        QCOMPARE(rowsToSeedCsv(viaCsv.rows), text);
    }
};

QTEST_GUILESS_MAIN(SeedCsvRoundTripTest)
#include "test_seed_csv_round_trip.moc"

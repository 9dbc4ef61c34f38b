// The breakdown, efficiency and energy fields in the files: run.json version 2 and the journal
// carry them exactly; the native CSV's appended columns round-trip them; a version-1 run file
// still opens with "not recorded"; the seed CSV keeps the old script's exact header.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/MeasurementProfileSamples.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"

using namespace bertbench;
using namespace bertbench::testing;

class TestMeasurementProfileFiles : public QObject {
    Q_OBJECT

private slots:
    void runJsonRoundTripsEveryNewField() {
        const Run run = withProfiles(sampleRun());
        const std::string json = runToJson(run);
        const Run back = runFromJson(json, "run.json");
        const std::string base = diffRuns(run, back);
        QVERIFY2(base.empty(), base.c_str());
        const std::string diff = diffProfiles(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(runToJson(back), json);
        // The sample really holds each kind, so the comparison above covered them.
        QVERIFY(run.rows[0].baseline.breakdown && run.rows[0].baseline.breakdown->measured());
        QVERIFY(run.rows[0].candidate.breakdown && !run.rows[0].candidate.breakdown->measured());
        QVERIFY(!run.rows[1].baseline.breakdown);
        QVERIFY(run.rows[0].baseline.energy.available && !run.rows[0].candidate.energy.available);
    }

    void runJsonKeys() {
        const auto j = nlohmann::json::parse(runToJson(withProfiles(sampleRun())));
        QCOMPARE(j.at("version").get<int>(), 2);
        QCOMPARE(j.at("environment").at("gemm_peak_tflops").get<double>(), 702.25);
        const auto& base = j.at("rows").at(0).at("baseline");
        QCOMPARE(base.at("breakdown").at("parts").size(), allOpCategories().size());
        QCOMPARE(QString::fromStdString(base.at("breakdown").at("parts").at(1).at("category").get<std::string>()),
                 QStringLiteral("qkv_gemm"));
        QVERIFY(base.at("energy").at("throttled").get<bool>());
        QVERIFY(base.at("efficiency").at("flops_real").is_number());
        // A not-recorded breakdown is an absent key, not an empty object.
        QVERIFY(!j.at("rows").at(1).at("baseline").contains("breakdown"));
    }

    void versionOneFileOpensAsNotRecorded() {
        const std::string path = std::string(BERTBENCH_SOURCE_DIR) + "/tests/fixtures/run-v1/run.json";
        const Run run = readRunFile(path);
        QCOMPARE(run.rows.size(), size_t(2));
        QCOMPARE(run.rows[1].candidate.latency.medianMs, 22.75);
        for (const ResultRow& r : run.rows) {
            for (const Measurement* m : {&r.baseline, &r.candidate}) {
                QVERIFY(!m->breakdown);
                QVERIFY(!m->efficiency.recorded);
                QCOMPARE(m->efficiency.note, std::string("not recorded"));
                QVERIFY(!m->energy.available);
                QCOMPARE(m->energy.note, std::string("not recorded"));
            }
            QVERIFY(std::isnan(r.energySavedPercent()));
        }
        QVERIFY(!(run.environment.gemmPeakTflops > 0));
        // Saved again it becomes version 2 and still says "not recorded".
        const Run again = runFromJson(runToJson(run), "again.json");
        QCOMPARE(again.rows[0].candidate.energy.note, std::string("not recorded"));
        QVERIFY(!again.rows[0].candidate.breakdown);
    }

    void badNewFieldsNameThePath() {
        Run run = withProfiles(sampleRun());
        std::string json = runToJson(run);
        const std::string key = "\"joules_per_forward\":";
        const size_t at = json.find(key);
        QVERIFY(at != std::string::npos);
        json.insert(at + key.size(), "\"lots\",\"x\":");
        const std::string err = formatErrorOf([&] { runFromJson(json, "bad.json"); });
        QVERIFY2(err.find("rows[0].baseline.energy.joules_per_forward: expected a number") != std::string::npos,
                 err.c_str());
        std::string json2 = runToJson(run);
        const std::string cat = "\"category\":\"embeddings\"";
        json2.replace(json2.find(cat), cat.size(), "\"category\":7");
        const std::string err2 = formatErrorOf([&] { runFromJson(json2, "bad.json"); });
        QVERIFY2(err2.find("rows[0].baseline.breakdown.parts[0].category: expected a string") != std::string::npos,
                 err2.c_str());
    }

    void journalCarriesTheNewFields() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("run.journal").toStdString();
        const Run run = withProfiles(sampleRun());
        {
            RunJournal journal = RunJournal::create(path, run.spec, run.environment);
            for (const ResultRow& r : run.rows) journal.append(r);
        }
        const JournalContents back = readJournal(path);
        const std::string diff = diffProfiles(run, back.run);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(back.run.environment.gemmPeakTflops, 702.25);
    }

    void nativeCsvRoundTripsEveryNewField() {
        const Run run = withProfiles(sampleRun());
        const std::string text = runToNativeCsv(run);
        const Run back = runFromNativeCsv(text, "results.csv");
        const std::string diff = diffProfiles(run, back);
        QVERIFY2(diff.empty(), diff.c_str());
        QCOMPARE(runToNativeCsv(back), text);
    }

    void nativeCsvColumnsFollowMessage() {
        const std::string text = runToNativeCsv(withProfiles(sampleRun()));
        const std::string header = text.substr(0, text.find('\n'));
        const size_t message = header.find(",message,");
        QVERIFY(message != std::string::npos);
        QCOMPARE(header.substr(message + 9, 23), std::string("baseline_ms_embeddings,"));
        for (const char* col : {"candidate_ms_attention", "candidate_calls_padding", "candidate_ms_other",
                                "candidate_tflops", "candidate_pct_peak", "candidate_tokens_per_s",
                                "candidate_j_per_1k_tokens", "candidate_throttled", "candidate_window_extended",
                                "energy_saved_pct"})
            QVERIFY2(header.find(std::string(",") + col) != std::string::npos, col);
    }

    void oldNativeCsvReadsAsNotRecorded() {
        // A native CSV written before these columns existed has none of them.
        const std::string minimal = "task,batch_size,seq_len,pad,baseline,baseline_median_ms,candidate,"
                                    "candidate_median_ms,status\nencoder,1,128,0,cpu:eager,2,cpu:sdpa,1,ok\n";
        const Run m = runFromNativeCsv(minimal, "old.csv");
        QCOMPARE(m.rows[0].candidate.energy.note, std::string("not recorded"));
        QCOMPARE(m.rows[0].candidate.efficiency.note, std::string("not recorded"));
        QVERIFY(!m.rows[0].candidate.breakdown);
    }

    void nativeCsvBadNewFieldNamesLineAndColumn() {
        const Run run = withProfiles(sampleRun());
        std::string text = runToNativeCsv(run);
        const Run back = runFromNativeCsv(text, "r.csv");
        QVERIFY(back.rows[0].baseline.energy.throttled);
        // Make row 1's baseline_throttled unreadable.
        const std::string header = text.substr(0, text.find('\n'));
        std::vector<std::string> cols;
        {
            std::stringstream ss(header);
            for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
        }
        const size_t idx = size_t(std::find(cols.begin(), cols.end(), "baseline_throttled") - cols.begin());
        QVERIFY(idx < cols.size());
        Run broken = run;
        broken.rows.resize(1);
        broken.rows[0].message = "";
        broken.rows[0].candidate.energy.note = "n/a";   // no commas: the fields below are split naively
        std::string line = runToNativeCsv(broken);
        std::string body = line.substr(line.find('\n') + 1);
        std::vector<std::string> fields;
        {
            const std::string dataLine = body.substr(0, body.size() - 1);
            std::stringstream ss(dataLine);
            for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
            // getline drops a trailing empty field (a row without a GPU ends in ",,").
            if (!dataLine.empty() && dataLine.back() == ',') fields.emplace_back();
        }
        QCOMPARE(fields.size(), cols.size());
        fields[idx] = "maybe";
        std::string bad = header + "\n";
        for (size_t i = 0; i < fields.size(); ++i) bad += (i ? "," : "") + fields[i];
        bad += "\n";
        const std::string err = formatErrorOf([&] { runFromNativeCsv(bad, "r.csv"); });
        QVERIFY2(err.find("r.csv: line 2, column \"baseline_throttled\"") != std::string::npos, err.c_str());
        QVERIFY2(err.find("expected true or false, got \"maybe\"") != std::string::npos, err.c_str());
    }

    void seedCsvHeaderUnchanged() {
        const std::string text = rowsToSeedCsv(withProfiles(sampleRun()).rows);
        QCOMPARE(text.substr(0, text.find('\n')), std::string(kSeedCsvHeader));
    }

    void energySavedPercent() {
        ResultRow r;
        r.baseline.energy.available = true;
        r.baseline.energy.joulesPerForward = 3.0;
        r.candidate.energy.available = true;
        r.candidate.energy.joulesPerForward = 2.0;
        QCOMPARE(r.energySavedPercent(), 50.0);   // (3 / 2 − 1)·100
        r.candidate.energy.available = false;
        QVERIFY(std::isnan(r.energySavedPercent()));
    }
};

QTEST_GUILESS_MAIN(TestMeasurementProfileFiles)
#include "test_measurement_profile_files.moc"

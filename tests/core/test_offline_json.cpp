// offline.json read back (core/sweep/OfflineJson.h): what `offline` wrote on an H100 reads with
// its numbers; a result written and read is the same result; every malformed field is refused
// with a message naming the file and the field.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/sweep/OfflineJson.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(BERTBENCH_FIXTURES_DIR) + "/offline/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Whether `text`, saved as `name` in a fresh folder, is taken for an offline.json (readIfOfflineFile).
bool readAsOffline(const std::string& text, const std::string& name = "offline.json") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << text;
    return readIfOfflineFile(path).has_value();
}

// The message of the FileFormatError reading `text` throws ("" when it reads).
std::string refusal(const std::string& text) {
    try {
        offlineFromJson(text, "bad.json");
    } catch (const FileFormatError& e) {
        return e.what();
    }
    return {};
}

std::string edited(const std::string& text, const std::function<void(nlohmann::ordered_json&)>& edit) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
    edit(j);
    return j.dump();
}

} // namespace

class OfflineJsonTest : public QObject {
    Q_OBJECT
private slots:
    void readsWhatTheH100Wrote() {
        const std::string text = fixture("h100-bert-large-qa-fp16.json");
        QVERIFY(readAsOffline(text));
        QVERIFY(!readAsOffline(text, "offline.txt"));   // only a .json is looked into
        const OfflineResult r = offlineFromJson(text, "h100-bert-large-qa-fp16.json");
        QCOMPARE(r.spec.model, std::string("bert-large"));
        QVERIFY(r.spec.task == Task::Qa);
        QVERIFY(r.spec.dtype == DType::Float16);
        QCOMPARE(r.spec.maxLength, 384);
        QCOMPARE(r.spec.reference, std::string("cuda:eager"));
        QVERIFY(r.spec.referenceDType == DType::Float32);
        QCOMPARE(r.samples, 10833);
        QCOMPARE(int(r.backends.size()), 2);
        const OfflineBackendResult& fa2 = r.backends[0];
        QCOMPARE(fa2.backend, std::string("cuda:flash_attention_2"));
        QCOMPARE(int(fa2.trials.size()), 2);
        QVERIFY(fa2.best >= 0);
        QCOMPARE(fa2.trials[size_t(fa2.best)].batchSize, 512);
        QCOMPARE(std::round(fa2.trials[size_t(fa2.best)].samplesPerS * 10) / 10, 4752.9);
        QVERIFY(std::abs(fa2.agreementPct - 99.12109375) < 1e-9);
        QCOMPARE(fa2.agreementDecisions, int64_t(1024));
    }

    void writtenThenReadIsTheSame() {
        const OfflineResult a = offlineFromJson(fixture("h100-bert-large-qa-hf-sdpa.json"), "hf.json");
        const OfflineResult b = offlineFromJson(offlineToJson(a), "again.json");
        QCOMPARE(offlineToJson(b), offlineToJson(a));
        QCOMPARE(b.backends[0].trials.size(), size_t(3));
        QCOMPARE(b.backends[0].trials[2].passMs.p90Ms, a.backends[0].trials[2].passMs.p90Ms);
    }

    void otherJsonIsNotOffline() {
        QVERIFY(!readAsOffline("{\"format\": \"bertbench-run\"}"));
        QVERIFY(!readAsOffline("[1, 2]"));
        QVERIFY(!readAsOffline("not json"));
        QVERIFY(refusal("{\"format\": \"bertbench-run\", \"version\": 2}").find("bad.json: format:") == 0);
    }

    void everyBadFieldIsNamed_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("named");
        for (const auto& [i, field] : std::vector<std::pair<int, const char*>>{
                 {0, "spec.task: unknown task \"qb\""},
                 {1, "spec.max_length: "},
                 {2, "backends[0].trials[1].samples_per_s: "},
                 {3, "backends[1].best_batch_size: 1024 is no measured trial's batch size"},
                 {4, "backends[0].task_agreement_pct: expected a percentage"},
                 {5, "backends[0].trials: missing"},
                 {6, "version: version 7 is newer"},
                 {7, "backends[0].status: unknown status \"fine\""},
                 {8, "spec.agreement_reference: unknown dtype"}})
            QTest::newRow(field) << i << QString(field);
    }
    void everyBadFieldIsNamed() {
        QFETCH(int, which);
        QFETCH(QString, named);
        const std::string text = edited(fixture("h100-bert-large-qa-fp8.json"), [which](nlohmann::ordered_json& j) {
            switch (which) {
            case 0: j["spec"]["task"] = "qb"; break;
            case 1: j["spec"]["max_length"] = "384"; break;
            case 2: j["backends"][0]["trials"][1]["samples_per_s"] = nullptr; break;
            case 3: j["backends"][1]["best_batch_size"] = 1024; break;
            case 4: j["backends"][0]["task_agreement_pct"] = 140; break;
            case 5: j["backends"][0].erase("trials"); break;
            case 6: j["version"] = 7; break;
            case 7: j["backends"][0]["status"] = "fine"; break;
            case 8: j["spec"]["agreement_reference"] = "cuda:eager fp64"; break;
            }
        });
        const std::string why = refusal(text);
        QVERIFY2(why.rfind("bad.json: ", 0) == 0 && why.find(named.toStdString()) != std::string::npos, why.c_str());
    }

    void hostileNumbersAreFileErrors() {
        QVERIFY(refusal("{\"format\": \"bertbench-offline\", \"version\": 1e99999}").find("not valid JSON") != std::string::npos);
        const std::string huge = edited(fixture("h100-bert-large-qa-fp8.json"), [](nlohmann::ordered_json& j) {
            j["backends"][0]["trials"][0]["samples_per_s"] = "Infinity";
        });
        QVERIFY2(refusal(huge).find("samples_per_s: expected a finite rate") != std::string::npos, refusal(huge).c_str());
    }
};

QTEST_GUILESS_MAIN(OfflineJsonTest)
#include "test_offline_json.moc"

// Inputs the fuzzers found (tests/fuzz/regressions/) and their relatives: every reader must
// refuse them with an InputError (a clear message), never crash or throw anything else.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/model/ModelConfig.h"
#include "core/model/Safetensors.h"
#include "core/results/RunFiles.h"
#include "core/sweep/OfflineJson.h"
#include "core/sweep/SpecJson.h"
#include "core/util/Errors.h"
#include "tests/fuzz/FuzzReaders.h"

using namespace bertbench;
namespace fs = std::filesystem;

namespace {

using Reader = std::function<void(const std::string&)>;

const std::vector<std::pair<std::string, Reader>>& readers() {
    static const std::vector<std::pair<std::string, Reader>> all{
        {"run_json", [](const std::string& s) { runFromJson(s, "hostile.json"); }},
        {"spec_json", [](const std::string& s) { specFromJson(s, "hostile-spec.json"); }},
        {"hf_config", [](const std::string& s) { parseHfConfig(s, "config.json"); }},
        {"seed_csv", [](const std::string& s) { runFromSeedCsv(s, "log_Bert_sdpa_mlm.csv"); }},
        {"native_csv", [](const std::string& s) { runFromNativeCsv(s, "hostile.csv"); }},
        {"safetensors",
         [](const std::string& s) {
             const auto f = SafetensorsFile::fromBytes(std::vector<uint8_t>(s.begin(), s.end()), "hostile.safetensors");
             for (const auto& entry : f.entries()) f.tensor(entry.first);
         }},
        {"lengths", fuzz::readLengthsInput},
        {"texts", fuzz::readTextsInput},
        {"hf_reference", fuzz::readHfReferenceInput},
        {"offline_json", [](const std::string& s) { offlineFromJson(s, "hostile-offline.json"); }},
#ifdef BERTBENCH_HAVE_TOKENIZERS
        {"tokenizer_files", fuzz::readTokenizerFileInput},
#endif
    };
    return all;
}

// True when the reader accepted the input or refused it with an InputError.
bool refusedCleanly(const Reader& read, const std::string& input, std::string& what) {
    try {
        read(input);
        return true;
    } catch (const InputError& e) {
        what = e.what();
        return true;
    } catch (const std::exception& e) {
        what = std::string("not an InputError: ") + e.what();
        return false;
    }
}

std::string safetensorsWithHeader(const std::string& header) {
    std::string out(8, '\0');
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out[size_t(i)] = char((n >> (8 * i)) & 0xff);
    return out + header;
}

} // namespace

class HostileInputsTest : public QObject {
    Q_OBJECT
private slots:
    void numberOverflowsAreInputErrors_data() {
        QTest::addColumn<QString>("input");
        QTest::newRow("huge exponent") << "{\"format\": 1e99999}";
        QTest::newRow("huge exponent in array") << "[99999999999999999999999999999999999999e9999]";
        QTest::newRow("huge negative") << "{\"a\": -1e400}";
    }
    void numberOverflowsAreInputErrors() {
        QFETCH(QString, input);
        for (const auto& [name, read] : readers()) {
            if (name == "safetensors" || name == "seed_csv" || name == "native_csv") continue;
            std::string what;
            QVERIFY2(refusedCleanly(read, input.toStdString(), what), qPrintable(QString::fromStdString(name + ": " + what)));
        }
        std::string what;
        const std::string st = safetensorsWithHeader(input.toStdString());
        QVERIFY2(refusedCleanly(readers().back().second, st, what), what.c_str());
    }

    void everyRegressionFileIsRefusedCleanly() {
        const fs::path dir = fs::path(BERTBENCH_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
        int checked = 0, files = 0;
        for (const auto& entry : fs::directory_iterator(dir)) {
            ++files;
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream buf;
            buf << in.rdbuf();
            const std::string name = entry.path().filename().string();
            for (const auto& [readerName, read] : readers()) {
                if (name.rfind(readerName + "-", 0) != 0) continue;
                std::string what;
                QVERIFY2(refusedCleanly(read, buf.str(), what), qPrintable(QString::fromStdString(name + ": " + what)));
                ++checked;
            }
        }
        QVERIFY(checked >= 1);
#ifdef BERTBENCH_HAVE_TOKENIZERS
        QCOMPARE(checked, files);   // every regression file names a reader of this test
#endif
    }
};

QTEST_GUILESS_MAIN(HostileInputsTest)
#include "test_hostile_inputs.moc"

// `offline` and `run --scenario offline` in process on the CPU: the table, offline.json with every
// backend, task agreement against a separate fp32 reference; refusals with their reasons (fp8 on
// cpu:*, no --lengths, another scenario, an unknown reference dtype); task agreement in run's
// summary; `summary` of an offline folder prints its table.
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/CliTestSupport.h"

using namespace bertbench::cli;
using namespace bertbench::cli::test;

namespace {

const std::string kLengths = std::string(BERTBENCH_SOURCE_DIR) + "/bench/throughput/squad_v1.1_like_lengths.txt";

#define EXPECT_IN(text, part) QVERIFY2(contains(text, part), qPrintable(QString::fromStdString(std::string(part) + " not in:\n" + text)))

} // namespace

class TestCliOffline : public QObject {
    Q_OBJECT

private slots:
    void offlineRunsAndWritesItsFile() {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString() + "/off";
        const CliResult r = runCliCaptured({"run", "--scenario", "offline", "--lengths", kLengths, "--samples", "48",
                                            "--model", "tiny", "--task", "qa", "--max-len", "64", "--device", "cpu",
                                            "--backends", "cpu:sdpa,cpu:flash_attention_2", "--reference",
                                            "cpu:eager:fp32", "--batch-sizes", "8,16", "--passes", "1", "--warmup",
                                            "0", "--agreement-samples", "16", "--threads", "2", "--quiet", "--out", out});
        QVERIFY2(r.code == kExitOk, r.err.c_str());
        EXPECT_IN(r.out, "Offline: tiny qa fp32, 48 samples");
        EXPECT_IN(r.out, "task agreement with cpu:eager fp32 100.00% of 32 decisions");
        std::ifstream in(out + "/offline.json");
        const auto j = nlohmann::json::parse(in);
        QCOMPARE(int(j["backends"].size()), 2);
        QCOMPARE(j["spec"]["agreement_reference"].get<std::string>(), std::string("cpu:eager fp32"));
        QVERIFY(std::filesystem::exists(out + "/offline.txt"));
        // `summary` of the folder (or the file) prints the table back from offline.json.
        const CliResult again = runCliCaptured({"summary", out});
        QVERIFY2(again.code == kExitOk, again.err.c_str());
        EXPECT_IN(again.out, "Offline: tiny qa fp32, 48 samples");
        EXPECT_IN(again.out, "<- best");
        EXPECT_IN(again.out, "cpu:flash_attention_2 (fp32): ");
    }

#ifdef BERTBENCH_HAVE_GUI
    // `plot` of the three offline.json files of one H100 call: one figure of them all; a file of
    // another cell among them is refused by name. In a child process: plot needs a QApplication.
    void plotDrawsOfflineFiles() {
        const QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/../app/bertbench-cli");
        if (!QFileInfo::exists(cli)) QSKIP("bertbench-cli is not built next to the tests");
        const QString fixtures = QStringLiteral(BERTBENCH_FIXTURES_DIR "/offline/");
        QTemporaryDir tmp;
        QProcess plot;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        plot.setProcessEnvironment(env);
        plot.start(cli, {QStringLiteral("plot"), fixtures + "h100-bert-large-qa-fp16.json", fixtures + "h100-bert-large-qa-fp8.json",
                         fixtures + "h100-bert-large-qa-hf-sdpa.json", QStringLiteral("--out"), tmp.path()});
        QVERIFY(plot.waitForFinished(120000));
        QVERIFY2(plot.exitCode() == 0, plot.readAllStandardError().constData());
        QVERIFY(plot.readAllStandardOutput().contains("1 figure written"));
        QVERIFY(QFileInfo(tmp.filePath(QStringLiteral("offline_bert-large_qa_max384.png"))).size() > 10000);

        std::ifstream in((fixtures + "h100-bert-large-qa-fp8.json").toStdString());
        nlohmann::json j = nlohmann::json::parse(in);
        j["spec"]["max_length"] = 128;
        const std::string other = tmp.path().toStdString() + "/max128.json";
        std::ofstream(other) << j.dump();
        plot.start(cli, {QStringLiteral("plot"), fixtures + "h100-bert-large-qa-fp16.json", QString::fromStdString(other),
                         QStringLiteral("--out"), tmp.path()});
        QVERIFY(plot.waitForFinished(120000));
        QCOMPARE(plot.exitCode(), kExitBadInput);
        QVERIFY2(plot.readAllStandardError().contains("max128.json: another cell"), "the refusal names the file");
    }
#endif

    void refusalsSayWhy() {
        CliResult r = runCliCaptured({"offline", "--lengths", kLengths, "--model", "tiny", "--device", "cpu", "--dtype", "fp8"});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_IN(r.err, "8.9");
        r = runCliCaptured({"offline", "--model", "tiny", "--device", "cpu"});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_IN(r.err, "--lengths FILE");
        r = runCliCaptured({"offline", "--scenario", "server", "--lengths", kLengths});
        QCOMPARE(r.code, kExitBadInput);
        r = runCliCaptured({"offline", "--lengths", kLengths, "--device", "cpu", "--reference", "cpu:eager:fp9"});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_IN(r.err, "unknown data type 'fp9'");
        r = runCliCaptured({"run", "--device", "cpu", "--model", "tiny", "--dtype", "fp8"});
        QCOMPARE(r.code, kExitBadInput);
        EXPECT_IN(r.err, "--dtype fp8: cpu:eager: the cpu:* backends compute in fp32");
    }

    void runSummaryCarriesTaskAgreement() {
        QTemporaryDir tmp;
        const CliResult r = runCliCaptured({"run", "--device", "cpu", "--model", "tiny", "--tasks", "classification",
                                            "--batch-sizes", "2", "--seq-lens", "16", "--pads", "0", "--num-batches",
                                            "1", "--warmup", "0", "--threads", "2", "--out", tmp.path().toStdString()});
        QVERIFY2(r.code == kExitOk, r.err.c_str());
        EXPECT_IN(r.out, "min agree");
        EXPECT_IN(r.out, "100%");
    }
};

QTEST_GUILESS_MAIN(TestCliOffline)
#include "test_cli_offline.moc"

// Crash safety: a CLI sweep killed with SIGKILL after some rows is resumed with --resume and
// ends with every cell exactly once, the rows finished before the kill unchanged.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/CliProcessSupport.h"
#include "app/cli/Command.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"

using namespace bertbench;
namespace fs = std::filesystem;

namespace {

using cli::test::cliBinary;
using cli::test::journalRows;

std::string key(const ResultRow& r) {
    std::ostringstream k;
    k << toString(r.cell.task) << '/' << r.cell.batchSize << '/' << r.cell.seqLen << '/' << r.cell.pad << '/'
      << r.candidate.backend;
    return k.str();
}

} // namespace

class ResumeTest : public QObject {
    Q_OBJECT
private slots:
    void killedSweepResumesToEveryCellOnce() {
        if (!fs::exists(cliBinary())) QSKIP("bertbench-cli is not built next to the tests");
        QTemporaryDir tmp;
        const std::string out = (fs::path(tmp.path().toStdString()) / "run").string();
        const std::string journal = out + "/run.journal";

        QProcess proc;
        proc.setProgram(QString::fromStdString(cliBinary()));
        proc.setArguments({"run", "--device", "cpu", "--model", "tiny", "--batch-sizes", "1,2,4,8",
                           "--seq-lens", "32,64", "--pads", "0,0.5", "--num-batches", "300", "--threads", "1",
                           "--quiet", "--out", QString::fromStdString(out)});
        proc.start();
        QVERIFY(proc.waitForStarted());
        // Wait for a few durable rows, then kill without warning.
        QElapsedTimer timer;
        timer.start();
        while (journalRows(journal) < 3 && proc.state() == QProcess::Running && timer.elapsed() < 120000)
            QThread::msleep(10);
        QVERIFY2(proc.state() == QProcess::Running, "the sweep ended before it could be killed");
        QVERIFY(journalRows(journal) >= 3);
        proc.kill();  // SIGKILL
        QVERIFY(proc.waitForFinished());
        QVERIFY(!fs::exists(out + "/run.json"));

        const JournalContents before = readJournal(journal);
        const int finishedBefore = int(before.run.rows.size());
        QVERIFY(finishedBefore >= 3 && finishedBefore < 16);

        std::ostringstream sout, serr;
        const int code = cli::runCli({"run", "--resume", out, "--quiet", "--threads", "1"}, sout, serr);
        QVERIFY2(code == 0, serr.str().c_str());

        const Run after = readRunFile(out + "/run.json");
        QCOMPARE(int(after.rows.size()), 16);
        std::map<std::string, int> seen;
        for (const ResultRow& r : after.rows) {
            ++seen[key(r)];
            QCOMPARE(toString(r.status), std::string("ok"));
        }
        QCOMPARE(int(seen.size()), 16);
        // Rows finished before the kill are kept exactly as measured.
        for (const ResultRow& old : before.run.rows) {
            bool found = false;
            for (const ResultRow& r : after.rows)
                if (key(r) == key(old)) {
                    found = true;
                    QCOMPARE(r.candidate.latency.medianMs, old.candidate.latency.medianMs);
                    QCOMPARE(r.baseline.latency.medianMs, old.baseline.latency.medianMs);
                }
            QVERIFY(found);
        }
        // Resuming a finished run measures nothing more.
        std::ostringstream o2, e2;
        QCOMPARE(cli::runCli({"run", "--resume", out, "--quiet"}, o2, e2), 0);
        QCOMPARE(int(readRunFile(out + "/run.json").rows.size()), 16);
    }

    void resumeRefusesFlagsThatChangeTheSweep() {
        std::ostringstream o, e;
        QCOMPARE(cli::runCli({"run", "--resume", "/nonexistent", "--batch-sizes", "2"}, o, e), cli::kExitBadInput);
        QVERIFY2(e.str().find("--batch-sizes") != std::string::npos, e.str().c_str());
        std::ostringstream o2, e2;
        QCOMPARE(cli::runCli({"run", "--resume", "/nonexistent/run"}, o2, e2), cli::kExitBadInput);
        QVERIFY2(e2.str().find("does not exist") != std::string::npos, e2.str().c_str());
    }
};

QTEST_GUILESS_MAIN(ResumeTest)
#include "test_resume.moc"

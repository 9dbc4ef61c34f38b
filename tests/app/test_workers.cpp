// run --gpus on CPU backends (the process model CI can run): each worker pinned to its own
// core; a worker killed with SIGKILL mid-sweep loses only its cell in flight, which the other
// worker measures again with the rest; a parent killed with SIGKILL resumes from the workers'
// journals to every cell exactly once.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/CliProcessSupport.h"
#include "app/cli/Command.h"
#include "app/cli/WorkerSlots.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"

using namespace bertbench;
namespace fs = std::filesystem;

namespace {

using cli::test::cliBinary;
using cli::test::journalRows;

int readPid(const std::string& path) {
    std::ifstream in(path);
    int pid = -1;
    in >> pid;
    return pid;
}

// "Cpus_allowed_list:\t1" of /proc/<pid>/status.
std::string allowedCpus(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("Cpus_allowed_list:", 0) == 0) return line.substr(line.find_first_not_of(" \t", 18));
    return "?";
}

bool alive(int pid) { return pid > 0 && kill(pid, 0) == 0; }

std::string key(const ResultRow& r) {
    std::ostringstream k;
    k << r.cell.batchSize << '/' << r.cell.seqLen << '/' << r.cell.pad << '/' << r.candidate.backend;
    return k.str();
}

// 3 x 2 x 2 = 12 cells, each a fraction of a second on one core: 300 forwards a backend, so that
// under a loaded machine the worker killed after its second cell still has cells left (with 60
// it could finish its share before the kill landed, and no death was seen).
QStringList sweep(const std::string& out) {
    return {"run",      "--device", "cpu",         "--model",   "tiny", "--batch-sizes", "1,2,4", "--seq-lens",
            "32,64",    "--pads",   "0,0.5",       "--num-batches", "300", "--gpus",        "cpu:2", "--quiet",
            "--out",    QString::fromStdString(out)};
}

template <typename Pred>
bool waitFor(Pred done, int ms) {
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < ms) QThread::msleep(10);
    return done();
}

} // namespace

class WorkersTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!fs::exists(cliBinary())) QSKIP("bertbench-cli is not built next to the tests");
        if (cli::allowedCpus().size() < 2) QSKIP("needs 2 cores (one per CPU worker)");
    }

    void killedWorkerCellIsMeasuredByTheOther() {
        QTemporaryDir tmp;
        const std::string out = (fs::path(tmp.path().toStdString()) / "run").string();
        QProcess proc;
        proc.start(QString::fromStdString(cliBinary()), sweep(out));
        QVERIFY(proc.waitForStarted());
        const std::string victimJournal = out + "/cpu1/run.journal";
        QVERIFY2(waitFor([&] { return journalRows(victimJournal) >= 2 || proc.state() != QProcess::Running; }, 60000),
                 "worker cpu1 did not finish two cells");
        QVERIFY2(proc.state() == QProcess::Running, "the sweep ended before a worker could be killed");
        const int victim = readPid(out + "/cpu1/worker.pid");
        const int survivor = readPid(out + "/cpu0/worker.pid");
        QVERIFY(alive(victim) && alive(survivor));
        // Each worker on a core of its own.
        const std::string victimCpus = allowedCpus(victim), survivorCpus = allowedCpus(survivor);
        QVERIFY2(victimCpus != survivorCpus && victimCpus.find_first_of(",-") == std::string::npos,
                 (victimCpus + " / " + survivorCpus).c_str());
        QCOMPARE(kill(victim, SIGKILL), 0);
        QVERIFY(proc.waitForFinished(120000));
        const std::string err = proc.readAllStandardError().toStdString();
        QVERIFY2(proc.exitCode() == 0, err.c_str());
        QVERIFY2(err.find("worker cpu1 (pid " + std::to_string(victim) + ") killed by signal 9") != std::string::npos,
                 err.c_str());

        const Run run = readRunFile(out + "/run.json");
        std::map<std::string, int> seen;
        for (const ResultRow& r : run.rows) {
            ++seen[key(r)];
            QCOMPARE(toString(r.status), std::string("ok"));
        }
        QCOMPARE(int(run.rows.size()), 12);
        QCOMPARE(int(seen.size()), 12);
        QCOMPARE(run.environment.workers, std::string("cpu:2"));
        // The surviving worker reported what its backends ran with: the run records it.
        QVERIFY2(run.environment.kernelOptions.count("cpu:eager") == 1, "no kernel options from the workers");
        bool threads = false;
        for (const KernelOption& o : run.environment.kernelOptions.at("cpu:eager")) threads |= o.name == "threads";
        QVERIFY(threads);
        // What the killed worker finished and reported before it died is in the run exactly as it
        // measured it (its last journaled row may be the cell in flight, measured again).
        const Run victimRun = readJournal(victimJournal).run;
        QVERIFY(!victimRun.rows.empty());
        for (size_t i = 0; i + 1 < victimRun.rows.size(); ++i) {
            const ResultRow& old = victimRun.rows[i];
            bool kept = false;
            for (const ResultRow& r : run.rows)
                kept = kept || (key(r) == key(old) && r.candidate.latency.medianMs == old.candidate.latency.medianMs &&
                                r.baseline.latency.medianMs == old.baseline.latency.medianMs);
            QVERIFY2(kept, key(old).c_str());
        }
    }

    // The narrowest window: a worker dies after sending every row of its cell but before "done".
    // The cell counts as measured (not measured again), and the death is still reported. A
    // wrapper around the real worker drops the first "done" any worker sends and SIGKILLs itself.
    void workerKilledBeforeDoneIsReportedAndItsCellKept() {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString(), out = dir + "/run", script = dir + "/worker.sh";
        std::ofstream(script) << "#!/bin/bash\n"
                                 "\"$REAL_CLI\" \"$@\" | while IFS= read -r line; do\n"
                                 "  case \"$line\" in done*) if mkdir \"$KILL_ONCE\" 2>/dev/null; then\n"
                                 "    echo \"${line#done }\" > \"$KILL_ONCE/cell\"; kill -9 $$; exit 0; fi;; esac\n"
                                 "  printf '%s\\n' \"$line\"\n"
                                 "done\n";
        fs::permissions(script, fs::perms::owner_all);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("BERTBENCH_WORKER_EXE", QString::fromStdString(script));
        env.insert("REAL_CLI", QString::fromStdString(cliBinary()));
        env.insert("KILL_ONCE", QString::fromStdString(dir + "/killed"));
        QProcess proc;
        proc.setProcessEnvironment(env);
        QStringList args = sweep(out);
        args[args.indexOf("--num-batches") + 1] = "2";
        proc.start(QString::fromStdString(cliBinary()), args);
        QVERIFY(proc.waitForFinished(120000));
        const std::string err = proc.readAllStandardError().toStdString();
        QVERIFY2(proc.exitCode() == 0, err.c_str());
        QVERIFY2(fs::exists(dir + "/killed/cell"), "no worker finished a cell");
        QVERIFY2(err.find("killed by signal 9") != std::string::npos && err.find("counts as measured") != std::string::npos,
                 err.c_str());
        const Run run = readRunFile(out + "/run.json");
        std::map<std::string, int> seen;
        for (const ResultRow& r : run.rows) ++seen[key(r)];
        QCOMPARE(int(run.rows.size()), 12);
        QCOMPARE(int(seen.size()), 12);
        // Kept, not measured again: the two journals together hold each cell once.
        QCOMPARE(journalRows(out + "/cpu0/run.journal") + journalRows(out + "/cpu1/run.journal"), 12);
    }

    void killedParentResumesFromTheWorkersJournals() {
        QTemporaryDir tmp;
        const std::string out = (fs::path(tmp.path().toStdString()) / "run").string();
        QProcess proc;
        proc.start(QString::fromStdString(cliBinary()), sweep(out));
        QVERIFY(proc.waitForStarted());
        auto rows = [&] { return journalRows(out + "/cpu0/run.journal") + journalRows(out + "/cpu1/run.journal"); };
        QVERIFY(waitFor([&] { return rows() >= 2 || proc.state() != QProcess::Running; }, 60000));
        QVERIFY2(proc.state() == QProcess::Running, "the sweep ended before it could be killed");
        const int w0 = readPid(out + "/cpu0/worker.pid"), w1 = readPid(out + "/cpu1/worker.pid");
        proc.kill();   // SIGKILL to the parent only
        QVERIFY(proc.waitForFinished());
        // Orphaned workers notice (their pipes close) and end after the cell in flight.
        QVERIFY2(waitFor([&] { return !alive(w0) && !alive(w1); }, 60000), "a worker outlived its parent");
        QVERIFY(!fs::exists(out + "/run.json"));
        const int before = rows();
        QVERIFY(before >= 2 && before < 12);

        qputenv("BERTBENCH_WORKER_EXE", QByteArray::fromStdString(cliBinary()));
        std::ostringstream sout, serr;
        const int code = cli::runCli({"run", "--resume", out, "--quiet"}, sout, serr);
        QVERIFY2(code == 0, serr.str().c_str());
        const Run run = readRunFile(out + "/run.json");
        std::map<std::string, int> seen;
        for (const ResultRow& r : run.rows) ++seen[key(r)];
        QCOMPARE(int(run.rows.size()), 12);
        QCOMPARE(int(seen.size()), 12);
        QCOMPARE(run.environment.workers, std::string("cpu:2"));   // resumed with the same workers
        // The workers appended to their journals, which now hold each cell once: no cell finished
        // before the kill was measured again.
        QCOMPARE(rows(), 12);
    }
};

QTEST_GUILESS_MAIN(WorkersTest)
#include "test_workers.moc"

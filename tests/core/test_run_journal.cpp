// The run journal: durable rows, torn last lines, resume bookkeeping (finished cells, merge).
#include <QtTest>

#include <QTemporaryDir>
#include <fstream>

#include "core/results/RunFiles.h"
#include "core/results/RunJournal.h"
#include "core/util/Errors.h"

using namespace bertbench;

namespace {

SweepSpec twoByTwo() {
    SweepSpec spec;
    spec.candidates = {"cpu:sdpa", "cpu:flash_attention_2"};
    spec.batchSizes = {1, 2};
    spec.seqLens = {64};
    spec.pads = {0.0, 0.5};
    return spec;
}

ResultRow rowFor(const Cell& cell, const std::string& candidate, RowStatus status, double ms) {
    ResultRow r;
    r.cell = cell;
    r.baseline.backend = "cpu:eager";
    r.baseline.latency.medianMs = 2 * ms;
    r.candidate.backend = candidate;
    r.candidate.latency.medianMs = ms;
    r.status = status;
    r.message = status == RowStatus::Ok ? "" : "a message, with \"quotes\"\nand a newline";
    return r;
}

} // namespace

class RunJournalTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

    std::string path(const char* name) { return dir.filePath(name).toStdString(); }

private slots:
    void rowsComeBackExactly() {
        const SweepSpec spec = twoByTwo();
        const auto cells = cellsOf(spec);
        Environment env;
        env.host = "host-a";
        {
            RunJournal j = RunJournal::create(path("a.journal"), spec, env);
            j.append(rowFor(cells[0], "cpu:sdpa", RowStatus::Ok, 1.25));
            j.append(rowFor(cells[0], "cpu:flash_attention_2", RowStatus::Oom, 0));
        }
        const JournalContents c = readJournal(path("a.journal"));
        QCOMPARE(c.tornLines, 0);
        QCOMPARE(c.run.environment.host, std::string("host-a"));
        QCOMPARE(c.run.spec.batchSizes, spec.batchSizes);
        QCOMPARE(int(c.run.rows.size()), 2);
        QCOMPARE(c.run.rows[0].candidate.latency.medianMs, 1.25);
        QCOMPARE(c.run.rows[1].message, std::string("a message, with \"quotes\"\nand a newline"));
        QVERIFY(looksLikeJournal(readTextFile(path("a.journal"))));
    }

    void aTornLastLineIsDroppedAndRepairedOnReopen() {
        const SweepSpec spec = twoByTwo();
        const auto cells = cellsOf(spec);
        {
            RunJournal j = RunJournal::create(path("b.journal"), spec, {});
            j.append(rowFor(cells[0], "cpu:sdpa", RowStatus::Ok, 1));
        }
        {
            std::ofstream out(path("b.journal"), std::ios::app);
            out << "{\"task\":\"encoder\",\"batch_si";  // killed mid-write
        }
        QCOMPARE(readJournal(path("b.journal")).tornLines, 1);
        QCOMPARE(int(readJournal(path("b.journal")).run.rows.size()), 1);
        {
            RunJournal j = RunJournal::reopen(path("b.journal"));
            j.append(rowFor(cells[1], "cpu:sdpa", RowStatus::Ok, 3));
        }
        const JournalContents c = readJournal(path("b.journal"));
        QCOMPARE(c.tornLines, 0);
        QCOMPARE(int(c.run.rows.size()), 2);
        QCOMPARE(c.run.rows[1].candidate.latency.medianMs, 3.0);
    }

    void corruptFilesAreRefusedWithTheLine() {
        {
            std::ofstream out(path("c.journal"));
            out << "{\"format\":\"bertbench-journal\",\"version\":1,\"spec\":{}}\nnot json\n{}\n";
        }
        try {
            readJournal(path("c.journal"));
            QFAIL("a corrupt middle line must be refused");
        } catch (const FileFormatError& e) {
            QVERIFY2(std::string(e.what()).find("line 2") != std::string::npos, e.what());
        }
        {
            std::ofstream out(path("d.journal"));
            out << "{\"format\":\"something-else\"}\n";
        }
        QVERIFY_THROWS_EXCEPTION(FileFormatError, readJournal(path("d.journal")));
    }

    void finishedCellsNeedEveryCandidate() {
        Run run;
        run.spec = twoByTwo();
        const auto cells = cellsOf(run.spec);
        run.rows = {rowFor(cells[0], "cpu:sdpa", RowStatus::Ok, 1),
                    rowFor(cells[0], "cpu:flash_attention_2", RowStatus::Error, 1),
                    rowFor(cells[1], "cpu:sdpa", RowStatus::Ok, 1),
                    rowFor(cells[2], "cpu:sdpa", RowStatus::Ok, 1),
                    rowFor(cells[2], "cpu:flash_attention_2", RowStatus::Cancelled, 1)};
        const auto done = finishedCells(run);
        QCOMPARE(int(done.size()), 1);
        QVERIFY(done[0] == cells[0]);
    }

    void mergeKeepsTheFinishedRowInSweepOrder() {
        const SweepSpec spec = twoByTwo();
        const auto cells = cellsOf(spec);
        const std::vector<ResultRow> rows{rowFor(cells[1], "cpu:sdpa", RowStatus::Cancelled, 9),
                                          rowFor(cells[0], "cpu:sdpa", RowStatus::Ok, 1),
                                          rowFor(cells[1], "cpu:sdpa", RowStatus::Ok, 2)};
        const auto merged = mergeRows(spec, rows);
        QCOMPARE(int(merged.size()), 2);
        QVERIFY(merged[0].cell == cells[0]);
        QVERIFY(merged[1].cell == cells[1]);
        QCOMPARE(toString(merged[1].status), std::string("ok"));
        QCOMPARE(merged[1].candidate.latency.medianMs, 2.0);
    }
};

QTEST_GUILESS_MAIN(RunJournalTest)
#include "test_run_journal.moc"

#pragma once
// The journal of a run in progress: JSON Lines, one record per line, each line flushed and
// fsynced as it is written, so a killed process (even SIGKILL) loses at most the cell in flight.
//   line 1: {"format":"bertbench-journal","version":1,"spec":{...},"environment":{...}}
//   then:   one result row per line (the same row object as in the native run file)
// A resumed sweep appends to the same journal.
#include <cstdio>
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench {

class RunJournal {
public:
    // Starts a new journal at `path` (replacing any), with the header line written and synced.
    static RunJournal create(const std::string& path, const SweepSpec& spec, const Environment& env);
    // Reopens an existing journal for appending (resume); a torn last line is cut off first.
    static RunJournal reopen(const std::string& path);

    RunJournal(RunJournal&& other) noexcept;
    RunJournal& operator=(RunJournal&& other) noexcept;
    RunJournal(const RunJournal&) = delete;
    RunJournal& operator=(const RunJournal&) = delete;
    ~RunJournal();

    // Appends the row and makes it durable (fflush + fsync) before returning. Throws InputError.
    void append(const ResultRow& row);
    const std::string& path() const { return path_; }

private:
    RunJournal(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
    void writeLine(const std::string& line);
    std::string path_;
    std::FILE* file_ = nullptr;
};

struct JournalContents {
    Run run;                  // spec, environment and every complete row, in journal order
    int tornLines = 0;        // an incomplete last line (the process died mid-write) is dropped
};
// Throws FileFormatError for a file that is not a journal or has a corrupt line before the last.
JournalContents readJournal(const std::string& path);
bool looksLikeJournal(const std::string& text);

// Cells whose every candidate has a finished row (ok, oom or error): what a resume skips.
// Cancelled rows are not finished; a later row for the same cell and candidate wins.
std::vector<Cell> finishedCells(const Run& run);
// The rows of `earlier` then `later` (a resumed sweep: what it had, what it measured now), keeping
// for each (cell, candidate) the last finished row, else the last one, in sweep (cellsOf) order.
// This is the run a resumed sweep saves.
std::vector<ResultRow> mergeRows(const SweepSpec& spec, const std::vector<ResultRow>& earlier,
                                 const std::vector<ResultRow>& later = {});

} // namespace bertbench

#include "core/sweep/SweepRunner.h"

namespace bertbench {

// Forwards every callback to `inner` and appends each row to the journal before passing it on,
// so a row is durable before anyone reports it.
class JournalingObserver : public SweepObserver {
public:
    JournalingObserver(SweepObserver& inner, RunJournal& journal) : inner_(inner), journal_(journal) {}
    void cellStarted(const Cell& cell, int index, int total) override { inner_.cellStarted(cell, index, total); }
    void rowReady(const ResultRow& row) override {
        journal_.append(row);
        inner_.rowReady(row);
    }
    void progress(const SweepProgress& p) override { inner_.progress(p); }
    void log(const std::string& line) override { inner_.log(line); }

private:
    SweepObserver& inner_;
    RunJournal& journal_;
};

} // namespace bertbench

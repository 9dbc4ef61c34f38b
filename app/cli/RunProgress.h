#pragma once
// What `run` prints while it measures. On a terminal: one progress line on stderr (cell n/N,
// the current cell, elapsed, ETA), redrawn in place every second, with each finished row
// printed above it on stdout. Otherwise: one plain progress line per cell on stderr.
#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <thread>
#include <vector>

#include "core/sweep/SweepRunner.h"

namespace bertbench::cli {

class RunProgress : public SweepObserver {
public:
    // interactive: redraw a bar in place (stderr is a terminal). quiet: print nothing.
    RunProgress(std::ostream& out, std::ostream& err, bool interactive, bool quiet, int totalCells);
    ~RunProgress() override;
    RunProgress(const RunProgress&) = delete;
    RunProgress& operator=(const RunProgress&) = delete;

    void cellStarted(const Cell& cell, int index, int total) override;
    void rowReady(const ResultRow& row) override;
    void progress(const SweepProgress& p) override;
    void log(const std::string& line) override;

    // Rows and cells name their model (a run of several models).
    void setShowModels(bool show) { showModels_ = show; }

    // Stops the redraws and clears the bar. Idempotent.
    void finish();

    // Every row seen so far (kept in case the runner throws part-way).
    std::vector<ResultRow> rows() const;
    int cellsDone() const;

    // True when stderr is a terminal that can redraw a line (and `err` is std::cerr).
    static bool stderrIsTerminal(const std::ostream& err);

private:
    using Clock = std::chrono::steady_clock;
    std::string barLine() const;   // with mutex_ held
    void redraw();                 // with mutex_ held
    void clearBar();               // with mutex_ held
    double elapsedS() const;

    std::ostream& out_;
    std::ostream& err_;
    const bool interactive_;
    const bool quiet_;
    int total_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::thread ticker_;
    bool stopping_ = false;
    bool barShown_ = false;
    bool headerPrinted_ = false;

    Clock::time_point start_;
    Cell current_;
    int currentIndex_ = -1;
    int done_ = 0;
    double etaS_ = -1;
    Clock::time_point etaAt_;
    std::vector<ResultRow> rows_;
    bool showModels_ = false;
};

} // namespace bertbench::cli

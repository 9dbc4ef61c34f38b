#include "app/cli/RunProgress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "app/cli/CliSupport.h"
#include "app/cli/RunSummary.h"

namespace bertbench::cli {

namespace {

int terminalColumns() {
    winsize ws{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
    return 80;
}

std::string cellText(const Cell& c, bool withModel) {
    return taskText(c, withModel) + " batch " + std::to_string(c.batchSize) + ", seq " + std::to_string(c.seqLen) +
           (c.batching != Batching::None ? ", " + toString(c.batching) + " batches" : ", pad " + fixed(c.pad, 2));
}

} // namespace

bool RunProgress::stderrIsTerminal(const std::ostream& err) {
    if (&err != &std::cerr || !isatty(STDERR_FILENO)) return false;
    const char* term = std::getenv("TERM");
    return term == nullptr || std::strcmp(term, "dumb") != 0;
}

RunProgress::RunProgress(std::ostream& out, std::ostream& err, bool interactive, bool quiet, int totalCells)
    : out_(out), err_(err), interactive_(interactive && !quiet), quiet_(quiet), total_(totalCells),
      start_(Clock::now()), etaAt_(start_) {
    if (interactive_) {
        ticker_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            while (!stopping_) {
                wake_.wait_for(lock, std::chrono::seconds(1));
                if (!stopping_ && barShown_) redraw();
            }
        });
    }
}

RunProgress::~RunProgress() { finish(); }

void RunProgress::finish() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        if (interactive_) clearBar();
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
}

double RunProgress::elapsedS() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string RunProgress::barLine() const {
    const int shownCell = std::min(currentIndex_ + 1, total_);
    const int width = 16;
    const int filled = total_ > 0 ? int(double(done_) / total_ * width + 0.5) : 0;
    std::string bar(1, '[');
    bar.append(size_t(std::clamp(filled, 0, width)), '#');
    bar.append(size_t(width - std::clamp(filled, 0, width)), '.');
    bar += ']';
    double eta = -1;
    if (etaS_ >= 0) eta = std::max(0.0, etaS_ - std::chrono::duration<double>(Clock::now() - etaAt_).count());
    // Counts and times first, so that a narrow terminal cuts the cell description, not them.
    std::string line = bar;
    line += " cell ";
    line += currentIndex_ >= 0 ? std::to_string(shownCell) : std::string("-");
    line += '/';
    line += std::to_string(total_);
    line += " | ";
    line += clockText(elapsedS());
    line += " elapsed, ETA ";
    line += eta >= 0 ? clockText(eta) : std::string("--:--");
    if (currentIndex_ >= 0) {
        line += " | ";
        line += toString(current_.task);
        line += ' ';
        line += cellLabel(current_);
    }
    const size_t columns = size_t(terminalColumns() - 1);
    if (line.size() > columns) line.resize(columns);
    return line;
}

void RunProgress::redraw() {
    err_ << "\r\033[2K" << barLine() << std::flush;
    barShown_ = true;
}

void RunProgress::clearBar() {
    if (!barShown_) return;
    err_ << "\r\033[2K" << std::flush;
    barShown_ = false;
}

void RunProgress::cellStarted(const Cell& cell, int index, int total) {
    std::lock_guard lock(mutex_);
    current_ = cell;
    currentIndex_ = index;
    total_ = total;
    if (quiet_) return;
    if (interactive_) {
        redraw();
        return;
    }
    double eta = -1;
    if (etaS_ >= 0) eta = std::max(0.0, etaS_ - std::chrono::duration<double>(Clock::now() - etaAt_).count());
    err_ << "[" << (index + 1) << "/" << total << "] " << cellText(cell, showModels_) << " (elapsed " << clockText(elapsedS())
         << ", ETA " << (eta >= 0 ? clockText(eta) : std::string("--:--")) << ")\n"
         << std::flush;
}

void RunProgress::rowReady(const ResultRow& row) {
    std::lock_guard lock(mutex_);
    rows_.push_back(row);
    if (quiet_) return;
    if (interactive_) clearBar();
    if (!headerPrinted_) {
        out_ << rowHeaderLine() << "\n";
        headerPrinted_ = true;
    }
    out_ << rowLine(row, showModels_) << "\n" << std::flush;
    if (interactive_) redraw();
}

void RunProgress::progress(const SweepProgress& p) {
    std::lock_guard lock(mutex_);
    done_ = p.cellsDone;
    total_ = p.cellsTotal;
    etaS_ = p.etaS;
    etaAt_ = Clock::now();
    if (interactive_) redraw();
}

void RunProgress::log(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (quiet_) return;
    if (interactive_) clearBar();
    err_ << line << "\n" << std::flush;
    if (interactive_) redraw();
}

std::vector<ResultRow> RunProgress::rows() const {
    std::lock_guard lock(mutex_);
    return rows_;
}

int RunProgress::cellsDone() const {
    std::lock_guard lock(mutex_);
    return done_;
}

} // namespace bertbench::cli

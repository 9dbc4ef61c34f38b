#include "ui/models/RunDocument.h"

namespace bertbench::ui {

RunDocument::RunDocument(QString title, QObject* parent) : QObject(parent), title_(std::move(title)) {}

void RunDocument::setRun(Run run, QStringList sourcePaths) {
    run_ = std::move(run);
    sourcePaths_ = std::move(sourcePaths);
    live_ = false;
    running_.reset();
    emit reset();
}

void RunDocument::beginLive(const SweepSpec& spec, const Environment& environment) {
    run_ = Run{spec, environment, {}};
    live_ = true;
    running_.reset();
    progress_ = SweepProgress{};
    emit reset();
}

void RunDocument::appendRow(const ResultRow& row) {
    run_.rows.push_back(row);
    emit rowAppended(int(run_.rows.size()) - 1);
}

void RunDocument::setRunningCell(const std::optional<Cell>& cell) {
    running_ = cell;
    emit runningCellChanged();
}

void RunDocument::setProgress(const SweepProgress& progress) {
    progress_ = progress;
    emit progressChanged();
}

void RunDocument::finishLive(Run finalRun) {
    live_ = false;
    running_.reset();
    const bool sameRows = finalRun.rows.size() == run_.rows.size();
    if (sameRows) {
        // The rows on screen already are these: keep them, take spec and environment.
        run_.spec = std::move(finalRun.spec);
        run_.environment = std::move(finalRun.environment);
        run_.workload = std::move(finalRun.workload);   // a data workload's lengths, for the Workload tab
    } else {
        run_ = std::move(finalRun);
    }
    emit liveFinished();
    emit reset();
}

void RunDocument::appendLog(const QString& line) {
    log_.push_back(line);
    emit logAppended(line);
}

void RunDocument::setTitle(const QString& title) {
    title_ = title;
    emit titleChanged(title_);
}

} // namespace bertbench::ui

#pragma once
// Presenting a run as text: the per-row line printed as rows arrive, the summary table per
// task × candidate (cells, geometric-mean speedup, best/worst cell, failures), a header.
#include <optional>
#include <string>
#include <vector>

#include "app/cli/TextTable.h"
#include "core/sweep/Run.h"

namespace bertbench::cli {

struct GroupSummary {
    std::string model;
    Task task = Task::Encoder;
    std::string baseline;
    std::string candidate;
    int rows = 0;          // cells measured for this task × candidate
    int ok = 0;
    int failed = 0;        // oom, error or cancelled
    int faster = 0, same = 0, slower = 0;   // ok rows by verdict (rows without one count in none)
    double geoSpeedupPercent = 0;    // NaN when no ok row has times
    double geoMemSavedPercent = 0;   // NaN when no ok row has peaks
    std::optional<ResultRow> best;   // highest speedup among ok rows
    std::optional<ResultRow> worst;
    double maxRelError = -1;         // < 0 = not measured
    double minAgreementPct = 0;      // lowest task-level agreement of its ok rows; NaN = not measured
};

// One group a model × task × candidate: model by model and task by task in the spec's order.
std::vector<GroupSummary> summarizeRun(const Run& run);

// "b16 s128 p0.5"
std::string cellLabel(const Cell& cell);
// The first column of the tables: the task, after the model's label when a run has several
// ("distilbert-base encoder").
std::string taskText(const std::string& model, Task task, bool withModel);
inline std::string taskText(const Cell& cell, bool withModel) { return taskText(cell.model, cell.task, withModel); }
bool hasSeveralModels(const Run& run);
// Lines describing where a run came from (model, backends, machine, times).
std::string runHeader(const Run& run);
// The aligned table of summarizeRun(run), plus one line per failed row (up to a limit).
std::string summaryTable(const Run& run, size_t maxFailuresListed = 10);

// The compact per-row line: task, batch, seq, pad, candidate, baseline ms, candidate ms,
// speedup %, its 95 % interval and verdict, forwards baseline/candidate, memory saved %, rel.
// error, task-level agreement % ("-" when not measured), status (with the message when not ok).
const std::vector<TextTable::Column>& rowColumns();
const std::vector<size_t>& rowWidths();
std::vector<std::string> rowCells(const ResultRow& row, bool withModel = false);
std::string rowLine(const ResultRow& row, bool withModel = false);
std::string rowHeaderLine();
// Every row as one table.
std::string rowsTable(const Run& run);

} // namespace bertbench::cli

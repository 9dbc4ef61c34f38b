#pragma once
// The data behind a run's figures: one heatmap per (task, candidate, seq len, metric) and one
// line panel per (task, seq len, metric). Shared by the GUI and `bertbench-cli plot`.
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

#include "ui/models/HeatmapGrid.h"
#include "ui/models/RowLookup.h"

namespace bertbench::ui {

// Columns = the axes' batch sizes, rows = their pads (bottom to top); every cell NoData.
void shapeGrid(HeatmapGrid& grid, const RunAxes& axes);

// EnergySaved: (J_baseline / J_candidate − 1) × 100 per forward, where both were measured (NVML).
// TaskAgreement: the row's task-level agreement with the baseline (TaskAgreement.h), the % of
// decisions that are the same (ValueKind::Agreement: 100 is the neutral colour, changed answers
// read red); NaN for encoder rows and rows that did not measure it.
enum class Metric { Speedup, MemorySaved, EnergySaved, TaskAgreement };
QString metricTitle(Metric m);     // "Speedup (%)", "Memory saved (%)", "Energy saved (%)", "Task agreement (%)"
double metricValue(const ResultRow& row, Metric m);   // NaN when not recorded
// A throttled GPU clock in the baseline's or the candidate's timed window.
bool isThrottled(const ResultRow& row);
// Whether any row of the run measured energy on both sides (the energy heatmaps are worth showing).
bool hasEnergy(const Run& run);
// Whether any row of the run measured task-level agreement (the agreement heatmaps are worth showing).
bool hasTaskAgreement(const Run& run);

// What a live sweep adds to a run: cells not measured yet are pending, one may be running.
struct LiveCells {
    bool live = false;
    std::optional<Cell> running;
};

HeatmapGrid runHeatmap(const RowLookup& rows, const RunAxes& axes, const std::string& baseline,
                       Task task, const std::string& candidate, int seqLen, Metric metric,
                       const LiveCells& live = {});

struct LinePoint {
    double x = 0;           // batch size
    double y = 0;           // the metric
    double low = 0, high = 0;   // p10–p90 band (speedup only, rows with statistics)
    bool hasBand = false;
    bool same = false;          // speedup: its 95 % interval holds 0 (drawn as a hollow marker)
    Interval ci;                // speedup: its 95 % interval (invalid when not recorded)
};
struct LineSeriesData {
    QString name;           // "sdpa · pad 0.1"
    int candidateIndex = 0; // line style
    int padIndex = 0;       // colour
    std::vector<LinePoint> points;
};
struct LinePanelData {
    QString title;
    QString yTitle;
    int padCount = 0;
    QStringList candidateNames;   // by candidateIndex ("sdpa")
    QStringList padLabels;        // by padIndex ("0.1"; a data workload's "random", "sorted")
    QString rowsTitle = QStringLiteral("pad");   // the legend's word for them: "pad" or "batching"
    int minBatch = 1, maxBatch = 1;
    std::vector<LineSeriesData> series;
};

// Speedup band: the candidate's p10 and p90 latencies against the baseline's median.
LinePanelData runLinePanel(const RowLookup& rows, const RunAxes& axes, Task task,
                           const std::vector<std::string>& candidates, int seqLen, Metric metric);

// "sdpa" when every candidate runs on one device, else the full backend name.
QString shortCandidateName(const std::string& candidate, const std::vector<std::string>& all);

} // namespace bertbench::ui

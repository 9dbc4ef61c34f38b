#pragma once
// Two runs (or two candidates of one run) cell by cell: B against A.
//   speedup delta  = speedup_B − speedup_A, in percentage points (each against its own baseline)
//   latency ratio  = t_B / t_A of the candidates' median latencies (< 1: B is faster)
//   energy ratio   = J_B / J_A, the candidates' energy per forward (< 1: B uses less), where
//                    both sides measured energy (NVML); NaN elsewhere
// Each cell's verdict comes from both runs' stored samples (Uncertainty.h): a cell whose interval
// holds no change is drawn neutral ("same").
// Cells match on (batch size, seq len, pad); both sides must be `ok`.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "ui/models/HeatmapGrid.h"
#include "ui/models/RowLookup.h"

namespace bertbench::ui {

struct CompareSide {
    const Run* run = nullptr;
    std::string candidate;
    Task task = Task::Encoder;
    QString label;   // "run 1 · cpu:sdpa"
};

struct CellComparison {
    int batchSize = 0;
    int seqLen = 0;
    double pad = 0;
    const ResultRow* a = nullptr;
    const ResultRow* b = nullptr;
    double speedupDelta = 0;   // points
    double latencyRatio = 1;   // t_B / t_A
    double energyRatio = std::numeric_limits<double>::quiet_NaN();   // J_B / J_A
    // From both runs' per-forward samples (run.json; invalid where a side has none, e.g. CSVs):
    // the 95 % interval of the latency ratio t_B / t_A and of the speedup delta (points), and
    // what the ratio's says: Faster = B's candidate is faster, Same = the interval holds 1.
    Interval latencyRatioCi;
    Interval speedupDeltaCi;
    Verdict verdict = Verdict::Unknown;
};

struct ComparisonSummary {
    int cells = 0;
    int faster = 0, same = 0, slower = 0;   // cells by verdict (B against A); cells without one count in none
    double geoMeanLatencyRatio = 1;   // exp(mean(log ratio))
    double meanSpeedupDelta = 0;
    int energyCells = 0;              // cells with an energy ratio
    double geoMeanEnergyRatio = 1;
    std::optional<CellComparison> best;    // lowest latency ratio
    std::optional<CellComparison> worst;   // highest
};

std::vector<CellComparison> compareCells(const CompareSide& a, const CompareSide& b);
ComparisonSummary summarize(const std::vector<CellComparison>& cells);
// A few lines of rich text: cells compared, geometric-mean ratio, mean delta, best and worst cell.
QString summaryText(const ComparisonSummary& s, const CompareSide& a, const CompareSide& b);

enum class CompareMetric { SpeedupDelta, LatencyRatio, EnergyRatio };
// Axes are the union of both sides'; a cell only one side has is drawn as not measured.
RunAxes compareAxes(const CompareSide& a, const CompareSide& b);
HeatmapGrid compareHeatmap(const std::vector<CellComparison>& cells, const RunAxes& axes,
                           int seqLen, CompareMetric metric);

} // namespace bertbench::ui

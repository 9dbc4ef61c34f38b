#pragma once
// The per-operation breakdown of a run, shaped for the Breakdown tab:
//   cellBreakdown  — one stacked bar per backend (baseline first, then the candidates) for one
//                    cell: the categories' milliseconds, the remainder up to the plain forward's
//                    median ("other": launch overhead and gaps), and that median itself;
//   breakdownShares — for one backend at one (seq len, pad): each category's share of the
//                    forward against batch size (a stacked area).
// Backends without a breakdown say why: not recorded (version-1 files, old CSVs), not
// available (core's note), or the row failed.
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

#include "ui/models/RowLookup.h"

namespace bertbench::ui {

// Display facts of one category, in core's order (allOpCategories()); "other" is last.
struct CategoryInfo {
    QString name;    // core's stable name: "qkv_gemm"; "other" for the remainder
    QString label;   // "QKV GEMM"
    QString shortLabel;
};
const std::vector<CategoryInfo>& breakdownCategories();   // core's categories + "other"
QString otherCategoryLabel();                             // "other (launch overhead, gaps)"

enum class BreakdownState { Measured, NotAvailable, NotRecorded, Failed, NotMeasured };
QString toDisplayString(BreakdownState s);

struct BreakdownBar {
    QString backend;        // "cpu:sdpa"
    bool isBaseline = false;
    BreakdownState state = BreakdownState::NotRecorded;
    QString note;           // why it is not measured; core's note when not available
    std::vector<double> ms; // per breakdownCategories() entry, "other" last (0 when negative)
    double sumMs = 0;       // Σ measured categories (without "other")
    double forwardMs = 0;   // the plain timed forwards' median
    double otherMs = 0;     // forwardMs − sumMs (may be < 0: the profiling forward was slower)
    bool throttled = false; // the GPU clock dropped during this backend's timed window
    QString tooltip;        // rich text: every part with ms and share
};

struct CellBreakdown {
    QString title;          // "Per-op breakdown · batch 8 · seq len 128 · pad 0.5"
    QString subtitle;       // "encoder · milliseconds per forward"
    std::vector<BreakdownBar> bars;
    bool anyMeasured() const;
    // One line for the whole cell when no bar is measured ("breakdown not recorded: …").
    QString emptyNote() const;
};

CellBreakdown cellBreakdown(const Run& run, const RowLookup& rows, const std::vector<std::string>& candidates,
                            const Cell& cell);

struct ShareSeries {
    QString name, label;        // a breakdownCategories() entry
    std::vector<double> share;  // per batch size, in [0, 1]; NaN where the cell has no breakdown
};

struct BreakdownShares {
    QString title;              // "cpu:sdpa"
    QString subtitle;           // "shares at seq len 128 · pad 0.5"
    QString backend;
    std::vector<int> batchSizes;
    std::vector<ShareSeries> series;   // breakdownCategories() order; all-zero series kept (stable colours)
    int measuredPoints = 0;
    QString emptyNote;          // why nothing is drawn (no point, or one: an area needs two)
};

// Shares of max(forward median, Σ parts): "other" is the remainder, so each column sums to 1.
BreakdownShares breakdownShares(const Run& run, const RowLookup& rows, const RunAxes& axes, Task task,
                                const std::string& backend, int seqLen, double pad);

// Whether any row of the run holds a measured breakdown (the Breakdown figure is worth drawing).
bool hasBreakdown(const Run& run);
// The cell a Breakdown view opens on: the largest (seq len, batch, pad) where some backend has a
// measured breakdown — the cell where the backends differ most and one forward is least noisy —
// else the first cell of the axes; nullopt for empty axes.
std::optional<Cell> firstBreakdownCell(const Run& run, const RunAxes& axes, Task task);

} // namespace bertbench::ui

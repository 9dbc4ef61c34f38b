#pragma once
// One measured (cell × candidate) row, with the baseline measured in the same cell.
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/energy/Energy.h"
#include "core/profile/Efficiency.h"
#include "core/profile/OpCategory.h"
#include "core/sweep/SweepSpec.h"
#include "core/sweep/Uncertainty.h"

namespace bertbench {

enum class RowStatus { Ok, Oom, Error, Cancelled };
std::string toString(RowStatus s);               // "ok", "oom", "error", "cancelled"
std::optional<RowStatus> parseRowStatus(const std::string& s);

struct LatencyStats {
    int samples = 0;
    double medianMs = 0, meanMs = 0, p10Ms = 0, p90Ms = 0, stdevMs = 0;
    // The median's distribution-free interval at kVerdictLevel (Uncertainty.h) and its half-width
    // in % of the median; NaN = too few samples, or not recorded (older files).
    double medianLoMs = std::numeric_limits<double>::quiet_NaN();
    double medianHiMs = std::numeric_limits<double>::quiet_NaN();
    double noisePct = std::numeric_limits<double>::quiet_NaN();
};
// Median and percentiles by linear interpolation between order statistics; stdev is the sample
// stdev; the median's interval and noise as above.
LatencyStats summarize(std::vector<double> samplesMs);

// Why a side's timing stopped: the fixed count (--num-batches), its noise below --max-noise, the
// cell's --max-time, or the cap on samples; Unknown = not recorded (older files, imports).
enum class StopReason { Unknown, Count, Noise, MaxTime, SampleCap };
std::string toString(StopReason s);              // "", "count", "noise", "max_time", "sample_cap"
std::optional<StopReason> parseStopReason(const std::string& s);

struct Measurement {
    std::string backend;
    LatencyStats latency;
    double peakMemMb = 0;   // MB = 1e6 bytes
    bool hasStats = true;   // false for rows read from the old CSVs (only one latency figure)
    // Why it is fast and at what cost. nullopt breakdown = not recorded (old files).
    std::optional<OpBreakdown> breakdown;  // from one separate profiling forward after the timed ones
    Efficiency efficiency;
    Energy energy;
    // Time spent compiling for this cell (torch:sdpa+compile), excluded from the latency; < 0 = none.
    double compileMs = -1;
    // Every timed forward's time in the order timed: run.json and the journal keep them (the CSVs
    // do not), so a verdict can be computed again, between runs too. Empty = not recorded.
    std::vector<double> samplesMs;
    StopReason stop = StopReason::Unknown;   // latency.samples says how many forwards it took
};

// The GPU that measured a row (rows of a multi-GPU run say which worker's GPU). index is the
// machine's GPU index in PCI bus order (nvidia-smi's), -1 = not recorded (CPU rows, old files).
struct GpuIdentity {
    std::string name;   // "NVIDIA H200"
    std::string uuid;   // "GPU-1a2b3c4d-..." as nvidia-smi prints it
    int index = -1;
    bool operator==(const GpuIdentity& o) const = default;
};

struct ResultRow {
    Cell cell;
    Measurement baseline;
    Measurement candidate;
    int numBatches = 0;
    bool isCuda = false;
    bool isHalf = false;
    bool useMask = true;
    int64_t realTokens = 0;
    double maxAbsError = -1;   // candidate vs baseline on real positions; < 0 = not measured
    double relError = -1;      // ‖cand − base‖ / ‖base‖
    // Task-level agreement with the baseline on the same batch (TaskAgreement.h): the % of the
    // task's decisions (argmax of the logits; QA's start and end positions) that are the same.
    // NaN = not measured (encoder, failed rows, older files).
    double taskAgreementPct = std::numeric_limits<double>::quiet_NaN();
    RowStatus status = RowStatus::Ok;
    std::string message;
    GpuIdentity gpu;           // who measured it; default when unknown
    // Speedup and memory saved as an imported file wrote them (the old script's CSV computed them
    // from unrounded latencies); NaN = not recorded, they then follow from the latencies.
    double recordedSpeedupPct = std::numeric_limits<double>::quiet_NaN();
    double recordedMemSavedPct = std::numeric_limits<double>::quiet_NaN();
    // The speedup's interval at kVerdictLevel and what it says (Uncertainty.h); invalid/Unknown
    // when either side has too few samples or the row was not measured here (older files, imports).
    Interval speedupCiPct;
    Verdict verdict = Verdict::Unknown;
    // How the cell's sides were timed: "interleaved" (alternating rounds) or "sequential" (one
    // backend after the other); empty = not recorded.
    std::string timing;
    // The batches as measured: 1 − real tokens / padded positions over the cell's batches (a
    // data workload's padding is what the data gives; a synthetic cell's what its draw gave).
    // NaN = not recorded (older files, imports).
    double realisedPad = std::numeric_limits<double>::quiet_NaN();
    int workloadRows = 0;    // data workload: rows drawn for the cell (batch × batches per cell); 0 = synthetic
    int truncatedRows = 0;   // of those, longer than the cell's max length (truncated to it)

    double speedupPercent() const;      // (t_base / t_cand − 1)·100, or the recorded value
    double memorySavedPercent() const;  // (peak_base / peak_cand − 1)·100, or the recorded value
    double energySavedPercent() const;  // (J_base / J_cand − 1)·100 per forward; NaN unless both available
};

} // namespace bertbench

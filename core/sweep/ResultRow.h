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

namespace bertbench {

enum class RowStatus { Ok, Oom, Error, Cancelled };
std::string toString(RowStatus s);               // "ok", "oom", "error", "cancelled"
std::optional<RowStatus> parseRowStatus(const std::string& s);

struct LatencyStats {
    int samples = 0;
    double medianMs = 0, meanMs = 0, p10Ms = 0, p90Ms = 0, stdevMs = 0;
};
// Median and percentiles by linear interpolation between order statistics; stdev is the sample stdev.
LatencyStats summarize(std::vector<double> samplesMs);

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

    double speedupPercent() const;      // (t_base / t_cand − 1)·100, or the recorded value
    double memorySavedPercent() const;  // (peak_base / peak_cand − 1)·100, or the recorded value
    double energySavedPercent() const;  // (J_base / J_cand − 1)·100 per forward; NaN unless both available
};

} // namespace bertbench

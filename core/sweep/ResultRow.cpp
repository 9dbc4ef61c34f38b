#include "core/sweep/ResultRow.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bertbench {

std::string toString(RowStatus s) {
    switch (s) {
    case RowStatus::Ok: return "ok";
    case RowStatus::Oom: return "oom";
    case RowStatus::Error: return "error";
    case RowStatus::Cancelled: return "cancelled";
    }
    return "error";
}

std::optional<RowStatus> parseRowStatus(const std::string& s) {
    for (RowStatus st : {RowStatus::Ok, RowStatus::Oom, RowStatus::Error, RowStatus::Cancelled})
        if (toString(st) == s) return st;
    return std::nullopt;
}

std::string toString(StopReason s) {
    switch (s) {
    case StopReason::Unknown: return "";
    case StopReason::Count: return "count";
    case StopReason::Noise: return "noise";
    case StopReason::MaxTime: return "max_time";
    case StopReason::SampleCap: return "sample_cap";
    }
    return "";
}

std::optional<StopReason> parseStopReason(const std::string& s) {
    for (StopReason r : {StopReason::Unknown, StopReason::Count, StopReason::Noise, StopReason::MaxTime,
                         StopReason::SampleCap})
        if (toString(r) == s) return r;
    return std::nullopt;
}

namespace {
// Percentile by linear interpolation between order statistics (numpy's default).
double percentile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const double pos = q * double(sorted.size() - 1);
    const size_t lo = size_t(std::floor(pos));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = pos - double(lo);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}
} // namespace

LatencyStats summarize(std::vector<double> samplesMs) {
    LatencyStats stats;
    stats.samples = int(samplesMs.size());
    if (samplesMs.empty()) return stats;
    const Interval ci = medianInterval(samplesMs);
    stats.medianLoMs = ci.lo;
    stats.medianHiMs = ci.hi;
    std::sort(samplesMs.begin(), samplesMs.end());
    stats.medianMs = percentile(samplesMs, 0.5);
    stats.p10Ms = percentile(samplesMs, 0.1);
    stats.p90Ms = percentile(samplesMs, 0.9);
    stats.meanMs = std::accumulate(samplesMs.begin(), samplesMs.end(), 0.0) / double(samplesMs.size());
    if (samplesMs.size() > 1) {
        double ss = 0;
        for (double v : samplesMs) ss += (v - stats.meanMs) * (v - stats.meanMs);
        stats.stdevMs = std::sqrt(ss / double(samplesMs.size() - 1));
    }
    stats.noisePct = relativeHalfWidthPct(ci, stats.medianMs);
    return stats;
}

double ResultRow::speedupPercent() const {
    if (std::isfinite(recordedSpeedupPct)) return recordedSpeedupPct;
    const double t = candidate.latency.medianMs;
    if (!(t > 0)) return std::nan("");
    return (baseline.latency.medianMs / t - 1.0) * 100.0;
}

double ResultRow::memorySavedPercent() const {
    if (std::isfinite(recordedMemSavedPct)) return recordedMemSavedPct;
    const double m = candidate.peakMemMb;
    if (!(m > 0)) return std::nan("");
    return (baseline.peakMemMb / m - 1.0) * 100.0;
}

double ResultRow::energySavedPercent() const {
    if (!baseline.energy.available || !candidate.energy.available) return std::nan("");
    const double j = candidate.energy.joulesPerForward;
    if (!(j > 0) || !(baseline.energy.joulesPerForward > 0)) return std::nan("");
    return (baseline.energy.joulesPerForward / j - 1.0) * 100.0;
}

} // namespace bertbench

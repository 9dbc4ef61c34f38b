#pragma once
// One cell's timing, for SweepRunner: every side (the baseline, then each candidate) prepared,
// warmed up and timed, then per side the energy window, efficiency, profiling forward and output.
//
//   interleaved (spec.interleave, the default): all sides prepared together, warm-up per backend,
//     then alternating rounds A B C A B C ... of a few forwards each (as many as fill about
//     kRoundTargetMs, at most kMaxForwardsPerRound; a fixed count is cut into at least
//     kMinRounds rounds), so that clock, thermal and power drift fall on every side alike. Each
//     backend keeps its own prepared cell (inputs, buffers, CUDA graph) between its rounds. A side
//     that does not fit in memory beside the others (out of memory in prepare) makes the whole cell
//     fall back to sequential timing; its rows say so (timing "sequential").
//   sequential: one side after the other, prepare → warm-up → timed forwards → release.
//
// How many forwards a side takes (SamplingRule): a fixed count (spec.numBatches), or adaptive
// (spec.maxNoisePct > 0): until the half-width of its median's interval is below maxNoisePct % of
// the median, within the cell's minTimeS..maxTimeS.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/profile/Flops.h"
#include "core/sweep/MeasurementProfile.h"
#include "core/sweep/Run.h"

namespace bertbench {

// One backend loaded for the sweep; `loadError` keeps why it could not be loaded.
struct LoadedBackend {
    std::string name;
    std::unique_ptr<Backend> backend;
    RowStatus loadStatus = RowStatus::Ok;
    std::string loadError;
    DType dtype = DType::Float32;   // what it was loaded in: the spec's, or the baseline's own
    EnergySource energy;   // the GPU's meter, opened once at load
};

// What a measurement needs beyond the backend: the model's FLOPs for this batch, the run's
// environment (GEMM peak).
struct CellContext {
    FlopCount flops;
    const Environment* environment = nullptr;
};

// One side's result: its measurement, its output (compared with the baseline's by the runner).
struct MeasureResult {
    Measurement measurement;
    TaskOutput output;
    RowStatus status = RowStatus::Ok;
    std::string message;
};

constexpr double kRoundTargetMs = 5.0;
constexpr int kMaxForwardsPerRound = 16;
constexpr int kMinRounds = 8;
// Adaptive sampling: the fewest forwards before a side may stop on its noise, the fewest a verdict
// needs (a side gets them even past maxTimeS; --cell-timeout stays the hard stop), the most (enough
// for a median known to a few hundredths of the spread, and keeps run.json's samples a few MB).
constexpr int kMinAdaptiveSamples = 10;
constexpr int kMinVerdictSamples = 7;
constexpr int kMaxAdaptiveSamples = 10000;

struct SamplingRule {
    int count = 50;            // fixed mode: forwards a side
    double maxNoisePct = 0;    // > 0: adaptive
    double minTimeS = 0;       // adaptive: the timing's wall time before a side may stop on noise
    double maxTimeS = 10;      // adaptive: the timing's wall time after which every side stops
    bool adaptive() const { return maxNoisePct > 0; }
    static SamplingRule of(const SweepSpec& spec);
};
// Whether a side stops now, and why; nullopt = time it further. `noisePct` is its current noise
// (NaN when not known yet), `elapsedS` the wall time of the timing so far.
std::optional<StopReason> stopReason(const SamplingRule& rule, int samples, double noisePct, double elapsedS);

// Times every side of one cell; sides[0] is the baseline. When the baseline fails the candidates are
// not measured (their results stay default: the runner writes "baseline ..." rows). `timing` is
// set to how the cell was timed ("interleaved" or "sequential").
std::vector<MeasureResult> timeCell(const std::vector<LoadedBackend*>& sides, const SweepSpec& spec, const Cell& cell,
                                    const Batch& batch, const std::atomic<bool>& cancel,
                                    std::chrono::steady_clock::time_point cellStart, const CellContext& ctx,
                                    std::string& timing);

} // namespace bertbench

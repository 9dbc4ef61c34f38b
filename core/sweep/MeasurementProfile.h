#pragma once
// What the sweep measures besides latency around one backend in one cell: the energy window
// over the timed forwards, the separate profiling forward, the efficiency figures, and the sweep-start
// GEMM probe. Kept apart from SweepRunner.cpp so the runner's loop stays readable.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/energy/EnergyMeter.h"
#include "core/sweep/Run.h"

namespace bertbench {

// A backend's telemetry for the sweep: a meter for its GPU, or why there is none.
struct EnergySource {
    std::unique_ptr<EnergyMeter> meter;
    std::string whyNot;   // "not available: ..." when meter is null
};
// CPU backends (empty PCI id) get none without touching NVML.
EnergySource openEnergySource(const Backend& backend, const EnergyMeterFactory& factory);

// Runs timed forwards inside an energy window while `wantMore(samples so far)` says so (at least
// one), extending the window with extra forwards (not part of the latency samples) until it is
// >= kMinEnergyWindowMs. `timedForward` returns one forward's device time; `checkpoint` throws to
// stop (cancel, timeout). The sequential timing of one side.
struct TimedForwards {
    std::vector<double> samplesMs;   // the timed forwards only
    Energy energy;
};
TimedForwards runTimedForwards(const std::function<bool(const std::vector<double>&)>& wantMore,
                               const std::function<double()>& timedForward, const std::function<void()>& checkpoint,
                               EnergySource& energy, int64_t realTokens);
// An energy window of its own: forwards of the prepared cell, back to back, until the window is
// >= kMinEnergyWindowMs (their times are no latency samples). Interleaved timing measures each
// side's energy this way after the rounds, since the counter cannot tell the sides' rounds apart.
Energy energyWindowAlone(const std::function<double()>& forward, const std::function<void()>& checkpoint,
                         EnergySource& energy, int64_t realTokens);

// The profiling forward (spec.profile) or the reason there is none; never throws a backend
// error (a failed profile is a note, the timed row stays valid).
OpBreakdown profileBreakdown(Backend& backend, bool profile, double medianMs);

// Efficiency of one measurement; peak applies only to GPU backends (non-empty PCI id) that ran
// `dtype`, the data type the GEMM probe measured, `probeDType` (not a baseline with its own).
Efficiency efficiencyFor(const Backend& backend, DType dtype, DType probeDType, const Environment& env,
                         double flopsReal, double flopsPadded, double medianMs, int64_t realTokens);

// The GEMM probe: the first backend with a probe sets env.gemmPeakTflops and the note.
void probeGemmPeak(const std::vector<Backend*>& backends, DType dtype, Environment& env);

} // namespace bertbench

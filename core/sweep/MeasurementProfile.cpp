#include "core/sweep/MeasurementProfile.h"

#include <cstdio>

#include "core/energy/EnergyWindow.h"
#include "core/util/Errors.h"

namespace bertbench {

EnergySource openEnergySource(const Backend& backend, const EnergyMeterFactory& factory) {
    EnergySource s;
    const std::string pci = backend.pciBusId();
    if (pci.empty()) {
        s.whyNot = "not available: a CPU backend (NVML measures NVIDIA GPUs only)";
        return s;
    }
    if (!factory) {
        s.whyNot = "not available: no energy meter in this build";
        return s;
    }
    std::string why;
    s.meter = factory(pci, why);
    if (!s.meter) s.whyNot = why.empty() ? "not available: NVML could not be opened" : why;
    return s;
}

TimedForwards runTimedForwards(const std::function<bool(const std::vector<double>&)>& wantMore,
                               const std::function<double()>& timedForward, const std::function<void()>& checkpoint,
                               EnergySource& energy, int64_t realTokens) {
    TimedForwards out;
    std::unique_ptr<EnergyWindow> window;
    if (energy.meter) {
        window = std::make_unique<EnergyWindow>(*energy.meter);
        window->start();
    }
    do {
        checkpoint();
        out.samplesMs.push_back(timedForward());
        if (window) window->tick();
    } while (wantMore(out.samplesMs));
    const int numBatches = int(out.samplesMs.size());
    if (!window) {
        out.energy.note = energy.whyNot;
        return out;
    }
    // The energy counter resolves ~tens of ms: short windows are extended with more forwards of
    // the same batch. Their times are not latency samples. The cap only guards a frozen clock.
    int extra = 0;
    constexpr int kMaxExtraForwards = 1000000;
    while (window->elapsedMs() < kMinEnergyWindowMs && extra < kMaxExtraForwards) {
        checkpoint();
        timedForward();
        window->tick();
        ++extra;
    }
    out.energy = window->finish(numBatches + extra, realTokens, extra > 0);
    return out;
}

Energy energyWindowAlone(const std::function<double()>& forward, const std::function<void()>& checkpoint,
                         EnergySource& energy, int64_t realTokens) {
    if (!energy.meter) {
        Energy e;
        e.note = energy.whyNot;
        return e;
    }
    EnergyWindow window(*energy.meter);
    window.start();
    int forwards = 0;
    constexpr int kMaxForwards = 1000000;   // guards a frozen clock only
    do {
        checkpoint();
        forward();
        window.tick();
        ++forwards;
    } while (window.elapsedMs() < kMinEnergyWindowMs && forwards < kMaxForwards);
    return window.finish(forwards, realTokens, /*extended=*/true);
}

OpBreakdown profileBreakdown(Backend& backend, bool profile, double medianMs) {
    if (!profile) return unavailableBreakdown("profiling skipped (--no-profile)");
    std::optional<OpBreakdown> b;
    try {
        b = backend.profileForward();
    } catch (const OutOfMemoryError& e) {
        return unavailableBreakdown(std::string("the profiling forward ran out of memory: ") + e.what());
    } catch (const BackendError& e) {
        return unavailableBreakdown(std::string("the profiling forward failed: ") + e.what());
    }
    if (!b) return unavailableBreakdown(backend.name() + " has no per-operation profiler");
    if (!b->measured()) {
        if (b->note.empty()) b->note = "not available: the profiler recorded no operations";
        return *b;
    }
    finishBreakdown(*b, medianMs);
    return *b;
}

Efficiency efficiencyFor(const Backend& backend, DType dtype, DType probeDType, const Environment& env,
                         double flopsReal, double flopsPadded, double medianMs, int64_t realTokens) {
    const bool gpu = !backend.pciBusId().empty();
    double peak = -1;
    std::string note;
    if (!gpu) note = "not available: no GEMM probe on the CPU";
    else if (dtype != probeDType)
        note = "not available: the GEMM probe measured " + toString(probeDType) + ", this ran " + toString(dtype);
    else if (env.gemmPeakTflops > 0) peak = env.gemmPeakTflops;
    else note = "not available: the GEMM probe did not run" + (env.gemmProbeNote.empty() ? "" : " (" + env.gemmProbeNote + ")");
    return makeEfficiency(flopsReal, flopsPadded, medianMs, realTokens, peak, note);
}

void probeGemmPeak(const std::vector<Backend*>& backends, DType dtype, Environment& env) {
    for (Backend* b : backends) {
        if (b == nullptr || b->pciBusId().empty()) continue;
        try {
            const double tflops = b->gemmPeakTflops(dtype);
            if (tflops > 0) {
                env.gemmPeakTflops = tflops;
                const std::string gemm = dtype == DType::Float8
                                             ? "dense fp8 cuBLASLt GEMM (e4m3 in, fp16 out, fp32 accumulate)"
                                             : "dense " + toString(dtype) + " cuBLAS GEMM";
                env.gemmProbeNote = gemm + ", best of the timed repeats, on " + b->name() + "'s GPU";
                return;
            }
        } catch (const std::exception& e) {
            env.gemmProbeNote = "the GEMM probe failed on " + b->name() + ": " + e.what();
            return;
        }
    }
    if (env.gemmProbeNote.empty()) env.gemmProbeNote = "no GPU backend in this sweep";
}

} // namespace bertbench

#pragma once
// Test support for the breakdown, efficiency and energy fields: fills a sample run's
// measurements with them (every kind: measured, not available, awkward doubles), and compares them.
#include <string>

#include "core/RunSamples.h"

namespace bertbench::testing {

inline void fillProfile(Measurement& m, int k) {
    if (k % 4 == 0) {
        OpBreakdown b = emptyBreakdown();
        double ms = 0.125 + k;
        for (OpCategory c : allOpCategories()) {
            addToBreakdown(b, categoryName(c), ms, 1 + k % 3);
            ms = ms / 3.0;
        }
        finishBreakdown(b, m.latency.medianMs);
        b.note = k % 8 == 0 ? "" : "second profiled forward, \"warm\"";
        m.breakdown = b;
    } else if (k % 4 == 1) {
        m.breakdown = unavailableBreakdown("profiling skipped (--no-profile)");
    }   // k % 4 >= 2: not recorded
    m.efficiency = makeEfficiency(1.0e12 / 3.0 + k, 2.0e12 + k, m.latency.medianMs > 0 ? m.latency.medianMs : 1.0,
                                  1000 + k, k % 2 ? 700.5 : -1, k % 2 ? "" : "not available: no GEMM probe on the CPU");
    if (k % 3 == 0) {
        m.energy.available = true;
        m.energy.joulesPerForward = 0.1 + 0.2 * k;
        m.energy.joulesPer1kTokens = 1.0 / 7.0;
        m.energy.meanPowerW = 612.25;
        m.energy.smClockStartMhz = 1980;
        m.energy.smClockEndMhz = 1755;
        m.energy.tempStartC = 41;
        m.energy.tempEndC = 63;
        m.energy.timedWindowMs = 201.5 + k;
        m.energy.forwardsInWindow = 50 + k;
        m.energy.windowExtended = k % 2 == 0;
        m.energy.throttled = true;
        m.energy.note = "";
    } else {
        m.energy.note = "not available: could not load libnvidia-ml.so.1, \"missing\"";
    }
}

// Fills every measurement of `run` (a different kind per row) and the GEMM probe.
inline Run withProfiles(Run run) {
    int k = 0;
    for (ResultRow& r : run.rows) {
        fillProfile(r.baseline, k++);
        fillProfile(r.candidate, k++);
    }
    run.environment.gemmPeakTflops = 702.25;
    run.environment.gemmProbeNote = "dense fp16 cuBLAS GEMM, best of the timed repeats";
    run.spec.profile = false;
    return run;
}

inline void diffProfileOf(Diff& d, const std::string& p, const Measurement& a, const Measurement& b) {
    d.eq(p + ".breakdown.has", a.breakdown.has_value(), b.breakdown.has_value());
    if (a.breakdown && b.breakdown) {
        const OpBreakdown &x = *a.breakdown, &y = *b.breakdown;
        d.eq(p + ".breakdown.parts.size", x.parts.size(), y.parts.size());
        for (size_t i = 0; i < std::min(x.parts.size(), y.parts.size()); ++i) {
            const std::string q = p + ".breakdown.parts[" + std::to_string(i) + "]";
            d.eq(q + ".category", x.parts[i].category, y.parts[i].category);
            d.num(q + ".ms", x.parts[i].ms, y.parts[i].ms);
            d.eq(q + ".calls", x.parts[i].calls, y.parts[i].calls);
        }
        d.num(p + ".breakdown.sumMs", x.sumMs, y.sumMs);
        d.num(p + ".breakdown.forwardMs", x.forwardMs, y.forwardMs);
        d.eq(p + ".breakdown.note", x.note, y.note);
    }
    const Efficiency &e = a.efficiency, &f = b.efficiency;
    d.eq(p + ".eff.recorded", e.recorded, f.recorded);
    d.num(p + ".eff.flopsReal", e.flopsReal, f.flopsReal);
    d.num(p + ".eff.flopsPadded", e.flopsPadded, f.flopsPadded);
    d.num(p + ".eff.achievedTflops", e.achievedTflops, f.achievedTflops);
    d.num(p + ".eff.tokensPerS", e.tokensPerS, f.tokensPerS);
    d.num(p + ".eff.pctOfPeak", e.pctOfPeak, f.pctOfPeak);
    d.eq(p + ".eff.note", e.note, f.note);
    const Energy &g = a.energy, &h = b.energy;
    d.eq(p + ".energy.available", g.available, h.available);
    d.eq(p + ".energy.note", g.note, h.note);
    d.num(p + ".energy.jpf", g.joulesPerForward, h.joulesPerForward);
    d.num(p + ".energy.j1k", g.joulesPer1kTokens, h.joulesPer1kTokens);
    d.num(p + ".energy.w", g.meanPowerW, h.meanPowerW);
    d.num(p + ".energy.clock0", g.smClockStartMhz, h.smClockStartMhz);
    d.num(p + ".energy.clock1", g.smClockEndMhz, h.smClockEndMhz);
    d.num(p + ".energy.temp0", g.tempStartC, h.tempStartC);
    d.num(p + ".energy.temp1", g.tempEndC, h.tempEndC);
    d.num(p + ".energy.window", g.timedWindowMs, h.timedWindowMs);
    d.eq(p + ".energy.forwards", g.forwardsInWindow, h.forwardsInWindow);
    d.eq(p + ".energy.extended", g.windowExtended, h.windowExtended);
    d.eq(p + ".energy.throttled", g.throttled, h.throttled);
}

inline std::string diffProfiles(const Run& a, const Run& b) {
    Diff d;
    d.eq("rows.size", a.rows.size(), b.rows.size());
    for (size_t i = 0; i < std::min(a.rows.size(), b.rows.size()); ++i) {
        const std::string p = "rows[" + std::to_string(i) + "]";
        diffProfileOf(d, p + ".baseline", a.rows[i].baseline, b.rows[i].baseline);
        diffProfileOf(d, p + ".candidate", a.rows[i].candidate, b.rows[i].candidate);
    }
    return d.text();
}

} // namespace bertbench::testing

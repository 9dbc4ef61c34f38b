#include "core/profile/Efficiency.h"

namespace bertbench {

Efficiency makeEfficiency(double flopsReal, double flopsPadded, double medianMs, long long realTokens,
                          double peakTflops, const std::string& peakNote) {
    Efficiency e;
    e.recorded = true;
    e.flopsReal = flopsReal;
    e.flopsPadded = flopsPadded;
    if (!(medianMs > 0)) {
        e.note = "not available: no latency measured";
        return e;
    }
    const double seconds = medianMs / 1e3;
    e.achievedTflops = flopsReal / seconds / 1e12;
    e.tokensPerS = double(realTokens) / seconds;
    if (peakTflops > 0) {
        e.pctOfPeak = e.achievedTflops / peakTflops * 100.0;
    } else {
        e.note = peakNote.empty() ? "not available: no GEMM probe" : peakNote;
    }
    return e;
}

} // namespace bertbench

#pragma once
// Hardware efficiency of one measurement.
#include <string>

namespace bertbench {

struct Efficiency {
    bool recorded = false;        // false: a version-1 file or an old CSV ("not recorded")
    double flopsReal = 0;         // model FLOPs per forward on real tokens (core/profile/Flops.h)
    double flopsPadded = 0;       // the same on all B·S positions
    double achievedTflops = -1;   // flopsReal / median, in 1e12 FLOP/s; < 0 = not available
    double tokensPerS = -1;       // real tokens / median; < 0 = not available
    double pctOfPeak = -1;        // achievedTflops / the GEMM probe's attainable rate · 100; < 0 = not available
    std::string note;             // why pctOfPeak (or the rest) is not available, e.g. "not available: no GEMM probe on the CPU"
};

// Fills the rates from the FLOP counts, the median and the real tokens. peakTflops <= 0 leaves
// pctOfPeak at -1 with `peakNote` as the note.
Efficiency makeEfficiency(double flopsReal, double flopsPadded, double medianMs, long long realTokens,
                          double peakTflops, const std::string& peakNote);

} // namespace bertbench

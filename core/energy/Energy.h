#pragma once
// Energy of one measurement over its timed forwards, from NVML.
#include <string>
#include <vector>

namespace bertbench {

struct Energy {
    bool available = false;        // false: see note ("not available: NVML not found", "not recorded", ...)
    std::string note;
    double joulesPerForward = -1;  // energy counter delta over the window / forwards in the window
    double joulesPer1kTokens = -1; // joulesPerForward / real tokens · 1000
    double meanPowerW = -1;        // energy delta / window duration
    double smClockStartMhz = -1, smClockEndMhz = -1;
    double tempStartC = -1, tempEndC = -1;
    double timedWindowMs = 0;      // wall time of the energy window
    int forwardsInWindow = 0;      // forwards the window covered (numBatches, more when extended)
    bool windowExtended = false;   // true: extra (untimed-for-latency) forwards ran to reach >= 200 ms
    bool throttled = false;        // SM clock dropped by more than 10% during the window
};

// The timed window is extended to at least this long so the energy counter (mJ, updated at
// about 10–100 ms intervals) resolves it.
constexpr double kMinEnergyWindowMs = 200.0;
// A clock drop larger than this fraction of the highest clock seen before it is throttling.
constexpr double kThrottleDropFraction = 0.10;

// True when some sample of the SM clock trace lies more than `dropFraction` below the running
// maximum of the samples before it. Samples <= 0 (unreadable) are ignored.
bool isThrottled(const std::vector<double>& smClockMhz, double dropFraction = kThrottleDropFraction);

} // namespace bertbench

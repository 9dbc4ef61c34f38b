#pragma once
// The energy window around a backend's timed forwards: counters at the start, the SM
// clock between forwards (for the throttle flag), counters at the end → one Energy.
#include <chrono>
#include <cstdint>
#include <vector>

#include "core/energy/Energy.h"
#include "core/energy/EnergyMeter.h"

namespace bertbench {

class EnergyWindow {
public:
    using Clock = std::chrono::steady_clock;
    explicit EnergyWindow(EnergyMeter& meter) : meter_(meter) {}

    void start();
    // After each forward: reads the SM clock when at least kTickIntervalMs passed since the
    // last reading, so short forwards are not slowed by one NVML call each.
    void tick();
    double elapsedMs() const;
    // Closes the window over `forwards` forwards of a batch with `realTokens` real tokens.
    Energy finish(int forwards, int64_t realTokens, bool extended);

    static constexpr double kTickIntervalMs = 5.0;

private:
    EnergyMeter& meter_;
    EnergySample start_;
    Clock::time_point t0_{}, lastTick_{};
    std::vector<double> clocks_;
    std::vector<double> powers_;
};

// The arithmetic of finish(), separated so tests can feed it readings: energy from the counter
// delta (or, when the counter is unreadable, mean sampled power × window), per forward and per
// 1,000 real tokens; the clock trace decides `throttled`.
Energy energyFromReadings(const EnergySample& start, const EnergySample& end, double windowMs,
                          const std::vector<double>& clockTraceMhz, const std::vector<double>& powerSamplesW,
                          int forwards, int64_t realTokens, bool extended);

} // namespace bertbench

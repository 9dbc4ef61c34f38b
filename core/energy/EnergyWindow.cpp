#include "core/energy/EnergyWindow.h"

#include <cstdio>

namespace bertbench {

void EnergyWindow::start() {
    clocks_.clear();
    powers_.clear();
    start_ = meter_.sample();
    if (start_.smClockMhz > 0) clocks_.push_back(start_.smClockMhz);
    if (start_.powerW >= 0) powers_.push_back(start_.powerW);
    t0_ = lastTick_ = Clock::now();
}

void EnergyWindow::tick() {
    const auto now = Clock::now();
    if (std::chrono::duration<double, std::milli>(now - lastTick_).count() < kTickIntervalMs) return;
    lastTick_ = now;
    clocks_.push_back(meter_.smClockMhz());
}

double EnergyWindow::elapsedMs() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0_).count();
}

Energy EnergyWindow::finish(int forwards, int64_t realTokens, bool extended) {
    const double windowMs = elapsedMs();
    const EnergySample end = meter_.sample();
    if (end.smClockMhz > 0) clocks_.push_back(end.smClockMhz);
    if (end.powerW >= 0) powers_.push_back(end.powerW);
    return energyFromReadings(start_, end, windowMs, clocks_, powers_, forwards, realTokens, extended);
}

Energy energyFromReadings(const EnergySample& start, const EnergySample& end, double windowMs,
                          const std::vector<double>& clockTraceMhz, const std::vector<double>& powerSamplesW,
                          int forwards, int64_t realTokens, bool extended) {
    Energy e;
    e.smClockStartMhz = start.smClockMhz;
    e.smClockEndMhz = end.smClockMhz;
    e.tempStartC = start.tempC;
    e.tempEndC = end.tempC;
    e.timedWindowMs = windowMs;
    e.forwardsInWindow = forwards;
    e.windowExtended = extended;
    e.throttled = isThrottled(clockTraceMhz);
    if (forwards <= 0 || !(windowMs > 0)) {
        e.note = "not available: no forwards in the energy window";
        return e;
    }
    double joules = -1;
    if (start.energyMj >= 0 && end.energyMj >= 0) {
        const double deltaMj = end.energyMj - start.energyMj;
        if (deltaMj <= 0) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "not available: the energy counter did not advance over %.0f ms", windowMs);
            e.note = buf;
            return e;
        }
        joules = deltaMj / 1000.0;
    } else {
        // Older GPUs lack the counter: integrate the sampled board power instead, and say so.
        double sum = 0;
        int n = 0;
        for (double w : powerSamplesW)
            if (w >= 0) sum += w, ++n;
        if (n == 0) {
            e.note = "not available: neither the energy counter nor the power reading is readable";
            return e;
        }
        joules = sum / n * windowMs / 1000.0;
        e.note = "from sampled power (the energy counter is not readable on this GPU)";
    }
    e.available = true;
    e.joulesPerForward = joules / forwards;
    e.joulesPer1kTokens = realTokens > 0 ? e.joulesPerForward / double(realTokens) * 1000.0 : -1;
    e.meanPowerW = joules / (windowMs / 1000.0);
    return e;
}

} // namespace bertbench

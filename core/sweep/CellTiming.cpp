#include "core/sweep/CellTiming.h"

#include <algorithm>
#include <cmath>

#include "core/energy/EnergyWindow.h"
#include "core/util/Errors.h"

namespace bertbench {

SamplingRule SamplingRule::of(const SweepSpec& spec) {
    SamplingRule r;
    r.count = spec.numBatches;
    r.maxNoisePct = spec.maxNoisePct;
    r.minTimeS = spec.minTimeS;
    r.maxTimeS = spec.maxTimeS;
    return r;
}

std::optional<StopReason> stopReason(const SamplingRule& rule, int samples, double noisePct, double elapsedS) {
    if (!rule.adaptive()) return samples >= rule.count ? std::optional(StopReason::Count) : std::nullopt;
    if (samples >= kMaxAdaptiveSamples) return StopReason::SampleCap;
    if (samples >= kMinAdaptiveSamples && elapsedS >= rule.minTimeS && noisePct <= rule.maxNoisePct)
        return StopReason::Noise;   // false for NaN noise
    if (samples >= kMinVerdictSamples && elapsedS >= rule.maxTimeS) return StopReason::MaxTime;
    return std::nullopt;
}

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Cancelled {};        // the user pressed Stop: every side of the cell is cancelled
struct CellTimedOut {       // --cell-timeout: every side still being measured fails with it
    std::string message;
};

RowStatus statusOf(const std::exception& e) {
    return dynamic_cast<const OutOfMemoryError*>(&e) != nullptr ? RowStatus::Oom : RowStatus::Error;
}

// Sample times are kept to the nanosecond (finer than any timer we read), so that they are written
// and read back exactly in few digits.
double roundedMs(double ms) { return std::round(ms * 1e6) / 1e6; }

// One side of the cell while it is being measured.
struct Side {
    LoadedBackend* lb = nullptr;
    MeasureResult r;
    bool prepared = false;
    bool timing = false;        // still in the rounds
    bool failed = false;
    std::vector<double> samples;
    StopReason stop = StopReason::Unknown;
    double lastMs = 0;          // the latest forward's time: how many forwards fill a round
    double noisePct = std::numeric_limits<double>::quiet_NaN();
    size_t nextNoiseCheck = 0;  // the noise is recomputed as the samples grow by ~10 %
    std::vector<double> clockTrace;   // the SM clock over its rounds (interleaved), for `throttled`
    Clock::time_point lastTick{};

    Backend& backend() { return *lb->backend; }
};

class CellTimer {
public:
    CellTimer(const SweepSpec& spec, const Cell& cell, const Batch& batch, const std::atomic<bool>& cancel,
              Clock::time_point cellStart, const CellContext& ctx)
        : spec_(spec), cell_(cell), batch_(batch), cancel_(cancel), cellStart_(cellStart), ctx_(ctx),
          rule_(SamplingRule::of(spec)) {}

    std::vector<MeasureResult> run(const std::vector<LoadedBackend*>& backends, std::string& timing) {
        bool fallBack = false;
        if (spec_.interleave && backends.size() > 1) {
            makeSides(backends);
            fallBack = !interleaved();
            if (!fallBack) {
                timing = "interleaved";
                return results();
            }
        }
        makeSides(backends);
        timing = "sequential";
        sequential();
        return results();
    }

private:
    void makeSides(const std::vector<LoadedBackend*>& backends) {
        sides_.assign(backends.size(), Side{});
        for (size_t i = 0; i < backends.size(); ++i) {
            sides_[i].lb = backends[i];
            sides_[i].r.measurement.backend = backends[i]->name;
        }
    }

    std::vector<MeasureResult> results() {
        std::vector<MeasureResult> out;
        for (Side& s : sides_) out.push_back(std::move(s.r));
        return out;
    }

    void checkpoint() const {
        if (cancel_.load()) throw Cancelled{};
        if (spec_.cellTimeoutS > 0 && secondsSince(cellStart_) > spec_.cellTimeoutS)
            throw CellTimedOut{"cell timed out after " + std::to_string(spec_.cellTimeoutS) + " s"};
    }

    void fail(Side& s, RowStatus status, const std::string& message) {
        s.failed = true;
        s.timing = false;
        s.r.status = status;
        s.r.message = message;
    }
    void fail(Side& s, const std::exception& e) { fail(s, statusOf(e), s.lb->name + ": " + e.what()); }

    // A backend that could not be loaded fails its side at once.
    bool usable(Side& s) {
        if (s.lb->loadStatus == RowStatus::Ok) return true;
        fail(s, s.lb->loadStatus, s.lb->name + ": " + s.lb->loadError);
        return false;
    }

    // prepare (untimed) → warm-up. Exceptions other than the cell's own propagate.
    void prepareAndWarm(Side& s) {
        Backend& b = s.backend();
        b.setMemoryLimitBytes(spec_.memoryLimitMb * 1000000);
        b.resetPeakMemory();
        s.prepared = true;   // releaseCell() is due even when prepare fails halfway
        b.prepare(cell_.task, batch_);
        for (int i = 0; i < spec_.warmup; ++i) {
            checkpoint();
            s.lastMs = b.forward();
        }
    }

    void release(Side& s) {
        if (!s.prepared) return;
        s.prepared = false;
        try {
            s.backend().releaseCell();
        } catch (const std::exception& e) {
            if (s.r.status == RowStatus::Ok)
                fail(s, RowStatus::Error, s.lb->name + ": releasing the cell failed: " + e.what());
        }
    }
    void releaseAll() {
        for (Side& s : sides_) release(s);
    }

    void cancelAll() {
        for (Side& s : sides_)
            if (!s.failed) fail(s, RowStatus::Cancelled, "stopped by the user");
    }

    double noiseOf(Side& s) {
        if (!rule_.adaptive()) return s.noisePct;
        if (s.samples.size() >= s.nextNoiseCheck) {
            const Interval ci = medianInterval(s.samples);
            std::vector<double> copy = s.samples;
            auto mid = copy.begin() + std::ptrdiff_t(copy.size() / 2);
            std::nth_element(copy.begin(), mid, copy.end());
            s.noisePct = relativeHalfWidthPct(ci, *mid);
            s.nextNoiseCheck = std::max(s.samples.size() + 1, s.samples.size() + s.samples.size() / 10);
        }
        return s.noisePct;
    }

    // After the timing: statistics, output, efficiency, the profiling forward, compile time.
    void finish(Side& s, Energy energy) {
        Backend& b = s.backend();
        Measurement& m = s.r.measurement;
        s.r.output = b.output();
        m.samplesMs = s.samples;
        m.latency = summarize(s.samples);
        m.stop = s.stop;
        m.peakMemMb = double(b.peakMemoryBytes()) / 1e6;
        // After the statistics are fixed: energy, efficiency, and one separate profiling forward
        // (its events or clock reads never touch the timed samples).
        m.energy = std::move(energy);
        m.efficiency = efficiencyFor(b, s.lb->dtype, spec_.dtype, *ctx_.environment, ctx_.flops.real, ctx_.flops.padded,
                                     m.latency.medianMs, batch_.realTokens());
        if (spec_.profile) checkpoint();
        m.breakdown = profileBreakdown(b, spec_.profile, m.latency.medianMs);
        m.compileMs = b.compileTimeMs();
    }

    // ---- sequential: one side after the other --------------------------------------------------

    void sequential() {
        // Each side gets its share of the cell's time budgets.
        SamplingRule rule = rule_;
        rule.minTimeS /= double(sides_.size());
        rule.maxTimeS /= double(sides_.size());
        for (size_t i = 0; i < sides_.size(); ++i) {
            Side& s = sides_[i];
            if (!usable(s)) {
                if (i == 0) return;
                continue;
            }
            try {
                prepareAndWarm(s);
                const Clock::time_point t0 = Clock::now();
                TimedForwards timed = runTimedForwards(
                    [&](const std::vector<double>& samples) {
                        s.samples.push_back(roundedMs(samples.back()));
                        const std::optional<StopReason> stop =
                            stopReason(rule, int(s.samples.size()), noiseOf(s), secondsSince(t0));
                        if (stop) s.stop = *stop;
                        return !stop;
                    },
                    [&] { return s.backend().forward(); }, [&] { checkpoint(); }, s.lb->energy, batch_.realTokens());
                finish(s, std::move(timed.energy));
            } catch (const Cancelled&) {
                cancelAll();
                release(s);
                return;
            } catch (const CellTimedOut& e) {
                fail(s, RowStatus::Error, s.lb->name + ": " + e.message);
            } catch (const std::exception& e) {
                fail(s, e);
            }
            release(s);
            if (i == 0 && s.failed) return;   // nothing to compare the candidates with
        }
    }

    // ---- interleaved: alternating rounds -------------------------------------------------------

    // Forwards of `s` in its next round: about kRoundTargetMs of them, a fixed count in >= kMinRounds.
    int forwardsPerRound(const Side& s) const {
        int k = s.lastMs > 0 ? int(kRoundTargetMs / s.lastMs) : 1;
        k = std::clamp(k, 1, kMaxForwardsPerRound);
        if (!rule_.adaptive()) {
            k = std::min(k, std::max(1, rule_.count / kMinRounds));
            k = std::min(k, rule_.count - int(s.samples.size()));
        }
        return std::max(k, 1);
    }

    void tickClock(Side& s) {
        if (!s.lb->energy.meter) return;
        const Clock::time_point now = Clock::now();
        if (!s.clockTrace.empty() &&
            std::chrono::duration<double, std::milli>(now - s.lastTick).count() < EnergyWindow::kTickIntervalMs)
            return;
        s.lastTick = now;
        s.clockTrace.push_back(s.lb->energy.meter->smClockMhz());
    }

    // False when the sides do not fit prepared together: everything is released for the sequential
    // fallback. Otherwise every side's result is final.
    bool interleaved() {
        // Prepare and warm up every side, the baseline first.
        for (size_t i = 0; i < sides_.size(); ++i) {
            Side& s = sides_[i];
            if (!usable(s)) {
                if (i == 0) return true;
                continue;
            }
            try {
                prepareAndWarm(s);
                s.timing = true;
            } catch (const Cancelled&) {
                cancelAll();
                releaseAll();
                return true;
            } catch (const CellTimedOut& e) {
                timeOutAll(e);
                releaseAll();
                return true;
            } catch (const OutOfMemoryError& e) {
                const bool othersHeld = std::any_of(sides_.begin(), sides_.end(),
                                                    [&](const Side& o) { return &o != &s && o.prepared; });
                if (othersHeld) {
                    releaseAll();
                    return false;   // perhaps it fits alone
                }
                fail(s, e);
            } catch (const std::exception& e) {
                fail(s, e);
            }
            if (s.failed) release(s);
            if (i == 0 && s.failed) return true;
        }

        try {
            rounds();
            if (sides_[0].failed) {   // the candidates have nothing to be compared with
                releaseAll();
                return true;
            }
            for (Side& s : sides_) {
                if (s.failed) continue;
                try {
                    Energy energy = energyWindowAlone([&] { return s.backend().forward(); }, [&] { checkpoint(); },
                                                      s.lb->energy, batch_.realTokens());
                    if (isThrottled(s.clockTrace)) energy.throttled = true;
                    finish(s, std::move(energy));
                } catch (const std::exception& e) {
                    fail(s, e);
                }
                if (&s == &sides_[0] && s.failed) break;
            }
        } catch (const Cancelled&) {
            cancelAll();
        } catch (const CellTimedOut& e) {
            timeOutAll(e);
        }
        releaseAll();
        return true;
    }

    void timeOutAll(const CellTimedOut& e) {
        for (Side& s : sides_)
            if (!s.failed) fail(s, RowStatus::Error, s.lb->name + ": " + e.message);
    }

    void rounds() {
        const Clock::time_point t0 = Clock::now();
        for (;;) {
            bool any = false;
            for (Side& s : sides_) {
                if (!s.timing) continue;
                const int k = forwardsPerRound(s);
                try {
                    for (int i = 0; i < k; ++i) {
                        checkpoint();
                        s.lastMs = s.backend().forward();
                        s.samples.push_back(roundedMs(s.lastMs));
                        tickClock(s);
                    }
                } catch (const std::exception& e) {
                    fail(s, e);
                    if (&s == &sides_[0]) return;   // the candidates have nothing to be compared with
                    continue;
                }
                any = true;
            }
            if (!any) return;
            const double elapsed = secondsSince(t0);
            for (Side& s : sides_) {
                if (!s.timing) continue;
                if (const std::optional<StopReason> stop = stopReason(rule_, int(s.samples.size()), noiseOf(s), elapsed)) {
                    s.stop = *stop;
                    s.timing = false;
                }
            }
        }
    }

    const SweepSpec& spec_;
    const Cell& cell_;
    const Batch& batch_;
    const std::atomic<bool>& cancel_;
    Clock::time_point cellStart_;
    const CellContext& ctx_;
    SamplingRule rule_;
    std::vector<Side> sides_;
};

} // namespace

std::vector<MeasureResult> timeCell(const std::vector<LoadedBackend*>& sides, const SweepSpec& spec, const Cell& cell,
                                    const Batch& batch, const std::atomic<bool>& cancel, Clock::time_point cellStart,
                                    const CellContext& ctx, std::string& timing) {
    CellTimer timer(spec, cell, batch, cancel, cellStart, ctx);
    return timer.run(sides, timing);
}

} // namespace bertbench

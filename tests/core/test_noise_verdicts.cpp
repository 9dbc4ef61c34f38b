// Numbers with their uncertainty: the median's distribution-free interval, the speedup's interval
// and verdict, adaptive sampling's stopping rule, and the two checks a user can repeat:
//   A/A — a test-only backend against itself over 24 CPU cells: at most 2 cells (<= 10 %) faster
//         or slower. It runs cpu:eager's forward but reports a time drawn from one fixed log-normal
//         distribution, so the two sides differ by noise alone: what is checked is the interval and
//         verdict machinery, not the quiet of the machine. (Two real cpu:eager instances can differ
//         by a few per cent for good — memory placement — and a shared CI machine is not quiet.)
//   A/B — cpu:eager against a test-only cpu:eager that sleeps a fixed extra time per forward:
//         every cell slower.
#include <QtTest>

#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "core/cpu/CpuBackend.h"
#include "core/cpu/CpuBackends.h"
#include "core/sweep/CellTiming.h"
#include "core/sweep/SweepRunner.h"
#include "core/sweep/Uncertainty.h"

using namespace bertbench;

namespace {

// cpu:eager under another name, whose forward() a test backend redefines (what time it reports).
class CpuEagerWrapper : public Backend {
public:
    CpuEagerWrapper() : inner_(cpu::AttentionKind::Eager) {}
    std::string deviceName() const override { return inner_.deviceName(); }
    void loadModel(const BertWeights& w, DType d) override { inner_.loadModel(w, d); }
    void prepare(Task t, const Batch& b) override { inner_.prepare(t, b); }
    TaskOutput output() override { return inner_.output(); }
    void releaseCell() override { inner_.releaseCell(); }
    int64_t peakMemoryBytes() const override { return inner_.peakMemoryBytes(); }
    void resetPeakMemory() override { inner_.resetPeakMemory(); }
    void setMemoryLimitBytes(int64_t limit) override { inner_.setMemoryLimitBytes(limit); }

protected:
    cpu::CpuBackend inner_;
};

// cpu:eager made measurably slower: each forward sleeps a fixed extra time, inside the time it
// reports. Registered only here.
class SleepingBackend : public CpuEagerWrapper {
public:
    explicit SleepingBackend(double extraMs) : extraMs_(extraMs) {}
    std::string name() const override { return "test:eager+sleep"; }
    double forward() override {
        const auto t0 = std::chrono::steady_clock::now();
        inner_.forward();
        std::this_thread::sleep_for(std::chrono::microseconds(int64_t(extraMs_ * 1000)));
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }

private:
    double extraMs_;
};

// cpu:eager's forward, reporting a time drawn from log-normal(median 1 ms, σ 0.05) instead of the
// time it took. Each instance draws from its own generator, seeded by how many came before it.
class LogNormalTimeBackend : public CpuEagerWrapper {
public:
    LogNormalTimeBackend() : rng_(1000 + instances_++), time_(0.0, 0.05) {}
    std::string name() const override { return "test:lognormal"; }
    double forward() override {
        inner_.forward();
        return time_(rng_);
    }

private:
    static inline int instances_ = 0;
    std::mt19937 rng_;
    std::lognormal_distribution<double> time_;
};

struct Quiet : SweepObserver {};

// The 24 CPU cells of both checks: tiny model, batch 1..8 × seq 16..64 × pad 0, 0.5 (forwards of
// a few ms, so that even under ASan on 2 busy cores a cell gets dozens of them).
SweepSpec checkSpec() {
    SweepSpec spec;
    spec.models = {"tiny"};
    spec.baseline = "cpu:eager";
    spec.batchSizes = {1, 2, 4, 8};
    spec.seqLens = {16, 32, 64};
    spec.pads = {0.0, 0.5};
    spec.warmup = 2;
    spec.profile = false;
    return spec;
}

// The check's sweep: `candidate` against `baseline` over the 24 cells, adaptive at 2 %, at most
// `maxTimeS` a cell, with the test backend `extra` registered beside the CPU backends.
Run runCheck(const BackendInfo& extra, const std::string& baseline, const std::string& candidate, double maxTimeS) {
    BackendRegistry registry;
    registerCpuBackends(registry);
    registry.add(extra);
    SweepSpec spec = checkSpec();
    spec.baseline = baseline;
    spec.candidates = {candidate};
    spec.maxNoisePct = 2;
    spec.maxTimeS = maxTimeS;
    if (!validateSpec(spec, 512, registry.names()).empty()) return {};
    SweepRunner runner(registry);
    Quiet quiet;
    const std::atomic<bool> cancel{false};
    return runner.run(spec, quiet, cancel);
}

std::map<Verdict, int> verdicts(const Run& run) {
    std::map<Verdict, int> count;
    for (const ResultRow& r : run.rows) ++count[r.verdict];
    return count;
}

std::string describe(const Run& run) {
    std::string s;
    for (const ResultRow& r : run.rows) {
        char line[200];
        std::snprintf(line, sizeof line, "b%d s%d p%g: %+.1f%% [%+.1f, %+.1f] %s (%d/%d forwards)\n",
                      r.cell.batchSize, r.cell.seqLen, r.cell.pad, r.speedupPercent(), r.speedupCiPct.lo,
                      r.speedupCiPct.hi, toString(r.verdict).c_str(), r.baseline.latency.samples,
                      r.candidate.latency.samples);
        s += line;
    }
    return s;
}

} // namespace

class NoiseVerdictsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setCpuThreads(1); }

    // Order statistics: n = 6 is the first with a 95 % interval (2/64 < 5 %), [x(0), x(5)];
    // at n = 100 the interval is [x(39), x(60)] (the textbook's 40th and 61st values).
    void medianIntervalIsTheOrderStatisticsPair() {
        QVERIFY(!medianIntervalIndex(5, 0.95));
        QCOMPARE(*medianIntervalIndex(6, 0.95), size_t(0));
        QCOMPARE(*medianIntervalIndex(100, 0.95), size_t(39));
        QCOMPARE(minSamplesForInterval(0.95), size_t(6));
        QCOMPARE(minSamplesForInterval(std::sqrt(0.95)), size_t(7));
        std::vector<double> x;
        for (int i = 100; i >= 1; --i) x.push_back(i);
        const Interval ci = medianInterval(x);
        QCOMPARE(ci.lo, 40.0);
        QCOMPARE(ci.hi, 61.0);
        QVERIFY(!medianInterval({1, 2, 3}).valid());
        // Large n stays fast and close to the normal approximation n/2 ± 1.96·√n/2.
        const size_t k = *medianIntervalIndex(100000, 0.95);
        QVERIFY(std::abs(double(k) - (50000 - 1.96 * std::sqrt(100000.0) / 2)) < 3);
    }

    // The interval's coverage holds on skewed noise: over 400 draws of 30 log-normal samples the
    // true median lies outside in about 5 % of them (at most 8 %, at least 2 %).
    void medianIntervalCoversTheTrueMedian() {
        std::mt19937 rng(7);
        std::lognormal_distribution<double> dist(0.0, 0.5);   // true median exp(0) = 1
        int misses = 0;
        for (int draw = 0; draw < 400; ++draw) {
            std::vector<double> x(30);
            for (double& v : x) v = dist(rng);
            if (!medianInterval(x).contains(1.0)) ++misses;
        }
        QVERIFY2(misses <= 32 && misses >= 8, qPrintable(QString::number(misses)));
    }

    void speedupIntervalAndVerdict() {
        std::vector<double> base, fast, same;
        for (int i = 0; i < 40; ++i) {
            const double jitter = 0.01 * (i % 7);
            base.push_back(10.0 + jitter);
            fast.push_back(5.0 + jitter);
            same.push_back(10.0 + 0.01 * ((i + 3) % 7));
        }
        const SpeedupInterval f = speedupInterval(base, fast);
        QCOMPARE(int(f.verdict), int(Verdict::Faster));
        QVERIFY(f.pct.lo > 90 && f.pct.hi < 110);
        QCOMPARE(int(speedupInterval(fast, base).verdict), int(Verdict::Slower));
        const SpeedupInterval s = speedupInterval(base, same);
        QCOMPARE(int(s.verdict), int(Verdict::Same));
        QVERIFY(s.pct.contains(0));
        // Too few samples: no interval, no verdict.
        QCOMPARE(int(speedupInterval({1, 2, 3}, {1, 2, 3}).verdict), int(Verdict::Unknown));
        // Compare's delta: B's speedup 100 % vs A's 0 % → an interval around +100 points.
        const Interval d = speedupDeltaInterval(base, same, base, fast);
        QVERIFY(d.lo > 90 && d.hi < 110);
        QCOMPARE(toString(Verdict::Same), std::string("same"));
        QCOMPARE(int(*parseVerdict("slower")), int(Verdict::Slower));
        QVERIFY(!parseVerdict("SLOW"));
    }

    void samplingStopsOnCountNoiseOrTime() {
        SamplingRule fixed;
        fixed.count = 10;
        QVERIFY(!stopReason(fixed, 9, 0.1, 100));
        QCOMPARE(int(*stopReason(fixed, 10, NAN, 0)), int(StopReason::Count));

        SamplingRule adaptive;
        adaptive.maxNoisePct = 2;
        adaptive.minTimeS = 1;
        adaptive.maxTimeS = 5;
        QVERIFY(!stopReason(adaptive, 9, 0.5, 2));                 // fewer than kMinAdaptiveSamples
        QVERIFY(!stopReason(adaptive, 50, 0.5, 0.5));               // before --min-time
        QCOMPARE(int(*stopReason(adaptive, 50, 1.9, 1.5)), int(StopReason::Noise));
        QVERIFY(!stopReason(adaptive, 50, 2.5, 4.9));
        QVERIFY(!stopReason(adaptive, 50, NAN, 4.9));
        QCOMPARE(int(*stopReason(adaptive, 50, 2.5, 5.1)), int(StopReason::MaxTime));
        QVERIFY(!stopReason(adaptive, kMinVerdictSamples - 1, NAN, 60));   // a verdict's samples first
        QCOMPARE(int(*stopReason(adaptive, kMaxAdaptiveSamples, 9, 0)), int(StopReason::SampleCap));
    }

    // A/A: the baseline listed as the candidate (a second instance is loaded). Interleaved, adaptive
    // at 2 %, at most 0.5 s a cell. With both sides' times from one distribution, a cell is marked
    // only when two 97.5 % median intervals miss each other: well under 1 % a cell, so 3 or more of
    // 24 means the intervals are too narrow.
    void aaRunOnIdenticalTimesMarksAtMostTwoCellsOf24() {
        const Run run = runCheck({"test:lognormal", "cpu", "eager", "cpu:eager reporting log-normal times",
                                  {DType::Float32}, [] { return std::make_unique<LogNormalTimeBackend>(); }},
                                 "test:lognormal", "test:lognormal", 0.5);
        QCOMPARE(int(run.rows.size()), 24);
        for (const ResultRow& r : run.rows) {
            QCOMPARE(toString(r.status), std::string("ok"));
            QCOMPARE(r.timing, std::string("interleaved"));
            QVERIFY(r.baseline.stop == StopReason::Noise || r.baseline.stop == StopReason::MaxTime);
            QCOMPARE(int(r.baseline.samplesMs.size()), r.baseline.latency.samples);
            QVERIFY(r.baseline.latency.samples >= kMinVerdictSamples);
            QVERIFY(r.verdict != Verdict::Unknown);
        }
        const std::map<Verdict, int> count = verdicts(run);
        const int marked = count.count(Verdict::Faster) ? count.at(Verdict::Faster) : 0;
        const int slower = count.count(Verdict::Slower) ? count.at(Verdict::Slower) : 0;
        QVERIFY2(marked + slower <= 2, describe(run).c_str());
    }

    // A/B: every cell of the candidate that sleeps 20 ms more per forward is slower. Adaptive at 2 %,
    // at most 1 s a cell: on a loaded machine a fixed count of a dozen forwards leaves heavy tails
    // that the distribution-free interval honestly calls "same". 20 ms, not less: the largest
    // cell's forward takes tens of ms under ASan on 2 busy cores, where 4 ms more was once "same".
    void abRunMarksEveryCellSlower() {
        // Up to 3 s a cell: room for dozens of 20 ms forwards (7 alone leave min..max intervals).
        const Run run = runCheck({"test:eager+sleep", "cpu", "eager", "cpu:eager sleeping 20 ms more per forward",
                                  {DType::Float32}, [] { return std::make_unique<SleepingBackend>(20.0); }},
                                 "cpu:eager", "test:eager+sleep", 3);
        QCOMPARE(int(run.rows.size()), 24);
        for (const ResultRow& r : run.rows) {
            QCOMPARE(toString(r.status), std::string("ok"));
            QVERIFY(r.candidate.latency.samples >= kMinVerdictSamples);
            QVERIFY(r.candidate.stop == StopReason::Noise || r.candidate.stop == StopReason::MaxTime);
        }
        const std::map<Verdict, int> count = verdicts(run);
        Run notSlower = run;   // the message names the cells that fail (QtTest cuts long ones)
        std::erase_if(notSlower.rows, [](const ResultRow& r) { return r.verdict == Verdict::Slower; });
        QVERIFY2(count.count(Verdict::Slower) && count.at(Verdict::Slower) == 24, describe(notSlower).c_str());
    }
};

QTEST_GUILESS_MAIN(NoiseVerdictsTest)
#include "test_noise_verdicts.moc"

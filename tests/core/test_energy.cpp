// The energy measurement without a GPU: the throttle rule on synthetic clock traces, the energy
// arithmetic, NVML absent → "not available" (never a failure), and the runner's energy window
// (extended to 200 ms, latency statistics from the N timed forwards only) with a synthetic meter.
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/energy/Energy.h"
#include "core/energy/EnergyWindow.h"
#include "core/energy/Nvml.h"
#include "core/sweep/MeasurementProfile.h"
#include "core/sweep/SweepRunner.h"

using namespace bertbench;

namespace {

// A GPU-like backend: it names a PCI bus id, sleeps `ms` per forward and returns that time.
class FakeGpuBackend : public Backend {
public:
    FakeGpuBackend(std::string name, double ms, int* forwards) : name_(std::move(name)), ms_(ms), forwards_(forwards) {}
    std::string name() const override { return name_; }
    std::string deviceName() const override { return "fake GPU"; }
    void loadModel(const BertWeights&, DType) override {}
    void prepare(Task task, const Batch& batch) override {
        task_ = task;
        batch_ = batch;
    }
    double forward() override {
        ++*forwards_;
        std::this_thread::sleep_for(std::chrono::microseconds(int64_t(ms_ * 1000)));
        return ms_;
    }
    TaskOutput output() override {
        TaskOutput out;
        out.task = task_;
        out.shape = {batch_.batchSize, batch_.maxSeqLen, 1};
        out.values.assign(size_t(batch_.paddedTokens()), 1.f);
        return out;
    }
    void releaseCell() override {}
    int64_t peakMemoryBytes() const override { return 1000; }
    void resetPeakMemory() override {}
    void setMemoryLimitBytes(int64_t) override {}
    std::string pciBusId() const override { return "0000:17:00.0"; }
    double gemmPeakTflops(DType) override { return 100.0; }
    std::optional<OpBreakdown> profileForward() override {
        OpBreakdown b = emptyBreakdown();
        addToBreakdown(b, "attention", ms_ / 2);
        addToBreakdown(b, "qkv_gemm", ms_ / 4);
        return b;
    }

private:
    std::string name_;
    double ms_;
    int* forwards_;
    Task task_ = Task::Encoder;
    Batch batch_;
};

// 500 W while the test runs, counted from the steady clock; the SM clock follows a script.
class FakeMeter : public EnergyMeter {
public:
    explicit FakeMeter(std::vector<double> clocks = {}) : clocks_(std::move(clocks)), t0_(Clock::now()) {}
    EnergySample sample() override {
        EnergySample s;
        s.energyMj = 500.0 * secondsSinceStart() * 1000.0;
        s.powerW = 500;
        s.smClockMhz = smClockMhz();
        s.tempC = 40 + samples_;
        ++samples_;
        return s;
    }
    double smClockMhz() override {
        if (clocks_.empty()) return 1980;
        const double c = clocks_[std::min(next_, clocks_.size() - 1)];
        ++next_;
        return c;
    }

private:
    using Clock = std::chrono::steady_clock;
    double secondsSinceStart() const { return std::chrono::duration<double>(Clock::now() - t0_).count(); }
    std::vector<double> clocks_;
    size_t next_ = 0;
    int samples_ = 0;
    Clock::time_point t0_;
};

struct Quiet : SweepObserver {};

SweepSpec fakeSpec() {
    SweepSpec spec;
    spec.models = {"tiny"};
    spec.tasks = {Task::Encoder};
    spec.baseline = "fake:eager";
    spec.candidates = {"fake:fast"};
    spec.batchSizes = {2};
    spec.seqLens = {16};
    spec.pads = {0.0};
    spec.warmup = 1;
    spec.numBatches = 5;
    return spec;
}

} // namespace

class TestEnergy : public QObject {
    Q_OBJECT

private slots:
    // The probe's note names the GEMM that set the % of peak: fp8 rows are judged against the
    // e4m3 GEMM, the others against their own dtype's.
    void gemmProbeNoteNamesTheDtypesGemm() {
        int forwards = 0;
        FakeGpuBackend gpu("fake:gpu", 1.0, &forwards);
        Environment fp8, fp16;
        probeGemmPeak({&gpu}, DType::Float8, fp8);
        probeGemmPeak({&gpu}, DType::Float16, fp16);
        QCOMPARE(fp8.gemmPeakTflops, 100.0);
        QVERIFY2(fp8.gemmProbeNote.find("fp8 cuBLASLt GEMM (e4m3 in") != std::string::npos, fp8.gemmProbeNote.c_str());
        QVERIFY2(fp16.gemmProbeNote.find("dense fp16 cuBLAS GEMM") != std::string::npos, fp16.gemmProbeNote.c_str());
    }

    void throttleRuleOnSyntheticTraces() {
        QVERIFY(!isThrottled({}));
        QVERIFY(!isThrottled({1980}));
        QVERIFY(!isThrottled({1980, 1980, 1970, 1985, 1980}));
        // A boost ramp is not a drop.
        QVERIFY(!isThrottled({1200, 1500, 1980, 1980}));
        // 1980 → 1785 is a 9.8% drop: not throttled; 1980 → 1780 is 10.1%: throttled.
        QVERIFY(!isThrottled({1980, 1785, 1785}));
        QVERIFY(isThrottled({1980, 1780}));
        // Measured from the highest clock before the drop, not the first sample.
        QVERIFY(isThrottled({1500, 1980, 1900, 1700}));
        // Unreadable samples (<= 0) are ignored, not read as a drop to zero.
        QVERIFY(!isThrottled({1980, -1, 0, 1980}));
        // A custom threshold.
        QVERIFY(isThrottled({1000, 940}, 0.05));
    }

    void energyArithmetic() {
        EnergySample a, b;
        a.energyMj = 10000;
        b.energyMj = 110000;   // 100 J over the window
        a.smClockMhz = 1980;
        b.smClockMhz = 1700;
        a.tempC = 40;
        b.tempC = 55;
        const Energy e = energyFromReadings(a, b, 250.0, {1980, 1975, 1700}, {}, 50, 4000, true);
        QVERIFY(e.available);
        QCOMPARE(e.joulesPerForward, 2.0);        // 100 J / 50 forwards
        QCOMPARE(e.joulesPer1kTokens, 0.5);       // 2 J / 4000 tokens · 1000
        QCOMPARE(e.meanPowerW, 400.0);            // 100 J / 0.25 s
        QCOMPARE(e.smClockStartMhz, 1980.0);
        QCOMPARE(e.smClockEndMhz, 1700.0);
        QCOMPARE(e.tempEndC, 55.0);
        QVERIFY(e.windowExtended);
        QVERIFY(e.throttled);                     // 1980 → 1700 is a 14% drop
        QCOMPARE(e.forwardsInWindow, 50);
        // A counter that did not move is "not available", with the window length.
        b.energyMj = a.energyMj;
        const Energy still = energyFromReadings(a, b, 250.0, {}, {}, 50, 4000, false);
        QVERIFY(!still.available);
        QVERIFY2(still.note.find("did not advance over 250 ms") != std::string::npos, still.note.c_str());
        // No counter: sampled power × window, and the note says so.
        a.energyMj = b.energyMj = -1;
        const Energy sampled = energyFromReadings(a, b, 500.0, {}, {300, 500}, 10, 1000, false);
        QVERIFY(sampled.available);
        QCOMPARE(sampled.joulesPerForward, 20.0);   // 400 W · 0.5 s / 10
        QVERIFY(sampled.note.find("sampled power") != std::string::npos);
    }

    void nvmlAbsentIsNotAvailable() {
        std::string why;
        const auto meter = openNvmlMeter("/nonexistent/libnvidia-ml.so.1", "0000:17:00.0", why);
        QVERIFY(meter == nullptr);
        QVERIFY2(why.rfind("not available: could not load /nonexistent/libnvidia-ml.so.1", 0) == 0, why.c_str());
        // A library without NVML's symbols (libm is everywhere) is refused by name.
        std::string why2;
        QVERIFY(openNvmlMeter("libm.so.6", "0000:17:00.0", why2) == nullptr);
        QVERIFY2(why2.find("has no nvmlInit_v2") != std::string::npos, why2.c_str());
    }

    void runnerRecordsNotAvailableWithoutNvml() {
        int forwards = 0;
        BackendRegistry reg;
        for (const char* name : {"fake:eager", "fake:fast"})
            reg.add({name, "cuda", "eager", "fake", {DType::Float32},
                     [&forwards, name] { return std::make_unique<FakeGpuBackend>(name, 0.2, &forwards); }});
        SweepRunner runner(reg);
        runner.setEnergyMeterFactory(nvmlMeterFactory("/nonexistent/libnvidia-ml.so.1"));
        Quiet quiet;
        std::atomic<bool> cancel{false};
        const Run run = runner.run(fakeSpec(), quiet, cancel);
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        QCOMPARE(int(r.status), int(RowStatus::Ok));
        QVERIFY(!r.candidate.energy.available);
        QVERIFY2(r.candidate.energy.note.find("could not load") != std::string::npos, r.candidate.energy.note.c_str());
        QVERIFY(std::isnan(r.energySavedPercent()));
        // Without a meter the window is not extended: warm-up + timed forwards (the fake profiles
        // without forward()).
        QCOMPARE(forwards, 2 * (1 + 5));
    }

    void runnerExtendsShortWindowsAndKeepsTheTimedStatistics() {
        int forwards = 0;
        BackendRegistry reg;
        reg.add({"fake:eager", "cuda", "eager", "fake", {DType::Float32},
                 [&forwards] { return std::make_unique<FakeGpuBackend>("fake:eager", 2.0, &forwards); }});
        reg.add({"fake:fast", "cuda", "sdpa", "fake", {DType::Float32},
                 [&forwards] { return std::make_unique<FakeGpuBackend>("fake:fast", 1.0, &forwards); }});
        SweepRunner runner(reg);
        runner.setEnergyMeterFactory([](const std::string& pci, std::string&) -> std::unique_ptr<EnergyMeter> {
            if (pci != "0000:17:00.0") return nullptr;
            return std::make_unique<FakeMeter>();
        });
        Quiet quiet;
        std::atomic<bool> cancel{false};
        const Run run = runner.run(fakeSpec(), quiet, cancel);
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        QCOMPARE(int(r.status), int(RowStatus::Ok));
        for (const Measurement* m : {&r.baseline, &r.candidate}) {
            QCOMPARE(m->latency.samples, 5);   // the N timed forwards only
            QVERIFY(m->energy.available);
            QVERIFY(m->energy.windowExtended);   // 5 forwards of 1–2 ms are far below 200 ms
            QVERIFY2(m->energy.timedWindowMs >= kMinEnergyWindowMs, qPrintable(QString::number(m->energy.timedWindowMs)));
            QVERIFY(m->energy.forwardsInWindow > 5);
            // 500 W over the window shared by its forwards; per 1k real tokens likewise.
            const double expected = 500.0 * m->energy.timedWindowMs / 1000.0 / m->energy.forwardsInWindow;
            QVERIFY2(std::abs(m->energy.joulesPerForward - expected) < 0.05 * expected,
                     qPrintable(QString("%1 vs %2").arg(m->energy.joulesPerForward).arg(expected)));
            QVERIFY(std::abs(m->energy.meanPowerW - 500.0) < 25.0);
            QCOMPARE(m->energy.joulesPer1kTokens, m->energy.joulesPerForward / double(r.realTokens) * 1000.0);
            QVERIFY(!m->energy.throttled);
            QCOMPARE(m->energy.smClockStartMhz, 1980.0);
            // Efficiency on the fake GPU's 100 TFLOP/s probe.
            QVERIFY(m->efficiency.recorded);
            QVERIFY(m->efficiency.flopsReal > 0);
            QCOMPARE(m->efficiency.pctOfPeak, m->efficiency.achievedTflops / 100.0 * 100.0);
            // The fake's breakdown, against the timed median.
            QVERIFY(m->breakdown && m->breakdown->measured());
            QCOMPARE(m->breakdown->forwardMs, m->latency.medianMs);
            QCOMPARE(m->breakdown->sumMs, 0.75 * m->latency.medianMs);
        }
        QCOMPARE(run.environment.gemmPeakTflops, 100.0);
        // The faster candidate at the same power uses about half the energy per forward.
        QVERIFY2(r.energySavedPercent() > 50 && r.energySavedPercent() < 150,
                 qPrintable(QString::number(r.energySavedPercent())));
    }

    // A baseline in its own data type (fp32 against fp16 candidates) gets no % of peak: the probe
    // measured fp16. The candidate, in the probe's type, still does.
    void baselineInAnotherTypeThanTheProbeHasNoPeak() {
        int forwards = 0;
        BackendRegistry reg;
        reg.add({"fake:eager", "cuda", "eager", "fake", {DType::Float32, DType::Float16},
                 [&forwards] { return std::make_unique<FakeGpuBackend>("fake:eager", 2.0, &forwards); }});
        reg.add({"fake:fast", "cuda", "sdpa", "fake", {DType::Float32, DType::Float16},
                 [&forwards] { return std::make_unique<FakeGpuBackend>("fake:fast", 1.0, &forwards); }});
        SweepRunner runner(reg);
        SweepSpec spec = fakeSpec();
        spec.dtype = DType::Float16;
        spec.baselineDType = DType::Float32;
        Quiet quiet;
        std::atomic<bool> cancel{false};
        const Run run = runner.run(spec, quiet, cancel);
        QCOMPARE(run.rows.size(), size_t(1));
        const ResultRow& r = run.rows[0];
        QCOMPARE(int(r.status), int(RowStatus::Ok));
        QCOMPARE(r.baseline.efficiency.pctOfPeak, -1.0);
        QCOMPARE(r.baseline.efficiency.note, std::string("not available: the GEMM probe measured fp16, this ran fp32"));
        QVERIFY(r.baseline.efficiency.achievedTflops > 0);   // its rate stays
        QVERIFY(r.candidate.efficiency.pctOfPeak > 0);
    }

    void runnerFlagsAThrottledCell() {
        int forwards = 0;
        BackendRegistry reg;
        for (const char* name : {"fake:eager", "fake:fast"})
            reg.add({name, "cuda", "eager", "fake", {DType::Float32},
                     [&forwards, name] { return std::make_unique<FakeGpuBackend>(name, 6.0, &forwards); }});
        SweepRunner runner(reg);
        // The clock falls from 1980 to 1600 MHz a few readings in.
        runner.setEnergyMeterFactory([](const std::string&, std::string&) -> std::unique_ptr<EnergyMeter> {
            return std::make_unique<FakeMeter>(std::vector<double>{1980, 1980, 1980, 1600});
        });
        Quiet quiet;
        std::atomic<bool> cancel{false};
        SweepSpec spec = fakeSpec();
        spec.profile = false;
        const Run run = runner.run(spec, quiet, cancel);
        QVERIFY(run.rows[0].baseline.energy.throttled);
        QCOMPARE(run.rows[0].baseline.energy.smClockEndMhz, 1600.0);
        // --no-profile: the breakdown says why it is missing.
        QVERIFY(run.rows[0].candidate.breakdown && !run.rows[0].candidate.breakdown->measured());
        QVERIFY(run.rows[0].candidate.breakdown->note.find("--no-profile") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestEnergy)
#include "test_energy.moc"

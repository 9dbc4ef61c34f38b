#pragma once
// Shared by the UI suites: synthetic rows, a tiny CPU spec, the CPU registry (optionally with
// every backend wrapped to record which thread runs its forwards), test-mode settings.
#include <QStandardPaths>
#include <QCoreApplication>
#include <QThread>
#include <atomic>
#include <memory>

#include "core/cpu/CpuBackends.h"
#include "core/sweep/Run.h"

namespace bertbench::test {

// Settings and app data go to the test locations, never the user's.
inline void useTestSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("BertBenchTest"));
    QCoreApplication::setApplicationName(QStringLiteral("BertBenchUiTests"));
}

inline ResultRow makeRow(Task task, const std::string& candidate, int batch, int seq, double pad, double baseMs,
                         double candMs, double baseMb = 100, double candMb = 80, RowStatus status = RowStatus::Ok) {
    ResultRow r;
    r.cell = Cell{task, batch, seq, pad};
    r.baseline.backend = "cpu:eager";
    r.candidate.backend = candidate;
    for (auto [m, ms, mb] : {std::tuple{&r.baseline, baseMs, baseMb}, std::tuple{&r.candidate, candMs, candMb}}) {
        m->latency.samples = 5;
        m->latency.medianMs = ms;
        m->latency.meanMs = ms;
        m->latency.p10Ms = ms * 0.9;
        m->latency.p90Ms = ms * 1.1;
        m->peakMemMb = mb;
    }
    r.numBatches = 5;
    r.realTokens = int64_t(batch) * seq;
    r.maxAbsError = 1e-6;
    r.relError = 1e-7;
    r.status = status;
    if (status != RowStatus::Ok) r.message = "synthetic " + toString(status);
    return r;
}

// A few forwards of the tiny model: seconds on 2 cores.
inline SweepSpec tinySpec() {
    SweepSpec s;
    s.models = {"tiny"};
    s.tasks = {Task::Encoder};
    s.baseline = "cpu:eager";
    s.candidates = {"cpu:sdpa", "cpu:flash_attention_2"};
    s.dtype = DType::Float32;
    s.batchSizes = {1, 2};
    s.seqLens = {16, 32};
    s.pads = {0.0, 0.5};
    s.seqlenStdev = 2;
    s.warmup = 0;
    s.numBatches = 1;
    s.seed = 7;
    return s;
}

// Forwards to a real backend and counts forwards made on the GUI (main) thread.
class ThreadCheckingBackend : public Backend {
public:
    ThreadCheckingBackend(std::unique_ptr<Backend> inner, std::atomic<int>* guiForwards)
        : inner_(std::move(inner)), guiForwards_(guiForwards) {}
    std::string name() const override { return inner_->name(); }
    std::string deviceName() const override { return inner_->deviceName(); }
    void loadModel(const BertWeights& w, DType d) override { inner_->loadModel(w, d); }
    void prepare(Task t, const Batch& b) override { inner_->prepare(t, b); }
    double forward() override {
        if (QThread::currentThread() == QCoreApplication::instance()->thread()) ++*guiForwards_;
        return inner_->forward();
    }
    TaskOutput output() override { return inner_->output(); }
    void releaseCell() override { inner_->releaseCell(); }
    int64_t peakMemoryBytes() const override { return inner_->peakMemoryBytes(); }
    void resetPeakMemory() override { inner_->resetPeakMemory(); }
    void setMemoryLimitBytes(int64_t limit) override { inner_->setMemoryLimitBytes(limit); }
    std::vector<KernelOption> kernelOptions() const override { return inner_->kernelOptions(); }

private:
    std::unique_ptr<Backend> inner_;
    std::atomic<int>* guiForwards_;
};

// The CPU backends; with `guiForwards`, each wrapped in ThreadCheckingBackend.
inline BackendRegistry cpuRegistry(std::atomic<int>* guiForwards = nullptr) {
    BackendRegistry plain;
    registerCpuBackends(plain);
    if (!guiForwards) return plain;
    BackendRegistry wrapped;
    for (BackendInfo info : plain.all()) {
        auto create = info.create;
        info.create = [create, guiForwards] {
            return std::unique_ptr<Backend>(new ThreadCheckingBackend(create(), guiForwards));
        };
        wrapped.add(std::move(info));
    }
    return wrapped;
}

inline QString seedCsv(const char* name) {
    return QStringLiteral(BERTBENCH_FIXTURES_DIR "/seed-csv/") + QLatin1String(name);
}

} // namespace bertbench::test

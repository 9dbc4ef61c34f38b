#pragma once
// A data-workload cell's several batches behind the one Backend the measurement drives.
//
// The measurement prepares a backend once and times forward() N times. Wrapped in a BatchCycle,
// one forward() runs one forward of every batch of the cell, in order, the backend prepared for
// each and run once untimed first (the time returned is the sum of the backend's own device
// times of the second forwards), and returns the mean time per batch. The untimed forward keeps
// what a fresh prepare costs out of the timing: a CPU backend's new buffers are first touched
// there (page faults that would bias against the policy whose batches vary most in size), a
// GPU's new shapes meet cuBLAS's heuristics there. So a timed sample covers the cell's whole draw of rows — samples are alike
// and the statistics (median, intervals, adaptive sampling) mean what they mean for one batch —
// and its unit stays "ms per batch". After a forward() the last batch is the one prepared, so
// output() is that batch's (CellBatches::reference()). The measurement's warm-up forwards are
// full cycles too, so every batch's shape (cuBLAS heuristics, GEMM autotuning, compiled graphs)
// is seen before timing.
//
// With one batch the wrapper is never used (synthetic cells, batches_per_cell 1).
// Costs: K prepares and K untimed forwards per forward() (allocation, input upload; a torch:*
// backend's files and messages; under --cuda-graphs a capture per batch): wall time, not measured
// time. The profiling forward is the mean of one profiled forward per batch.
#include <memory>
#include <vector>

#include "core/backend/Backend.h"

namespace bertbench {

class BatchCycle : public Backend {
public:
    // untimedFirst: each batch prepared anew runs once untimed before its timed forward (the sweep's
    // cells: ScopedBatchCycle); false: only the timed forward (the offline scenario's passes,
    // hundreds of batches long, where a pass is what an offline server runs).
    BatchCycle(std::unique_ptr<Backend> inner, std::vector<Batch> batches, bool untimedFirst = false);
    // Gives the wrapped backend back (the cell is over).
    std::unique_ptr<Backend> release() { return std::move(inner_); }
    int batches() const { return int(batches_.size()); }

    std::string name() const override { return inner_->name(); }
    std::string deviceName() const override { return inner_->deviceName(); }
    void loadModel(const BertWeights& weights, DType dtype) override { inner_->loadModel(weights, dtype); }
    // Prepares the first batch; `batch` is the cell's reference batch, kept for the caller only.
    void prepare(Task task, const Batch& batch) override;
    double forward() override;
    TaskOutput output() override { return inner_->output(); }
    void releaseCell() override;
    int64_t peakMemoryBytes() const override { return inner_->peakMemoryBytes(); }
    void resetPeakMemory() override { inner_->resetPeakMemory(); }
    void setMemoryLimitBytes(int64_t limit) override { inner_->setMemoryLimitBytes(limit); }
    std::vector<KernelOption> kernelOptions() const override { return inner_->kernelOptions(); }
    std::optional<OpBreakdown> profileForward() override;
    void setUseCudaGraphs(bool enabled) override { inner_->setUseCudaGraphs(enabled); }
    double gemmPeakTflops(DType dtype) override { return inner_->gemmPeakTflops(dtype); }
    std::string pciBusId() const override { return inner_->pciBusId(); }
    double compileTimeMs() const override;
    void setCellTimeoutS(double seconds) override { inner_->setCellTimeoutS(seconds); }

private:
    void select(size_t index);

    std::unique_ptr<Backend> inner_;
    std::vector<Batch> batches_;
    Task task_ = Task::Encoder;
    size_t current_ = 0;
    bool prepared_ = false;
    double compileMs_ = -1;   // the most any batch's prepare compiled
    bool untimedFirst_ = false;
};

// Wraps `slot`'s backend in a BatchCycle over `batches` for the scope's life (when there are
// several batches and a backend), and gives it back after.
class ScopedBatchCycle {
public:
    ScopedBatchCycle(std::unique_ptr<Backend>& slot, const std::vector<Batch>& batches);
    ~ScopedBatchCycle();
    ScopedBatchCycle(const ScopedBatchCycle&) = delete;
    ScopedBatchCycle& operator=(const ScopedBatchCycle&) = delete;

private:
    std::unique_ptr<Backend>& slot_;
    bool wrapped_ = false;
};

// A data cell's energy window counts its forward() calls, each of which ran every batch, and
// divides by the real tokens of one batch: per batch, joules per forward and per 1k tokens divide
// by the batches (the window and the power are unchanged; its forwards are counted in batches).
struct Energy;
void energyPerBatch(Energy& energy, int batches);

} // namespace bertbench

#pragma once
// cpu:eager, cpu:sdpa and cpu:flash_attention_2: the Backend interface over the CPU forward of
// the loaded model's type (CpuModel.h: BERT's layers or ModernBERT's), with its own MemoryTracker
// (peak, limit) and steady-clock timing. fp32 only.
#include <memory>
#include <string>

#include "core/backend/Backend.h"
#include "core/cpu/CpuModel.h"

namespace bertbench::cpu {

std::string attentionName(AttentionKind kind);   // "eager", "sdpa", "flash_attention_2"

class CpuBackend final : public Backend {
public:
    explicit CpuBackend(AttentionKind kind);

    std::string name() const override;
    std::string deviceName() const override;
    void loadModel(const BertWeights& weights, DType dtype) override;
    void prepare(Task task, const Batch& batch) override;
    double forward() override;
    TaskOutput output() override;
    void releaseCell() override;
    int64_t peakMemoryBytes() const override { return tracker_.peakBytes(); }
    void resetPeakMemory() override { tracker_.resetPeak(); }
    void setMemoryLimitBytes(int64_t limit) override { tracker_.setLimit(limit); }
    // One forward with steady-clock scopes per category (OpCategory.h).
    std::optional<OpBreakdown> profileForward() override;
    // attention (the strategy and what it materialises), threads (the pool the forwards ran on)
    // and blas (the library this build links).
    std::vector<KernelOption> kernelOptions() const override;

    int64_t currentMemoryBytes() const { return tracker_.currentBytes(); }

private:
    AttentionKind kind_;
    MemoryTracker tracker_;
    std::unique_ptr<CpuModel> model_;   // null until a model is loaded

    CpuModel& model() const;
};

} // namespace bertbench::cpu

#pragma once
// core's Backend on the GPU: CudaBertModel + one AttentionStrategy, on its own stream, with its
// own allocator (peak = weights + activations + workspace of this backend alone).
//
// forward() is timed with CUDA events around the enqueued work. With CUDA graphs on, the first
// forward of a cell runs once plainly (warming cuBLAS's plans), then captures the forward into a
// graph; that and every later forward replay the graph between the two events.
#include <memory>

#include <cuda_runtime_api.h>

#include "core/backend/Backend.h"
#include "kernels/model/AttentionStrategy.h"
#include "kernels/model/CudaBertModel.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/DeviceAllocator.h"
#include "kernels/runtime/KernelOptions.h"

namespace bertbench::cuda {

class CudaBertBackend final : public Backend {
public:
    CudaBertBackend(std::unique_ptr<AttentionStrategy> attention, int device, const KernelOptions& options);
    ~CudaBertBackend() override;

    std::string name() const override { return "cuda:" + attention_->name(); }
    std::string deviceName() const override;

    void loadModel(const BertWeights& weights, DType dtype) override;
    void prepare(Task task, const Batch& batch) override;
    double forward() override;
    TaskOutput output() override;
    void releaseCell() override;

    int64_t peakMemoryBytes() const override { return allocator_.peakBytes(); }
    void resetPeakMemory() override { allocator_.resetPeak(); }
    void setMemoryLimitBytes(int64_t limit) override { allocator_.setLimit(limit); }
    void setUseCudaGraphs(bool enabled) override;
    // fp8 asked: Float8 when the encoder's GEMMs run in e4m3, else the fp16 that ran.
    std::optional<DType> dtypeRan() const override;
    bool usesCudaGraphs() const { return useGraphs_; }
    // The kernel options and the paths the last cell took: the attention kernel, each linear
    // layer's GEMM path, the autotuner and its count of tuned shapes, CUDA graphs.
    std::vector<KernelOption> kernelOptions() const override;
    // CudaBertProfile.cpp: a plain (never graph-replayed) forward with CUDA events per
    // OpScope, enqueued whole behind a host-side gate so the GPU runs it back to back as a graph
    // would, after one such forward that warms the event pool; the GEMM probe, once per GPU and
    // dtype in the process; the PCI bus id NVML finds this GPU by.
    std::optional<OpBreakdown> profileForward() override;
    double gemmPeakTflops(DType dtype) override;
    std::string pciBusId() const override;

    // For the bench and tests: per-op timing of the next forwards (null = off).
    void setProfiler(OpProfiler* profiler) { context_.setProfiler(profiler); }
    CudaContext& context() { return context_; }
    int64_t currentMemoryBytes() const { return allocator_.currentBytes(); }

private:
    void destroyGraph();
    void captureGraph();

    KernelOptions options_;
    DeviceAllocator allocator_;
    CudaContext context_;
    std::unique_ptr<AttentionStrategy> attention_;
    CudaBertModel model_;
    EventTimer timer_;
    bool useGraphs_ = false;
    cudaGraphExec_t graph_ = nullptr;
};

} // namespace bertbench::cuda

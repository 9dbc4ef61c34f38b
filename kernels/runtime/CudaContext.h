#pragma once
// One backend's handle on a GPU: the device, a non-blocking stream, cuBLAS and cublasLt handles
// bound to it, and the GEMM workspace (allocated through the backend's allocator, so it counts
// in the peak like torch's cuBLAS workspace does).
#include <cstddef>
#include <string>

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "kernels/runtime/DeviceAllocator.h"
#include "kernels/runtime/OpProfiler.h"

namespace bertbench::cuda {

class CudaContext {
public:
    // Selects `device` for the calling thread, creates the stream and the handles.
    CudaContext(int device, DeviceAllocator& allocator);
    ~CudaContext();
    CudaContext(const CudaContext&) = delete;
    CudaContext& operator=(const CudaContext&) = delete;

    // Every entry point calls this: the runtime's current device is per host thread.
    void makeCurrent() const;
    // Allocates the cuBLAS/cublasLt workspace (idempotent). Called from loadModel.
    void ensureWorkspace();
    void synchronize() const;

    int device() const { return device_; }
    const cudaDeviceProp& properties() const { return props_; }
    cudaStream_t stream() const { return stream_; }
    cublasHandle_t cublas() const { return cublas_; }
    cublasLtHandle_t cublasLt() const { return cublasLt_; }
    void* workspace() const { return workspace_.get(); }
    size_t workspaceBytes() const { return workspace_.bytes(); }
    DeviceAllocator& allocator() const { return allocator_; }
    // Per-op timing for the bench (null = off). Ops wrap themselves in OpScope(profiler(), ...).
    OpProfiler* profiler() const { return profiler_; }
    void setProfiler(OpProfiler* profiler) { profiler_ = profiler; }
    // The profiler's category-alone graphs (CudaBertProfile.cpp): while set, the forward enqueues
    // only the launches of that top-level category (OpCategory names); empty = all of them.
    bool runs(const char* category) const { return onlyCategory_.empty() || onlyCategory_ == category; }
    bool runsEveryCategory() const { return onlyCategory_.empty(); }
    void setOnlyCategory(const std::string& category) { onlyCategory_ = category; }

    static constexpr size_t kWorkspaceBytes = size_t(32) << 20;   // NVIDIA's advice for Hopper

private:
    int device_;
    DeviceAllocator& allocator_;
    cudaDeviceProp props_{};
    cudaStream_t stream_ = nullptr;
    cublasHandle_t cublas_ = nullptr;
    cublasLtHandle_t cublasLt_ = nullptr;
    DeviceBuffer workspace_;
    OpProfiler* profiler_ = nullptr;
    std::string onlyCategory_;
};

// CUDA events around a region of one stream.
class EventTimer {
public:
    EventTimer();
    ~EventTimer();
    EventTimer(const EventTimer&) = delete;
    EventTimer& operator=(const EventTimer&) = delete;
    void start(cudaStream_t stream);
    void stop(cudaStream_t stream);
    // Waits for the stop event; milliseconds between the two.
    double elapsedMs();

private:
    cudaEvent_t start_ = nullptr;
    cudaEvent_t stop_ = nullptr;
};

// The first GPU of compute capability 8.0 or newer (what every CUDA backend needs).
// Throws BackendError when there is none.
int firstUsableDevice();

} // namespace bertbench::cuda

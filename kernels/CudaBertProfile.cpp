// CudaBertBackend's issue-12 side: the profiling forward, the GEMM probe and the PCI bus id.
#include <map>
#include <mutex>

#include "kernels/CudaBertBackend.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/GemmProbe.h"

#include "core/util/Errors.h"

namespace bertbench::cuda {

std::optional<OpBreakdown> CudaBertBackend::profileForward() {
    if (!model_.prepared()) throw BackendError("profileForward() before prepare()");
    context_.makeCurrent();
    OpProfiler* previous = context_.profiler();   // the bench may have its own profiler attached
    OpProfiler profiler;
    context_.setProfiler(&profiler);
    try {
        // The first profiled forward creates the events; the second, timed from a warm pool, counts.
        for (int i = 0; i < 2; ++i) {
            model_.forward(*attention_);
            profiler.collect();
        }
    } catch (...) {
        context_.setProfiler(previous);
        throw;
    }
    context_.setProfiler(previous);
    BB_CUDA_CHECK(cudaStreamSynchronize(context_.stream()));
    return breakdownFromScopes(profiler.lastScopes(), 0.0);
}

double CudaBertBackend::gemmPeakTflops(DType dtype) {
    // One probe per (GPU, dtype) for the whole process: every cuda:* backend of a sweep shares it.
    static std::mutex mutex;
    static std::map<std::pair<int, int>, double> probed;
    const std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_pair(context_.device(), int(dtype));
    if (const auto it = probed.find(key); it != probed.end()) return it->second;
    const double tflops = measureGemmPeakTflops(context_, dtype);
    probed[key] = tflops;
    return tflops;
}

std::string CudaBertBackend::pciBusId() const {
    char id[32] = {};
    if (cudaDeviceGetPCIBusId(id, int(sizeof id), context_.device()) != cudaSuccess) {
        cudaGetLastError();
        return {};
    }
    return id;
}

} // namespace bertbench::cuda

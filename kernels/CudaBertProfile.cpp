// CudaBertBackend's issue-12 side: the profiling forward, the GEMM probe and the PCI bus id.
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "kernels/CudaBertBackend.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/GemmProbe.h"

#include "core/util/Errors.h"

namespace bertbench::cuda {

namespace {

// Holds the stream until the whole profiled forward is enqueued. Without it the GPU would run
// each op as soon as the host launched it, and every scope would also time the host's launch
// and event-record overhead (dominant for small cells, and absent from a CUDA graph replay).
// The wait is bounded so that a full launch queue can never deadlock the host.
struct StreamGate {
    std::atomic<bool> open{false};
    static void CUDART_CB wait(void* self) {
        auto* gate = static_cast<StreamGate*>(self);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!gate->open.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    }
};

} // namespace

std::optional<OpBreakdown> CudaBertBackend::profileForward() {
    if (!model_.prepared()) throw BackendError("profileForward() before prepare()");
    context_.makeCurrent();
    OpProfiler* previous = context_.profiler();   // the bench may have its own profiler attached
    OpProfiler profiler;
    context_.setProfiler(&profiler);
    try {
        // The first profiled forward creates the events; the second, timed from a warm pool, counts.
        for (int i = 0; i < 2; ++i) {
            StreamGate gate;
            BB_CUDA_CHECK(cudaLaunchHostFunc(context_.stream(), &StreamGate::wait, &gate));
            try {
                model_.forward(*attention_);
            } catch (...) {
                gate.open.store(true, std::memory_order_release);
                cudaStreamSynchronize(context_.stream());   // the host function must be done with `gate`
                throw;
            }
            gate.open.store(true, std::memory_order_release);
            BB_CUDA_CHECK(cudaStreamSynchronize(context_.stream()));
            profiler.collect();
        }
    } catch (...) {
        context_.setProfiler(previous);
        throw;
    }
    context_.setProfiler(previous);
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

#pragma once
// Holds a stream until everything to be timed is enqueued, so that the GPU runs it back to back
// instead of as fast as the host can launch it. Without it, a timing of µs-long kernels measures
// the host's launch rate (cublasLtMatmul calls, event records), not the kernels. The wait runs in
// a host function on the stream and is bounded (2 s) so that a full launch queue cannot deadlock
// the host.
//
//   StreamGate gate;
//   gate.hold(stream);          // the stream waits from here
//   ... enqueue (events, kernels) ...
//   gate.release();             // the GPU runs it all
//   cudaStreamSynchronize(stream);   // before `gate` goes out of scope
#include <atomic>
#include <chrono>
#include <thread>

#include <cuda_runtime_api.h>

#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

struct StreamGate {
    std::atomic<bool> open{false};

    void hold(cudaStream_t stream) {
        open.store(false, std::memory_order_release);
        BB_CUDA_CHECK(cudaLaunchHostFunc(stream, &StreamGate::wait, this));
    }
    void release() { open.store(true, std::memory_order_release); }

    static void CUDART_CB wait(void* self) {
        auto* gate = static_cast<StreamGate*>(self);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        while (!gate->open.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
    }
};

} // namespace bertbench::cuda

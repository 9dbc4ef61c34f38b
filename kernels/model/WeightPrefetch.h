#pragma once
// The forward's weight prefetch: one layer ahead, on a side stream, into L2 (ops::prefetchToL2).
//
// Worth it only where the GEMMs are bound by reading weights: few tokens (batch-1 cells), where a
// layer's 14 MB of bert-base weights dwarf its activations. Off by default until measured on the
// H200 (docs/PERFORMANCE.md): BERTBENCH_L2_PREFETCH=1 turns it on for forwards of at most
// kMaxTokens tokens on GPUs whose L2 holds two layers (H100/H200: 50 MiB; bert-large's layers are
// 25 MB), =0 or unset leaves it off.
//
// Each prefetch forks from the model's stream (an event recorded there, waited on by the side
// stream), so it starts when the forward reaches that point and never delays the model's own
// kernels; join() makes the model's stream wait for the side stream once, at the end of the
// encoder, which CUDA graph capture requires (every forked stream must rejoin) and which keeps
// the next forward from racing a prefetch still in flight. The side stream, the events and their
// order are captured into the graph like any other launch.
#include <cstddef>
#include <cstdint>

#include <cuda_runtime_api.h>

namespace bertbench::cuda {

class WeightPrefetch {
public:
    static constexpr int64_t kMaxTokens = 2048;

    // Reads BERTBENCH_L2_PREFETCH (each model reads it when it is made).
    WeightPrefetch();
    ~WeightPrefetch();
    WeightPrefetch(const WeightPrefetch&) = delete;
    WeightPrefetch& operator=(const WeightPrefetch&) = delete;

    // BERTBENCH_L2_PREFETCH=1, tokens ≤ kMaxTokens, and two layers' weights fit in the L2 cache
    // (the current layer's and the next one's; a smaller cache would evict what is being read).
    bool wanted(int64_t tokens, size_t layerBytes, size_t l2Bytes) const {
        return enabled_ && tokens <= kMaxTokens && layerBytes > 0 && 2 * layerBytes <= l2Bytes;
    }
    // Creates the side stream and events on the current device (idempotent). prepare() calls it,
    // so that a forward being captured into a graph creates nothing.
    void createStreams();
    // Enqueues the prefetch of [ptr, ptr + bytes) on the side stream, after the work enqueued on
    // `stream` so far (creating the streams first if needed).
    void prefetch(cudaStream_t stream, const void* ptr, size_t bytes);
    // `stream` waits for every prefetch enqueued so far (a no-op when none was).
    void join(cudaStream_t stream);

private:
    bool enabled_ = false;
    cudaStream_t side_ = nullptr;
    cudaEvent_t fork_ = nullptr, joined_ = nullptr;
    bool pending_ = false;
};

} // namespace bertbench::cuda

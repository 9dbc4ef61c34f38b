#pragma once
// The Hopper (sm_90a) attention kernel behind launchFlashAttentionVarlen / launchSdpaPadded:
// TMA + wgmma + warp specialisation (HopperAttentionKernel.cuh). FusedAttention.cu uses it when
// hopperAttentionUsable() says so and falls back to the FlashAttention-2 kernel otherwise.
#include <cstdint>

#include <cuda_runtime_api.h>

namespace bertbench::attention::hopper {

struct HopperLaunch {
    const void* q = nullptr;
    const void* k = nullptr;
    const void* v = nullptr;
    void* out = nullptr;
    int64_t qRowStride = 0, kRowStride = 0, vRowStride = 0, outRowStride = 0;   // elements
    int64_t totalRows = 0;            // rows of q/k/v (tokens): TMA reads none past it
    int numHeads = 0;
    int headDim = 0;                  // 64 or 128
    bool bf16 = false;
    float scaleLog2 = 0.f;
    const int32_t* cuSeqlens = nullptr;   // varlen: [batch + 1]
    const int32_t* lengths = nullptr;     // padded: [batch]
    int paddedSeqLen = 0;
    int batch = 0;
    int maxRows = 0;                  // longest sequence (sizes the work tiles)
    int window = -1;                  // ≥ 0: sliding window |i − j| ≤ window (HopperAttentionKernel.cuh)
};

// True when this build carries the sm_90a kernel, the current device is compute capability 9.0
// and the head dim is 64 or 128. Cached per device.
bool hopperAttentionAvailable(int headDim);

// hopperAttentionAvailable, and this launch's strides, alignment and row count fit TMA.
bool hopperAttentionUsable(const HopperLaunch& launch);

// Runs it; throws std::runtime_error on a tensor-map or launch error.
void runHopperAttention(const HopperLaunch& launch, cudaStream_t stream);

} // namespace bertbench::attention::hopper

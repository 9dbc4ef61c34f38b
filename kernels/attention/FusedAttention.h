#pragma once
// The fused attention forward of the fused-attention strategies (FusedAttentionStrategy.h), as
// plain C++ calls.
//
//   launchFlashAttentionVarlen  cuda:flash_attention_2 — packed, unpadded sequences addressed by
//                               cumulative offsets; work follows real tokens.
//   launchSdpaPadded            cuda:sdpa — the padded batch [B, S] with a key-padding mask given
//                               as per-row lengths (right padding, as in Batch).
//
// Both run the same kernel; only the way a block finds its sequence differs. On a compute
// capability 9.0 GPU with head dim 64 or 128 that is the Hopper kernel (hopper/: TMA, wgmma,
// warp-specialised), elsewhere the FlashAttention-2 kernel (FlashAttentionKernel.cuh).
// Out = softmax(scale · Q Kᵀ) V per head, fp32 softmax and accumulation, fp16 or bf16 in and out;
// with a sliding window (params.window) only the keys within it, in both kernels.
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention.
//
// Layout: the QKV projection's output, one row per token, [tokens, 3·hidden] with Q at column 0,
// K at hidden, V at 2·hidden and head h at h·headDim inside each — i.e. q = qkv, k = qkv + hidden,
// v = qkv + 2·hidden, all with row stride 3·hidden. Out is [tokens, hidden] (row stride hidden),
// head h at column h·headDim: exactly what the output projection GEMM reads. No transposes.
#include <cstdint>

#include <cuda_runtime_api.h>

namespace bertbench::attention {

enum class AttnDType { F16, BF16 };

struct FusedAttentionParams {
    const void* q = nullptr;        // device, first query row of token 0, head 0
    const void* k = nullptr;
    const void* v = nullptr;
    void* out = nullptr;
    int64_t qRowStride = 0;         // elements from one token's row to the next (3·hidden)
    int64_t kRowStride = 0;
    int64_t vRowStride = 0;
    int64_t outRowStride = 0;       // (hidden)
    int numHeads = 0;               // head h starts at column h·headDim in q, k, v and out
    int headDim = 0;                // 32, 64 or 128
    float softmaxScale = 0.f;       // usually 1/sqrt(headDim)
    AttnDType dtype = AttnDType::F16;
    int64_t totalRows = 0;          // rows of q/k/v (tokens); 0 = unknown, which rules out the
                                    // Hopper kernel (its TMA tensor maps need the extent)
    bool allowHopper = true;        // false: always the FlashAttention-2 kernel (A/B checks)
    int window = -1;                // ≥ 0: a sliding window, a query at position i sees the keys at
                                    // |i − j| ≤ window (ModernBERT's local layers); the kernels
                                    // visit only the key tiles within it. -1: every key
};

// True when launches with these params would run the Hopper kernel.
bool fusedAttentionUsesHopper(const FusedAttentionParams& params, int maxSeqlen);
// True when this build and the current GPU run the Hopper kernel for this head dim at all.
bool fusedAttentionHopperAvailable(int headDim);

// True for the head dims with a compiled kernel (32, 64, 128).
bool fusedAttentionSupportsHeadDim(int headDim);

// cuSeqlens: device int32 [batch + 1], cuSeqlens[0] = 0, non-decreasing; sequence b owns tokens
// [cuSeqlens[b], cuSeqlens[b+1]). maxSeqlen ≥ every length (it sizes the grid). Every token's
// output row is written; nothing else is. Throws std::invalid_argument on a bad shape or
// alignment (pointers 16-byte aligned, strides multiples of 8 elements) and std::runtime_error on
// a launch error.
void launchFlashAttentionVarlen(const FusedAttentionParams& params, const int32_t* cuSeqlens,
                                int batch, int maxSeqlen, cudaStream_t stream);

// Padded batch: row b's tokens are [b·seqLen, (b+1)·seqLen); lengths: device int32 [batch], keys
// at positions ≥ lengths[b] are masked. Query rows past the length are written too (they are
// padding, ignored by comparisons): rows in a tile that holds real rows attend over the real keys,
// rows of wholly-padding tiles are set to zero — always finite, never NaN.
void launchSdpaPadded(const FusedAttentionParams& params, const int32_t* lengths, int batch,
                      int seqLen, cudaStream_t stream);

// Tile shape the library uses for a head dim (for reports and for sizing grids in tests).
struct FusedAttentionTile {
    int blockM = 0;   // query rows per thread block
    int blockN = 0;   // keys per K/V tile
    int warps = 0;
};
FusedAttentionTile fusedAttentionTile(int headDim);

} // namespace bertbench::attention

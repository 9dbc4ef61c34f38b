#pragma once
// Device helpers both fused attention kernels share (FlashAttentionKernel.cuh, the FlashAttention-2
// kernel; hopper/HopperAttentionKernel.cuh, the sm_90a one): how a block finds its sequence, and
// the fp32 → 16-bit packing and exp2 of the softmax.
#include <cstdint>

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace bertbench::attention {

// Sequence `b`'s rows. Varlen (cuSeqlens set): a query row exists only inside the sequence.
// Padded (lengths set): all S rows exist (padding rows included), keys stop at the row's length.
struct SequenceRows {
    int start;   // first token row
    int keys;    // real keys (the key-mask length)
    int queries; // query rows that exist
};
__device__ __forceinline__ SequenceRows sequenceRows(const int32_t* cuSeqlens, const int32_t* lengths,
                                                     int paddedSeqLen, int b)
{
    SequenceRows r;
    if (cuSeqlens) {
        r.start = cuSeqlens[b];
        r.keys = cuSeqlens[b + 1] - r.start;
        r.queries = r.keys;
    } else {
        r.start = b * paddedSeqLen;
        r.keys = min(max(lengths[b], 0), paddedSeqLen);
        r.queries = paddedSeqLen;
    }
    return r;
}

// Two floats → one register of two 16-bit values, the first in the low half (MMA operand order).
template <typename Element>
__device__ __forceinline__ uint32_t pack2(float lo, float hi);
template <>
__device__ __forceinline__ uint32_t pack2<__half>(float lo, float hi)
{
    __half2 h = __floats2half2_rn(lo, hi);
    return *reinterpret_cast<uint32_t*>(&h);
}
template <>
__device__ __forceinline__ uint32_t pack2<__nv_bfloat16>(float lo, float hi)
{
    __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<uint32_t*>(&h);
}

__device__ __forceinline__ float fastExp2(float x)
{
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;\n" : "=f"(y) : "f"(x));
    return y;
}

} // namespace bertbench::attention

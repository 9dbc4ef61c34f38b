#pragma once
// Device helpers shared by the fused kernels: element conversions, 16-byte vector loads/stores
// (8 halves or 4 floats per access), warp reductions, and the dtype dispatch.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>

#include "core/backend/Task.h"
#include "core/util/Errors.h"

namespace bertbench::cuda::ops {

template <typename T> __device__ __forceinline__ float toFloat(T x);
template <> __device__ __forceinline__ float toFloat<float>(float x) { return x; }
template <> __device__ __forceinline__ float toFloat<__half>(__half x) { return __half2float(x); }
template <> __device__ __forceinline__ float toFloat<__nv_bfloat16>(__nv_bfloat16 x) { return __bfloat162float(x); }

template <typename T> __device__ __forceinline__ T fromFloat(float x);
template <> __device__ __forceinline__ float fromFloat<float>(float x) { return x; }
template <> __device__ __forceinline__ __half fromFloat<__half>(float x) { return __float2half_rn(x); }
template <> __device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float x) { return __float2bfloat16_rn(x); }

// Elements per 16-byte access.
template <typename T> constexpr int kVec = 16 / int(sizeof(T));

template <typename T>
__device__ __forceinline__ void loadVec(const T* p, float (&v)[kVec<T>]) {
    const uint4 raw = *reinterpret_cast<const uint4*>(p);
    const T* e = reinterpret_cast<const T*>(&raw);
#pragma unroll
    for (int i = 0; i < kVec<T>; ++i) v[i] = toFloat(e[i]);
}

template <typename T>
__device__ __forceinline__ void storeVec(T* p, const float (&v)[kVec<T>]) {
    uint4 raw;
    T* e = reinterpret_cast<T*>(&raw);
#pragma unroll
    for (int i = 0; i < kVec<T>; ++i) e[i] = fromFloat<T>(v[i]);
    *reinterpret_cast<uint4*>(p) = raw;
}

__device__ __forceinline__ float warpSum(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

__device__ __forceinline__ float warpMax(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

inline unsigned blocksFor(int64_t work, int perBlock, int64_t cap = int64_t(1) << 20) {
    int64_t blocks = (work + perBlock - 1) / perBlock;
    if (blocks < 1) blocks = 1;
    return unsigned(blocks < cap ? blocks : cap);
}

} // namespace bertbench::cuda::ops

// Runs the statement with `T` bound to the element type of `dtype`.
#define BB_DISPATCH_DTYPE(dtype, T, ...)                                                     \
    switch (dtype) {                                                                         \
    case ::bertbench::DType::Float32: { using T = float; __VA_ARGS__; break; }               \
    case ::bertbench::DType::Float16: { using T = __half; __VA_ARGS__; break; }              \
    case ::bertbench::DType::BFloat16: { using T = __nv_bfloat16; __VA_ARGS__; break; }      \
    default: throw ::bertbench::BackendError("unsupported dtype");                           \
    }

#pragma once
// The LayerNorm step shared by embedding.cu and layernorm.cu.
//
// Launch shape: one row per threadIdx.y, blockDim.x = threads per row (a multiple of 32), each
// thread holding up to kMaxVecs 16-byte vectors of the row in registers (vector i of the row is
// held by thread i % blockDim.x), so the row is read once and written once. Mean, then the
// variance of (x − mean), both in fp32 over the registers: the two-pass form, exact and cheap
// once the row is on chip. A row of 768 fp16 is one warp with 3 vectors per lane; rows needing
// more than one warp reduce across warps through 32 floats of shared memory per row.
#include "kernels/ops/E4m3Vec.cuh"
#include "kernels/ops/Vec.cuh"

namespace bertbench::cuda::ops {

constexpr int kLnMaxVecs = 4;
constexpr int kLnThreads = 256;   // per block, over all rows of the block

struct RowLaunch {
    dim3 block;
    unsigned grid = 1;
};

// Throws BackendError when a row does not fit the kernel (hidden > 4·1024 vectors).
RowLaunch layerNormLaunch(int64_t rows, int vectorsPerRow);

// Sum over the threads of this row (threadIdx.y); every thread of the block must call it.
__device__ __forceinline__ float rowSum(float v, float* shared) {
    v = warpSum(v);
    if (blockDim.x == 32) return v;
    float* slot = shared + threadIdx.y * 32;
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    __syncthreads();   // the previous call's readers are done with the slots
    if (lane == 0) slot[warp] = v;
    __syncthreads();
    const int warps = blockDim.x / 32;
    return warpSum(lane < warps ? slot[lane] : 0.f);
}

// v: this thread's vectors of the row (vector k is row vector threadIdx.x + k·blockDim.x, valid
// when < vectorsPerRow and the row is active). Writes LayerNorm(v)·gamma + beta to outRow; beta may
// be null (a LayerNorm without bias: ModernBERT's norm_bias false). out8Row non-null: the row is
// also written in e4m3 there, quantized with *scale8 (E4m3Vec.cuh: the bytes a separate quantize
// pass over outRow would write), for an fp8 layer that reads this row next.
template <typename T>
__device__ __forceinline__ void layerNormStore(float (&v)[kLnMaxVecs][kVec<T>], bool active, int vectorsPerRow,
                                               int hidden, T* outRow, const T* gamma, const T* beta, float eps,
                                               float* shared, uint8_t* out8Row = nullptr,
                                               const float* scale8 = nullptr) {
    constexpr int N = kVec<T>;
    float sum = 0.f;
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectorsPerRow) {
#pragma unroll
            for (int i = 0; i < N; ++i) sum += v[k][i];
        }
    }
    const float mean = rowSum(sum, shared) / float(hidden);
    float squares = 0.f;
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectorsPerRow) {
#pragma unroll
            for (int i = 0; i < N; ++i) {
                const float d = v[k][i] - mean;
                squares += d * d;
            }
        }
    }
    const float rstd = rsqrtf(rowSum(squares, shared) / float(hidden) + eps);
    const float inverse8 = out8Row ? 1.0f / *scale8 : 0.f;   // as the quantize pass computes it
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectorsPerRow) {
            float g[N], b[N];
            loadVec(gamma + vi * N, g);
            if (beta) {
                loadVec(beta + vi * N, b);
            } else {
#pragma unroll
                for (int i = 0; i < N; ++i) b[i] = 0.f;
            }
#pragma unroll
            for (int i = 0; i < N; ++i) v[k][i] = (v[k][i] - mean) * rstd * g[i] + b[i];
            storeVec(outRow + vi * N, v[k]);
            if (out8Row) storeE4m3Vec<T>(out8Row + vi * N, v[k], inverse8);
        }
    }
}

} // namespace bertbench::cuda::ops

// Masked, scaled softmax over attention scores, in place (HF eager: scores·scale + additive key
// mask, softmax in fp32).
//
// One warp per row (b, h, q). The row's real keys j < lengths[b] are read once with 16-byte
// loads into registers (up to 4 vectors per lane: 1024 keys in fp16/bf16, 512 in fp32), max and
// sum are warp shuffles, and the whole row up to ld is written once: probabilities for the real
// keys, zeros for masked keys (so PV may run over all S keys). Masked keys are never read, so
// the work follows real tokens. Padding query rows (q ≥ lengths[b]) are only zeroed: they never
// reach a real output. Longer rows fall back to a three-pass loop over global memory.
// A sliding window (window ≥ 0, ModernBERT's local layers) masks the keys with |q − j| > window as
// well, as HF's eager attention does with its additive sliding-window mask over the S×S scores
// (the work stays O(S²): eager is the baseline that materialises every score).
// CPU reference: core/cpu/CpuOps.cpp:rowMax, expShiftedSum, scaleRow (CpuAttention.cpp's softmax of a row).
// Check: kernels/verify/AttentionChecks.cpp:checkSoftmax.
#include <cmath>

#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

constexpr int kSoftmaxThreads = 256;
constexpr int kSoftmaxChunks = 4;   // 16-byte vectors per lane held in registers

template <typename T>
__global__ void maskedSoftmaxKernel(T* scores, int64_t ld, const int32_t* __restrict__ lengths, int64_t rows,
                                    int heads, int seqLen, float scale, int window) {
    constexpr int N = kVec<T>;
    const int64_t row = int64_t(blockIdx.x) * (blockDim.x / 32) + threadIdx.x / 32;
    if (row >= rows) return;   // whole warps leave together
    const int lane = threadIdx.x % 32;
    const int q = int(row % seqLen);
    const int b = int(row / seqLen / heads);
    const int len = lengths[b];
    T* p = scores + row * ld;
    // The real keys a query sees: j < len and, with a window, |q − j| ≤ window (q itself always).
    auto visible = [&](int j) { return j < len && (window < 0 || abs(q - j) <= window); };
    const int chunks = int(ld / N);

    if (q >= len) {
        const float zero[N] = {};
        for (int c = lane; c < chunks; c += 32) storeVec(p + c * N, zero);
        return;
    }
    if (chunks <= 32 * kSoftmaxChunks) {
        float v[kSoftmaxChunks][N];
        float mx = -INFINITY;
#pragma unroll
        for (int k = 0; k < kSoftmaxChunks; ++k) {
            const int c = lane + 32 * k;
            if (c * N < len) {
                loadVec(p + c * N, v[k]);
#pragma unroll
                for (int i = 0; i < N; ++i) {
                    v[k][i] = visible(c * N + i) ? v[k][i] * scale : -INFINITY;
                    mx = fmaxf(mx, v[k][i]);
                }
            }
        }
        mx = warpMax(mx);
        float sum = 0.f;
#pragma unroll
        for (int k = 0; k < kSoftmaxChunks; ++k) {
            const int c = lane + 32 * k;
            if (c * N < len) {
#pragma unroll
                for (int i = 0; i < N; ++i) {
                    v[k][i] = __expf(v[k][i] - mx);
                    sum += v[k][i];
                }
            }
        }
        const float inv = 1.f / warpSum(sum);
#pragma unroll
        for (int k = 0; k < kSoftmaxChunks; ++k) {
            const int c = lane + 32 * k;
            if (c < chunks) {
                if (c * N < len) {
#pragma unroll
                    for (int i = 0; i < N; ++i) v[k][i] *= inv;   // masked keys: exp(-inf) = 0 already
                } else {
#pragma unroll
                    for (int i = 0; i < N; ++i) v[k][i] = 0.f;
                }
                storeVec(p + c * N, v[k]);
            }
        }
        return;
    }
    // Long rows: three passes over global memory (L2-resident for a warp's row).
    float mx = -INFINITY;
    for (int j = lane; j < len; j += 32)
        if (visible(j)) mx = fmaxf(mx, toFloat(p[j]) * scale);
    mx = warpMax(mx);
    float sum = 0.f;
    for (int j = lane; j < len; j += 32)
        if (visible(j)) sum += __expf(toFloat(p[j]) * scale - mx);
    const float inv = 1.f / warpSum(sum);
    for (int64_t j = lane; j < ld; j += 32) {
        p[j] = fromFloat<T>(j < len && visible(int(j)) ? __expf(toFloat(p[j]) * scale - mx) * inv : 0.f);
    }
}

} // namespace

void maskedSoftmax(DType dtype, void* scores, int64_t ld, const int32_t* lengths, int batch, int heads, int seqLen,
                   float scale, cudaStream_t stream, int window) {
    const int64_t rows = int64_t(batch) * heads * seqLen;
    if (rows <= 0) return;
    if (ld % 8 != 0 || ld < seqLen) throw BackendError("softmax row stride must be a multiple of 8 and >= seqLen");
    const unsigned blocks = unsigned((rows + kSoftmaxThreads / 32 - 1) / (kSoftmaxThreads / 32));
    BB_DISPATCH_DTYPE(dtype, T, {
        maskedSoftmaxKernel<T><<<blocks, kSoftmaxThreads, 0, stream>>>(static_cast<T*>(scores), ld, lengths, rows,
                                                                       heads, seqLen, scale, window);
    });
    BB_CHECK_LAUNCH("maskedSoftmaxKernel");
}

} // namespace bertbench::cuda::ops

// Mean pooling over each sequence's real rows (ModernBERT's classifier_pooling "mean"):
// out[b, :] = Σ_{s < lengths[b]} in[first[b] + s, :] / lengths[b], summed in fp32.
//
// One block per sequence. Its threads are a grid of (16-byte column vectors) × (row phases): thread
// (c, p) sums column vector c over rows p, p + phases, …, so a block reads whole rows, coalesced;
// the phases' partial sums meet in shared memory, and the first phase writes the mean. A sequence
// of 8,192 rows at hidden 768 is 96 vectors × 10 phases, 820 rows per thread: the work is one read
// of the sequence's hidden states, the launch one block per sequence (the classifier reads
// [batch, hidden] afterwards).
// CPU reference: core/cpu/CpuModernBertModel.cpp:head (classification, mean pooling); the check's
// twin kernels/verify/OpReferences.h:meanPoolReference. Check: kernels/verify/ModernBertChecks.cpp:checkMeanPool.
#include <algorithm>
#include <string>

#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

constexpr int kPoolThreads = 1024;

template <typename T>
__global__ void meanPoolKernel(T* __restrict__ out, const T* __restrict__ in, const int32_t* __restrict__ lengths,
                               const int32_t* __restrict__ cuSeqlens, int seqLen, int cols) {
    constexpr int N = kVec<T>;
    extern __shared__ float partial[];   // [phases][cols]
    const int vectors = cols / N;
    const int phases = blockDim.x / vectors;
    const int b = blockIdx.x;
    const int c = threadIdx.x % vectors, phase = threadIdx.x / vectors;
    const int len = max(lengths[b], 1);
    const int64_t first = cuSeqlens ? int64_t(cuSeqlens[b]) : int64_t(b) * seqLen;
    float sum[N] = {};
    if (phase < phases) {
        for (int s = phase; s < len; s += phases) {
            float x[N];
            loadVec(in + (first + s) * cols + c * N, x);
#pragma unroll
            for (int i = 0; i < N; ++i) sum[i] += x[i];
        }
#pragma unroll
        for (int i = 0; i < N; ++i) partial[phase * cols + c * N + i] = sum[i];
    }
    __syncthreads();
    if (phase != 0) return;
    for (int p = 1; p < phases; ++p)
#pragma unroll
        for (int i = 0; i < N; ++i) sum[i] += partial[p * cols + c * N + i];
    const float inv = 1.f / float(len);
#pragma unroll
    for (int i = 0; i < N; ++i) sum[i] *= inv;
    storeVec(out + int64_t(b) * cols + c * N, sum);
}

} // namespace

void meanPoolRows(DType dtype, void* out, const void* in, const int32_t* lengths, const int32_t* cuSeqlens,
                  int batch, int seqLen, int cols, cudaStream_t stream) {
    if (batch <= 0) return;
    BB_DISPATCH_DTYPE(dtype, T, {
        constexpr int N = kVec<T>;
        if (cols % N != 0 || cols / N > kPoolThreads)
            throw BackendError("mean pooling: width " + std::to_string(cols) + " is not a multiple of " +
                               std::to_string(N) + " up to " + std::to_string(kPoolThreads * N));
        const int vectors = cols / N;
        const int phases = std::max(1, std::min(kPoolThreads / vectors, 16));
        const size_t shared = size_t(phases) * size_t(cols) * sizeof(float);
        meanPoolKernel<T><<<unsigned(batch), unsigned(vectors * phases), shared, stream>>>(
            static_cast<T*>(out), static_cast<const T*>(in), lengths, cuSeqlens, seqLen, cols);
    });
    BB_CHECK_LAUNCH("meanPoolKernel");
}

} // namespace bertbench::cuda::ops

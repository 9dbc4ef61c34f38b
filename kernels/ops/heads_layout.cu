// Head split / merge around eager attention's batched GEMMs.
//
// splitHeads: qkv [tokens, 3·H·d] → q, k, v each [B, H, S, d] contiguous, so that QKᵀ and PV are
// plain strided-batched GEMMs over B·H (what HF's transpose_for_scores + contiguous copies do).
// One thread per 16-byte vector of the output; threads of one (s, h) read d contiguous
// elements of the token's row. In the packed layout the padding positions are written as zeros.
// mergeHeads: ctx [B, H, S, d] → out [tokens, H·d], one thread per output vector, coalesced writes.
// CPU reference: core/cpu/CpuAttention.cpp:eagerAttention (split and merge, through the eager step).
// Check: kernels/verify/AttentionChecks.cpp:checkEagerAttention; gather and scatter of rows:
// kernels/verify/EncoderChecks.cpp:checkPackedEncoder (the packed encoder against the padded one).
#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

constexpr int kThreads = 256;

template <typename T>
__global__ void splitHeadsKernel(T* __restrict__ q, T* __restrict__ k, T* __restrict__ v, const T* __restrict__ qkv,
                                 const int32_t* __restrict__ lengths, const int32_t* __restrict__ cuSeqlens,
                                 bool packed, int batch, int seqLen, int heads, int headDim) {
    constexpr int N = kVec<T>;
    const int dv = headDim / N;
    const int hidden = heads * headDim;
    const int64_t perTensor = int64_t(batch) * heads * seqLen * dv;
    const int64_t total = 3 * perTensor;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int which = int(i / perTensor);
        const int64_t o = i - which * perTensor;   // vector index inside [B, H, S, dv]
        const int c = int(o % dv);
        int64_t t = o / dv;
        const int s = int(t % seqLen);
        t /= seqLen;
        const int h = int(t % heads);
        const int b = int(t / heads);
        int64_t row = int64_t(b) * seqLen + s;
        if (packed) row = s < lengths[b] ? int64_t(cuSeqlens[b]) + s : -1;
        T* dst = (which == 0 ? q : which == 1 ? k : v) + o * N;
        if (row < 0) {
            const float zero[N] = {};
            storeVec(dst, zero);
        } else {
            float x[N];
            loadVec(qkv + row * 3 * hidden + int64_t(which) * hidden + h * headDim + c * N, x);
            storeVec(dst, x);
        }
    }
}

template <typename T>
__global__ void mergeHeadsKernel(T* __restrict__ out, const T* __restrict__ ctx, const int32_t* __restrict__ rowToPadded,
                                 int64_t tokens, int seqLen, int heads, int headDim) {
    constexpr int N = kVec<T>;
    const int dv = headDim / N;
    const int rowVectors = heads * dv;
    const int64_t total = tokens * rowVectors;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / rowVectors;
        const int rem = int(i - r * rowVectors);
        const int h = rem / dv, c = rem % dv;
        const int64_t position = rowToPadded ? int64_t(rowToPadded[r]) : r;
        const int64_t b = position / seqLen, s = position % seqLen;
        float x[N];
        loadVec(ctx + (((b * heads + h) * seqLen + s) * headDim + c * N), x);
        storeVec(out + r * heads * headDim + h * headDim + c * N, x);
    }
}

template <typename T>
__global__ void gatherRowsVecKernel(T* __restrict__ out, const T* __restrict__ in, const int32_t* __restrict__ index,
                                    int64_t rows, int cols) {
    constexpr int N = kVec<T>;
    const int rowVectors = cols / N;
    const int64_t total = rows * rowVectors;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / rowVectors;
        const int c = int(i - r * rowVectors) * N;
        float x[N];
        loadVec(in + int64_t(index[r]) * cols + c, x);
        storeVec(out + r * cols + c, x);
    }
}

template <typename T>
__global__ void scatterRowsVecKernel(T* __restrict__ out, const T* __restrict__ in, const int32_t* __restrict__ index,
                                     int64_t rows, int cols) {
    constexpr int N = kVec<T>;
    const int rowVectors = cols / N;
    const int64_t total = rows * rowVectors;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / rowVectors;
        const int c = int(i - r * rowVectors) * N;
        float x[N];
        loadVec(in + r * cols + c, x);
        storeVec(out + int64_t(index[r]) * cols + c, x);
    }
}

// Scalar variants for widths that are not a multiple of the vector (task heads with 2 labels).
template <typename T>
__global__ void moveRowsScalarKernel(T* __restrict__ out, const T* __restrict__ in, const int32_t* __restrict__ index,
                                     int64_t rows, int cols, bool scatter) {
    const int64_t total = rows * cols;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / cols;
        const int c = int(i - r * cols);
        if (scatter) out[int64_t(index[r]) * cols + c] = in[r * cols + c];
        else out[r * cols + c] = in[int64_t(index[r]) * cols + c];
    }
}

template <typename T>
void moveRows(T* out, const T* in, const int32_t* index, int64_t rows, int cols, bool scatter, cudaStream_t stream) {
    constexpr int N = kVec<T>;
    if (cols % N == 0) {
        const unsigned blocks = blocksFor(rows * (cols / N), kThreads);
        if (scatter) scatterRowsVecKernel<T><<<blocks, kThreads, 0, stream>>>(out, in, index, rows, cols);
        else gatherRowsVecKernel<T><<<blocks, kThreads, 0, stream>>>(out, in, index, rows, cols);
    } else {
        moveRowsScalarKernel<T><<<blocksFor(rows * cols, kThreads), kThreads, 0, stream>>>(out, in, index, rows, cols,
                                                                                           scatter);
    }
}

} // namespace

void splitHeads(DType dtype, void* q, void* k, void* v, const void* qkv, const int32_t* lengths,
                const int32_t* cuSeqlens, bool packed, int batch, int seqLen, int heads, int headDim,
                cudaStream_t stream) {
    BB_DISPATCH_DTYPE(dtype, T, {
        if (headDim % kVec<T> != 0) throw BackendError("head dim must be a multiple of 8");
        const int64_t vectors = 3 * int64_t(batch) * heads * seqLen * (headDim / kVec<T>);
        splitHeadsKernel<T><<<blocksFor(vectors, kThreads), kThreads, 0, stream>>>(
            static_cast<T*>(q), static_cast<T*>(k), static_cast<T*>(v), static_cast<const T*>(qkv), lengths,
            cuSeqlens, packed, batch, seqLen, heads, headDim);
    });
    BB_CHECK_LAUNCH("splitHeadsKernel");
}

void mergeHeads(DType dtype, void* out, const void* ctx, const int32_t* rowToPadded, int64_t tokens, int seqLen,
                int heads, int headDim, cudaStream_t stream) {
    if (tokens <= 0) return;
    BB_DISPATCH_DTYPE(dtype, T, {
        if (headDim % kVec<T> != 0) throw BackendError("head dim must be a multiple of 8");
        mergeHeadsKernel<T><<<blocksFor(tokens * heads * headDim / kVec<T>, kThreads), kThreads, 0, stream>>>(
            static_cast<T*>(out), static_cast<const T*>(ctx), rowToPadded, tokens, seqLen, heads, headDim);
    });
    BB_CHECK_LAUNCH("mergeHeadsKernel");
}

void gatherRows(DType dtype, void* out, const void* in, const int32_t* index, int64_t rows, int cols,
                cudaStream_t stream) {
    if (rows <= 0) return;
    BB_DISPATCH_DTYPE(dtype, T, {
        moveRows<T>(static_cast<T*>(out), static_cast<const T*>(in), index, rows, cols, false, stream);
    });
    BB_CHECK_LAUNCH("gatherRowsKernel");
}

void scatterRows(DType dtype, void* out, int64_t outRows, const void* in, const int32_t* index, int64_t rows,
                 int cols, cudaStream_t stream) {
    const size_t element = dtype == DType::Float32 ? 4 : 2;
    BB_CUDA_CHECK(cudaMemsetAsync(out, 0, size_t(outRows) * size_t(cols) * element, stream));
    if (rows <= 0) return;
    BB_DISPATCH_DTYPE(dtype, T, {
        moveRows<T>(static_cast<T*>(out), static_cast<const T*>(in), index, rows, cols, true, stream);
    });
    BB_CHECK_LAUNCH("scatterRowsKernel");
}

void fillBytes(void* ptr, unsigned char value, size_t bytes, cudaStream_t stream) {
    BB_CUDA_CHECK(cudaMemsetAsync(ptr, value, bytes, stream));
}

} // namespace bertbench::cuda::ops

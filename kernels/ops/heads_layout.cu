// Head split / merge around eager attention's batched GEMMs.
//
// splitHeads: qkv [tokens, 3·H·d] → q, k, v each [B, H, S, d] contiguous, so that QKᵀ and PV are
// plain strided-batched GEMMs over B·H (what HF's transpose_for_scores + contiguous copies do).
// One thread per 16-byte vector of the output; threads of one (s, h) read d contiguous
// elements of the token's row. In the packed layout the padding positions are written as zeros.
// With a rotary table (ModernBERT) the split also applies RoPE to q and k at position s: a thread
// reads its vector and the partner vector half a head away (the same row, in L1/L2 already: no
// extra pass over qkv) and writes its own rotated vector.
// rotaryEmbedding: the same rotation in place on qkv's q and k columns, for the strategies with no
// split of their own (the fused kernels read q and k straight from qkv): one thread per pair of
// vectors (d, d + headDim/2), both read once and written once.
// mergeHeads: ctx [B, H, S, d] → out [tokens, H·d], one thread per output vector, coalesced writes.
// CPU reference: core/cpu/CpuAttention.cpp:eagerAttention (split and merge, through the eager step);
// RoPE: kernels/verify/OpReferences.h:rotaryReference (CpuModernBertModel::applyRotary's formula).
// Check: kernels/verify/AttentionChecks.cpp:checkEagerAttention; gather and scatter of rows:
// kernels/verify/EncoderChecks.cpp:checkPackedEncoder (the packed encoder against the padded one);
// RoPE: kernels/verify/ModernBertChecks.cpp:checkRotary (both kernels) and checkWindowAttention (eager).
#include <string>

#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

constexpr int kThreads = 256;

// x rotated at table row `cs` (cos, sin pairs of dims d0 … d0 + N of the first half): lower = true
// for the first half's vector (x₁·cos − x₂·sin), false for the second's (x₂·cos + x₁·sin), with
// `partner` the other half's vector.
template <int N>
__device__ __forceinline__ void rotateVec(float (&x)[N], const float (&partner)[N], const float* __restrict__ cs,
                                          bool lower) {
    float t[2 * N];
    if constexpr (2 * N % 4 == 0) {
#pragma unroll
        for (int i = 0; i < 2 * N; i += 4) {
            const float4 f = *reinterpret_cast<const float4*>(cs + i);
            t[i] = f.x, t[i + 1] = f.y, t[i + 2] = f.z, t[i + 3] = f.w;
        }
    }
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const float c = t[2 * i], sn = t[2 * i + 1];
        x[i] = lower ? fmaf(x[i], c, -partner[i] * sn) : fmaf(x[i], c, partner[i] * sn);
    }
}

template <typename T>
__global__ void splitHeadsKernel(T* __restrict__ q, T* __restrict__ k, T* __restrict__ v, const T* __restrict__ qkv,
                                 const int32_t* __restrict__ lengths, const int32_t* __restrict__ cuSeqlens,
                                 bool packed, int batch, int seqLen, int heads, int headDim, RotaryTable rotary) {
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
            const T* src = qkv + row * 3 * hidden + int64_t(which) * hidden + h * headDim;
            loadVec(src + c * N, x);
            if (rotary.cosSin && which < 2) {
                const int half = headDim / 2, d = c * N;
                const bool lower = d < half;
                float partner[N];
                loadVec(src + (lower ? d + half : d - half), partner);
                rotateVec<N>(x, partner, rotary.cosSin + (int64_t(s) * half + (lower ? d : d - half)) * 2, lower);
            }
            storeVec(dst, x);
        }
    }
}

// One thread per (row, q or k, head, vector of the first half): the pair (d, d + half) in place.
template <typename T>
__global__ void rotaryKernel(T* qkv, const int32_t* __restrict__ rowToPadded, int64_t rows, int seqLen, int heads,
                             int headDim, RotaryTable rotary) {
    constexpr int N = kVec<T>;
    const int half = headDim / 2;
    const int hv = half / N;                         // vectors per half head
    const int perRow = 2 * heads * hv;               // q and k
    const int hidden = heads * headDim;
    const int64_t total = rows * perRow;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / perRow;
        int rem = int(i - r * perRow);
        const int which = rem / (heads * hv);
        rem -= which * heads * hv;
        const int h = rem / hv, d = (rem % hv) * N;
        const int64_t position = (rowToPadded ? int64_t(rowToPadded[r]) : r) % seqLen;
        T* base = qkv + r * 3 * hidden + int64_t(which) * hidden + h * headDim;
        float lo[N], hi[N], loOut[N];
        loadVec(base + d, lo);
        loadVec(base + d + half, hi);
        const float* cs = rotary.cosSin + (position * half + d) * 2;
#pragma unroll
        for (int e = 0; e < N; ++e) loOut[e] = lo[e];
        rotateVec<N>(loOut, hi, cs, true);
        rotateVec<N>(hi, lo, cs, false);
        storeVec(base + d, loOut);
        storeVec(base + d + half, hi);
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
                cudaStream_t stream, const RotaryTable& rotary) {
    if (rotary.cosSin && rotary.positions < seqLen)
        throw BackendError("rotary table of " + std::to_string(rotary.positions) + " positions for sequences of " +
                           std::to_string(seqLen));
    BB_DISPATCH_DTYPE(dtype, T, {
        if (headDim % kVec<T> != 0) throw BackendError("head dim must be a multiple of 8");
        if (rotary.cosSin && (headDim / 2) % kVec<T> != 0)
            throw BackendError("rotary embeddings need half the head dim to be a multiple of " +
                               std::to_string(kVec<T>));
        const int64_t vectors = 3 * int64_t(batch) * heads * seqLen * (headDim / kVec<T>);
        splitHeadsKernel<T><<<blocksFor(vectors, kThreads), kThreads, 0, stream>>>(
            static_cast<T*>(q), static_cast<T*>(k), static_cast<T*>(v), static_cast<const T*>(qkv), lengths,
            cuSeqlens, packed, batch, seqLen, heads, headDim, rotary);
    });
    BB_CHECK_LAUNCH("splitHeadsKernel");
}

void rotaryEmbedding(DType dtype, void* qkv, const int32_t* rowToPadded, int64_t rows, int seqLen, int heads,
                     int headDim, const RotaryTable& rotary, cudaStream_t stream) {
    if (rows <= 0) return;
    if (!rotary.cosSin || rotary.positions < seqLen)
        throw BackendError("rotary embeddings: no table, or fewer positions than the sequence length");
    BB_DISPATCH_DTYPE(dtype, T, {
        if ((headDim / 2) % kVec<T> != 0 || headDim % 2 != 0)
            throw BackendError("rotary embeddings need half the head dim to be a multiple of " +
                               std::to_string(kVec<T>));
        const int64_t work = rows * 2 * heads * (headDim / 2 / kVec<T>);
        rotaryKernel<T><<<blocksFor(work, kThreads), kThreads, 0, stream>>>(static_cast<T*>(qkv), rowToPadded, rows,
                                                                           seqLen, heads, headDim, rotary);
    });
    BB_CHECK_LAUNCH("rotaryKernel");
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

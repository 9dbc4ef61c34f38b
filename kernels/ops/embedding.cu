// Embeddings, fused: out[r] = LN(word[id] + position[p % S] + tokenType[type])·gamma + beta.
//
// One pass: the three table rows are gathered with 16-byte loads, summed in fp32 registers,
// normalised and written once (HF: three gathers, two adds and a LayerNorm, each a pass over
// [tokens, hidden]). With rowToPadded the kernel also removes padding: output row r embeds
// padded position rowToPadded[r], so the packed encoder never touches padding tokens.
// Launch: LayerNormRow.cuh (rows on threadIdx.y, vectors in registers, fp32 statistics).
// CPU reference: core/cpu/CpuBertModel.cpp:CpuBertModel::embed. Check: kernels/verify/NormChecks.cpp:checkEmbeddings.
#include "kernels/ops/LayerNormRow.cuh"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

template <typename T>
__global__ void embeddingLayerNormKernel(T* __restrict__ out, const int32_t* __restrict__ ids,
                                         const int32_t* __restrict__ tokenTypes, const int32_t* __restrict__ rowToPadded,
                                         int64_t rows, int seqLen, const T* __restrict__ wordEmb, int vocab,
                                         const T* __restrict__ positionEmb, int maxPositions,
                                         const T* __restrict__ typeEmb, int typeVocab, const T* __restrict__ gamma,
                                         const T* __restrict__ beta, int hidden, float eps) {
    constexpr int N = kVec<T>;
    __shared__ float shared[kLnThreads / 32 * 32];
    const int64_t row = int64_t(blockIdx.x) * blockDim.y + threadIdx.y;
    const bool active = row < rows;
    const int vectors = hidden / N;
    const T* word = wordEmb;
    const T* position = positionEmb;
    const T* type = typeEmb;
    if (active) {
        const int64_t padded = rowToPadded ? rowToPadded[row] : row;
        const int id = min(max(ids[padded], 0), vocab - 1);
        const int pos = min(int(padded % seqLen), maxPositions - 1);
        const int tt = min(max(tokenTypes[padded], 0), typeVocab - 1);
        word += int64_t(id) * hidden;
        position += int64_t(pos) * hidden;
        type += int64_t(tt) * hidden;
    }
    float v[kLnMaxVecs][N];
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectors) {
            float p[N], t[N];
            loadVec(word + vi * N, v[k]);
            loadVec(position + vi * N, p);
            loadVec(type + vi * N, t);
#pragma unroll
            for (int i = 0; i < N; ++i) v[k][i] += p[i] + t[i];
        }
    }
    layerNormStore<T>(v, active, vectors, hidden, out + (active ? row : 0) * hidden, gamma, beta, eps, shared);
}

} // namespace

void embeddingLayerNorm(DType dtype, void* out, const int32_t* ids, const int32_t* tokenTypes,
                        const int32_t* rowToPadded, int64_t rows, int seqLen, const void* wordEmb, int vocab,
                        const void* positionEmb, int maxPositions, const void* typeEmb, int typeVocab,
                        const void* gamma, const void* beta, int hidden, float eps, cudaStream_t stream) {
    if (rows <= 0) return;
    BB_DISPATCH_DTYPE(dtype, T, {
        if (hidden % kVec<T> != 0) throw BackendError("embedding width must be a multiple of 8");
        const RowLaunch launch = layerNormLaunch(rows, hidden / kVec<T>);
        embeddingLayerNormKernel<T><<<launch.grid, launch.block, 0, stream>>>(
            static_cast<T*>(out), ids, tokenTypes, rowToPadded, rows, seqLen, static_cast<const T*>(wordEmb), vocab,
            static_cast<const T*>(positionEmb), maxPositions, static_cast<const T*>(typeEmb), typeVocab,
            static_cast<const T*>(gamma), static_cast<const T*>(beta), hidden, eps);
    });
    BB_CHECK_LAUNCH("embeddingLayerNormKernel");
}

} // namespace bertbench::cuda::ops

// Embeddings, fused: out[r] = LN(word[id] + position[offset + p % S] (+ tokenType[type]))·gamma + beta.
//
// One pass: the table rows are gathered with 16-byte loads, summed in fp32 registers, normalised
// and written once (HF: three gathers, two adds and a LayerNorm, each a pass over [tokens, width]).
// With rowToPadded the kernel also removes padding: output row r embeds padded position
// rowToPadded[r], so the packed encoder never touches padding tokens. The family's differences
// are arguments: the first position id (pad_token_id + 1 in the RoBERTa family: HF's
// create_position_ids_from_input_ids over right-padded rows), no token-type table (DistilBERT),
// the width (ELECTRA's embedding_size; its projection to hidden_size is a linear layer after this),
// no position table (ModernBERT: token embeddings only, its positions are rotary) and no LayerNorm
// bias (ModernBERT's norm_bias false).
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
                                         int64_t rows, int seqLen, EmbeddingTables tables) {
    constexpr int N = kVec<T>;
    __shared__ float shared[kLnThreads / 32 * 32];
    const int64_t row = int64_t(blockIdx.x) * blockDim.y + threadIdx.y;
    const bool active = row < rows;
    const int width = tables.width;
    const int vectors = width / N;
    const T* word = static_cast<const T*>(tables.word);
    const T* position = static_cast<const T*>(tables.position);
    const T* type = static_cast<const T*>(tables.tokenType);   // null: no token types
    if (active) {
        const int64_t padded = rowToPadded ? rowToPadded[row] : row;
        const int id = min(max(ids[padded], 0), tables.vocab - 1);
        const int pos = min(tables.positionOffset + int(padded % seqLen), tables.maxPositions - 1);
        word += int64_t(id) * width;
        if (position) position += int64_t(pos) * width;
        if (type) type += int64_t(min(max(tokenTypes[padded], 0), tables.typeVocab - 1)) * width;
    }
    float v[kLnMaxVecs][N];
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectors) {
            float p[N], t[N];
            loadVec(word + vi * N, v[k]);
            if (position) {
                loadVec(position + vi * N, p);
            } else {
#pragma unroll
                for (int i = 0; i < N; ++i) p[i] = 0.f;
            }
            if (type) {
                loadVec(type + vi * N, t);
            } else {
#pragma unroll
                for (int i = 0; i < N; ++i) t[i] = 0.f;
            }
#pragma unroll
            for (int i = 0; i < N; ++i) v[k][i] += p[i] + t[i];
        }
    }
    layerNormStore<T>(v, active, vectors, width, out + (active ? row : 0) * width, static_cast<const T*>(tables.gamma),
                      static_cast<const T*>(tables.beta), tables.eps, shared);
}

} // namespace

void embeddingLayerNorm(DType dtype, void* out, const int32_t* ids, const int32_t* tokenTypes,
                        const int32_t* rowToPadded, int64_t rows, int seqLen, const EmbeddingTables& tables,
                        cudaStream_t stream) {
    if (rows <= 0) return;
    if (tables.tokenType && (!tokenTypes || tables.typeVocab < 1))
        throw BackendError("embeddings: a token-type table needs token type ids and its size");
    BB_DISPATCH_DTYPE(dtype, T, {
        if (tables.width % kVec<T> != 0) throw BackendError("embedding width must be a multiple of 8");
        const RowLaunch launch = layerNormLaunch(rows, tables.width / kVec<T>);
        embeddingLayerNormKernel<T><<<launch.grid, launch.block, 0, stream>>>(static_cast<T*>(out), ids, tokenTypes,
                                                                              rowToPadded, rows, seqLen, tables);
    });
    BB_CHECK_LAUNCH("embeddingLayerNormKernel");
}

} // namespace bertbench::cuda::ops

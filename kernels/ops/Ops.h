#pragma once
// Launchers of the fused kernels (one .cu file each). Host-callable, no templates: the dtype is a
// run-time argument and each launcher instantiates its kernel for float, __half and __nv_bfloat16.
// All pointers are device pointers of the model dtype unless said otherwise; all work is enqueued
// on `stream`; launch errors throw BackendError.
#include <cstddef>
#include <cstdint>

#include <cuda_runtime_api.h>

#include "core/backend/Task.h"

namespace bertbench::cuda::ops {

enum class Activation { None, Gelu, Tanh, Relu };

// The embedding tables of one model (device pointers, model dtype), each row `width` wide:
// hidden_size, or ELECTRA's embedding_size.
struct EmbeddingTables {
    const void* word = nullptr;        // [vocab, width]
    int vocab = 0;
    const void* position = nullptr;    // [maxPositions, width]; null: no position table (ModernBERT)
    int maxPositions = 0;
    int positionOffset = 0;            // the first position id: 0 (BERT), pad_token_id + 1 (RoBERTa family)
    const void* tokenType = nullptr;   // [typeVocab, width]; null: the architecture has no token types
    int typeVocab = 0;
    const void* gamma = nullptr;       // LayerNorm [width]
    const void* beta = nullptr;        // null: a LayerNorm without bias
    int width = 0;
    float eps = 1e-12f;
};

// out[r] = LayerNorm(word[ids[p]] + position[offset + p % seqLen] (+ tokenType[types[p]])) with
// p = rowToPadded ? rowToPadded[r] : r (the packed layout gathers real tokens here); out is
// [rows, width]. Ids outside the tables are clamped (memory safety; the backend validates inputs
// on the host). tokenTypes may be null when tables.tokenType is.
void embeddingLayerNorm(DType dtype, void* out, const int32_t* ids, const int32_t* tokenTypes,
                        const int32_t* rowToPadded, int64_t rows, int seqLen, const EmbeddingTables& tables,
                        cudaStream_t stream);

// out = LayerNorm(in + bias + residual) row by row; bias, residual and beta may be null; out may
// alias in or residual. Statistics in fp32.
// out8 (with scale8, both or neither): out also written in e4m3, [rows, hidden] contiguous, the
// bytes quantizeE4m3(out, scale8) would write (Fp8Ops.h): an fp8 layer's input without its pass.
void biasResidualLayerNorm(DType dtype, void* out, const void* in, const void* bias, const void* residual,
                           const void* gamma, const void* beta, int64_t rows, int hidden, float eps,
                           cudaStream_t stream, void* out8 = nullptr, const float* scale8 = nullptr);

// out[r, c] = act(in[r, c] + bias[c]) for c < cols; rows have stride ld (elements) in both.
// bias may be null; out may alias in. GELU is the exact (erf) one, as HF's "gelu".
void biasActivation(DType dtype, void* out, const void* in, const void* bias, int64_t rows, int cols, int64_t ld,
                    Activation act, cudaStream_t stream);

// out[r, c] = act(in[r, c]) · in[r, cols + c] for c < cols: in is [rows, 2·cols], out [rows, cols],
// both contiguous (GeGLU and its kin: the two halves of one GEMM's output). out must not alias in.
void gatedActivation(DType dtype, void* out, const void* in, int64_t rows, int cols, Activation act,
                     cudaStream_t stream);

// Attention probabilities in place. scores holds batch·heads·seqLen rows of ld elements
// (row (b, h, q) at ((b·heads + h)·seqLen + q)·ld). For q < lengths[b]:
// p[j] = softmax_j(scale · s[j]) over j < lengths[b], p[j] = 0 for lengths[b] ≤ j < ld (the
// additive key mask of HF's eager attention, in fp32). Rows q ≥ lengths[b] (padding queries)
// become zero. ld must be a multiple of 8. window ≥ 0 (a sliding window, ModernBERT's local
// layers): keys with |q − j| > window are masked too, as HF's eager sliding-window mask.
void maskedSoftmax(DType dtype, void* scores, int64_t ld, const int32_t* lengths, int batch, int heads, int seqLen,
                   float scale, cudaStream_t stream, int window = -1);

// Rotary position embeddings (RoPE, HF's rotate_half form: dimension d < headDim/2 paired with
// d + headDim/2), as a table of fp32 (cos, sin) pairs: cosSin[(p·headDim/2 + d)·2 + {0, 1}] =
// cos, sin of p · θ^(−2d/headDim), for positions p < positions. A pair (x₁, x₂) at position p
// becomes (x₁·cos − x₂·sin, x₂·cos + x₁·sin), in fp32, rounded once to the dtype.
struct RotaryTable {
    const float* cosSin = nullptr;   // device [positions, headDim/2, 2]; null: no rotation
    int positions = 0;
};

// qkv [tokens, 3·heads·headDim] → q, k, v each [batch, heads, seqLen, headDim] (contiguous).
// Padded layout: token row b·seqLen + s. Packed: row cuSeqlens[b] + s for s < lengths[b], and the
// padding positions of q, k, v are set to zero. With a rotary table, q and k are rotated at
// position s on the way (the split reads both halves of a head anyway: no extra pass).
void splitHeads(DType dtype, void* q, void* k, void* v, const void* qkv, const int32_t* lengths,
                const int32_t* cuSeqlens, bool packed, int batch, int seqLen, int heads, int headDim,
                cudaStream_t stream, const RotaryTable& rotary = {});

// RoPE in place on the q and k columns of qkv [tokens, 3·heads·headDim] (v untouched): row r is
// at position (rowToPadded ? rowToPadded[r] : r) % seqLen (the position inside its sequence, in
// either layout). headDim/2 must be a multiple of the 16-byte vector (8 fp16/bf16, 4 fp32).
void rotaryEmbedding(DType dtype, void* qkv, const int32_t* rowToPadded, int64_t rows, int seqLen, int heads,
                     int headDim, const RotaryTable& rotary, cudaStream_t stream);

// Mean over the real rows of each sequence: out[b, :] = Σ_{s < lengths[b]} in[first[b] + s, :] /
// lengths[b], in fp32, with first[b] = cuSeqlens[b] (packed rows) or b·seqLen (padded rows, when
// cuSeqlens is null). in [rows, cols], out [batch, cols], both contiguous; cols a multiple of 8.
// ModernBERT's classifier_pooling "mean".
void meanPoolRows(DType dtype, void* out, const void* in, const int32_t* lengths, const int32_t* cuSeqlens,
                  int batch, int seqLen, int cols, cudaStream_t stream);

// ctx [batch, heads, seqLen, headDim] → out [tokens, heads·headDim]; packed: out row r takes
// position rowToPadded[r] (= b·seqLen + s); padded: tokens = batch·seqLen, identity.
void mergeHeads(DType dtype, void* out, const void* ctx, const int32_t* rowToPadded, int64_t tokens, int seqLen,
                int heads, int headDim, cudaStream_t stream);

// out[i, :] = in[index[i], :] for i < rows; rows of cols elements, contiguous.
void gatherRows(DType dtype, void* out, const void* in, const int32_t* index, int64_t rows, int cols,
                cudaStream_t stream);

// Re-pads: out [outRows, cols] is zeroed, then out[index[i], :] = in[i, :] for i < rows.
void scatterRows(DType dtype, void* out, int64_t outRows, const void* in, const int32_t* index, int64_t rows,
                 int cols, cudaStream_t stream);


// Fill with a bit pattern (tests poison outputs with it).
void fillBytes(void* ptr, unsigned char value, size_t bytes, cudaStream_t stream);

} // namespace bertbench::cuda::ops

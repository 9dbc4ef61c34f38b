#pragma once
// One prepared cell of the GPU encoder: its inputs on the device, its activation buffers and the
// views into them, sized once in prepare() (untimed) so that forward() only enqueues work.
//
// Memory plan. x [tokens, hidden] holds the hidden states for the whole forward. One layer scratch
// holds, in turn, [qkv 3H | ctx H] for attention (or [qkv 3H] alone when the strategy writes its
// context over Q: AttentionStrategy::overwritesQuery, 100 MB less at bert-base 128 × 512) and
// [inter I | ffnOut H] for the feed-forward; the re-padded output reuses it at the end. From
// kFfnChunkMinRows tokens on, the FFN runs over row chunks so that [chunk, I + H] fits in
// attention's part (bert-base 128 × 512: 2 chunks, each GEMM still ≥ 2048 rows). ELECTRA's
// E-wide embeddings (before the projection to hidden) and the MLM transform's output live in the
// scratch as well while it is free.
//
// ModernBERT (pre-norm): x is the residual stream, and `normed` [tokens, hidden] holds the next
// attn_norm / mlp_norm output that the QKV and Wi GEMMs read. Both output projections add into x
// in place. The feed-forward's part of the scratch is [gateIn 2I | inter I] per chunk row (Wi's
// GeGLU input and gate, then act(input) · gate), chunked as BERT's from kFfnChunkMinRows tokens on
// (modernbert-base 8 × 8,192: 2 chunks). The heads' dense output and the pooled rows live in the
// scratch at the end.
#include <cstdint>
#include <vector>

#include "core/backend/Task.h"
#include "core/batch/Batch.h"
#include "core/model/ModelConfig.h"
#include "kernels/model/AttentionStrategy.h"
#include "kernels/runtime/DeviceAllocator.h"

namespace bertbench::cuda {

class CudaContext;

struct EncoderCell {
    Task task = Task::Encoder;
    AttentionShape shape;
    DeviceBuffer inputs;   // int32: ids, token types, lengths, cuSeqlens, rowToPadded, CLS rows
    const int32_t *ids = nullptr, *types = nullptr, *lengths = nullptr, *cuSeqlens = nullptr;
    const int32_t *rowToPadded = nullptr, *clsRows = nullptr;
    DeviceBuffer x, scratch, workspace, logits, padded;
    DeviceBuffer normed;            // ModernBERT: the pre-norm output [tokens, hidden]
    void *qkv = nullptr, *ctx = nullptr, *inter = nullptr, *ffnOut = nullptr;
    void* gateIn = nullptr;         // ModernBERT: Wi's output [chunk, 2·intermediate] (GeGLU's input and gate)
    void* attnOutTarget = nullptr;  // where the attention-output GEMM writes: x itself (ctx over Q) or scratch
    int64_t ctxRowStride = 0;       // elements: hidden, or 3·hidden over Q
    int64_t ffnChunkRows = 0;       // the FFN runs over row chunks of this many tokens
    void* output = nullptr;         // what output() reads: [outRows, outCols]
    int64_t outRows = 0;
    int outCols = 0;
    std::vector<int64_t> outShape;
    bool perPosition = true;
    AttentionArgs attention;        // the same for every layer

    static constexpr int64_t kFfnChunkMinRows = 4096;
};

// The task output's width: hidden (encoder), the vocabulary (mlm), the labels, or 2 (qa).
struct HeadWidths {
    int classifierLabels = 0;
    int tokenLabels = 0;
};

// Fills `cell` for this batch (validated already): inputs uploaded on the context's stream,
// buffers allocated from its allocator. Throws OutOfMemoryError when memory runs out (the caller
// releases what was taken).
void prepareEncoderCell(EncoderCell& cell, Task task, const Batch& batch, const ModelConfig& config, DType dtype,
                        const AttentionStrategy& attention, const HeadWidths& heads, CudaContext& context);

} // namespace bertbench::cuda

#include "kernels/model/EncoderCell.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/Gemm.h"

namespace bertbench::cuda {

namespace {

constexpr size_t kIntsAlign = 256 / sizeof(int32_t);
size_t slot(size_t count) { return (count + kIntsAlign - 1) / kIntsAlign * kIntsAlign; }

// The int32 inputs in one upload: ids, token types, lengths, cuSeqlens, rowToPadded (packed
// layout), and each sequence's first row (the classifier's CLS rows).
void uploadInputs(EncoderCell& c, const Batch& batch, CudaContext& context) {
    const int B = batch.batchSize, S = batch.maxSeqLen;
    const size_t padded = size_t(B) * size_t(S);
    const bool packed = c.shape.packed;
    std::vector<int32_t> cu(size_t(B) + 1, 0);
    for (int b = 0; b < B; ++b) cu[size_t(b) + 1] = cu[size_t(b)] + batch.lengths[size_t(b)];
    std::vector<int32_t> rowToPadded, clsRows(static_cast<size_t>(B));
    if (packed) {
        rowToPadded.reserve(size_t(cu[size_t(B)]));
        for (int b = 0; b < B; ++b)
            for (int p = 0; p < batch.lengths[size_t(b)]; ++p) rowToPadded.push_back(b * S + p);
    }
    for (int b = 0; b < B; ++b) clsRows[size_t(b)] = packed ? cu[size_t(b)] : b * S;

    const size_t oIds = 0, oTypes = oIds + slot(padded), oLengths = oTypes + slot(padded);
    const size_t oCu = oLengths + slot(size_t(B)), oRows = oCu + slot(size_t(B) + 1);
    const size_t oCls = oRows + slot(rowToPadded.size() + 1), totalInts = oCls + slot(size_t(B));
    std::vector<int32_t> host(totalInts, 0);
    std::memcpy(host.data() + oIds, batch.inputIds.data(), padded * sizeof(int32_t));
    if (!batch.tokenTypeIds.empty()) std::memcpy(host.data() + oTypes, batch.tokenTypeIds.data(), padded * sizeof(int32_t));
    std::memcpy(host.data() + oLengths, batch.lengths.data(), size_t(B) * sizeof(int32_t));
    std::memcpy(host.data() + oCu, cu.data(), cu.size() * sizeof(int32_t));
    if (!rowToPadded.empty()) std::memcpy(host.data() + oRows, rowToPadded.data(), rowToPadded.size() * sizeof(int32_t));
    std::memcpy(host.data() + oCls, clsRows.data(), clsRows.size() * sizeof(int32_t));
    c.inputs = DeviceBuffer(context.allocator(), totalInts * sizeof(int32_t), "inputs");
    BB_CUDA_CHECK(cudaMemcpyAsync(c.inputs.get(), host.data(), host.size() * sizeof(int32_t), cudaMemcpyHostToDevice,
                                  context.stream()));
    const int32_t* d = c.inputs.as<int32_t>();
    c.ids = d + oIds;
    c.types = d + oTypes;
    c.lengths = d + oLengths;
    c.cuSeqlens = d + oCu;
    c.rowToPadded = packed ? d + oRows : nullptr;
    c.clsRows = d + oCls;
    c.shape.tokens = packed ? cu[size_t(B)] : int64_t(padded);
}

// x, the layer scratch and its views (the memory plan in EncoderCell.h).
void allocateLayerBuffers(EncoderCell& c, const ModelConfig& config, size_t e, bool ctxOverQuery,
                          DeviceAllocator& alloc) {
    const size_t T = size_t(c.shape.tokens), H = size_t(config.hiddenSize), I = size_t(config.intermediateSize);
    const bool modern = config.isModernBert();
    c.x = DeviceBuffer(alloc, T * H * e, "hidden states [tokens, hidden]");
    if (modern) c.normed = DeviceBuffer(alloc, T * H * e, "pre-norm output [tokens, hidden]");
    const size_t attnCols = (ctxOverQuery ? 3 : 4) * H;
    // The feed-forward's columns per row: BERT [inter I | ffnOut H], ModernBERT [gateIn 2I | inter I].
    const size_t ffnCols = modern ? 3 * I : I + H;
    size_t ffnChunks = 1;
    if (int64_t(T) >= EncoderCell::kFfnChunkMinRows) ffnChunks = std::max<size_t>(1, (ffnCols + attnCols - 1) / attnCols);
    c.ffnChunkRows = int64_t((T + ffnChunks - 1) / ffnChunks);
    const size_t chunkRows = size_t(c.ffnChunkRows);
    // ELECTRA's embeddings (E wide, before their projection) and its generator head's transform
    // output use the scratch too; E <= 3·hidden in every checkpoint, so this max changes nothing there.
    const size_t E = size_t(config.embeddingWidth());
    c.scratch = DeviceBuffer(alloc, std::max({T * attnCols, chunkRows * ffnCols, T * E}) * e,
                             ctxOverQuery ? "layer scratch [tokens, max(3*hidden, intermediate+hidden)]"
                                          : "layer scratch [tokens, max(4*hidden, intermediate+hidden)]");
    auto* base = static_cast<unsigned char*>(c.scratch.get());
    c.qkv = base;
    c.ctx = ctxOverQuery ? base : base + T * 3 * H * e;
    c.ctxRowStride = int64_t(ctxOverQuery ? 3 * H : H);
    // Over Q, the output projection adds into x in place (cublasLt's C = D); otherwise it writes
    // the scratch's start (Q is no longer needed) and the LayerNorm reads it from there.
    c.attnOutTarget = ctxOverQuery ? c.x.get() : static_cast<void*>(base);
    c.inter = base;
    c.ffnOut = base + chunkRows * I * e;
    if (modern) {
        // Pre-norm: both projections add into x in place; the GeGLU halves come first in the scratch.
        c.attnOutTarget = c.x.get();
        c.gateIn = base;
        c.inter = base + chunkRows * 2 * I * e;
        c.ffnOut = nullptr;
    }
}

// The task's logits and, in the packed layout, where the re-padded output goes.
void allocateOutput(EncoderCell& c, const ModelConfig& config, size_t e, const HeadWidths& heads,
                    DeviceAllocator& alloc) {
    const int B = c.shape.batch, S = c.shape.maxSeqLen;
    const size_t T = size_t(c.shape.tokens), padded = size_t(B) * size_t(S);
    int cols = 0;
    switch (c.task) {
    case Task::Encoder: cols = config.hiddenSize; break;
    case Task::Mlm: cols = config.vocabSize; break;
    case Task::Classification: cols = heads.classifierLabels; break;
    case Task::TokenClassification: cols = heads.tokenLabels; break;
    case Task::Qa: cols = 2; break;
    }
    c.outCols = cols;
    if (c.task == Task::Classification) {
        c.logits = DeviceBuffer(alloc, size_t(B) * size_t(cols) * e, "classifier logits");
        c.output = c.logits.get();
        c.outRows = B;
        c.outShape = {B, cols};
        c.perPosition = false;
        return;
    }
    if (c.task != Task::Encoder) c.logits = DeviceBuffer(alloc, T * size_t(cols) * e, "task logits [tokens, labels]");
    c.output = c.task == Task::Encoder ? c.x.get() : c.logits.get();
    if (c.shape.packed) {
        // The scatter is the last launch and reads x or logits: the scratch is free by then.
        const size_t paddedBytes = padded * size_t(cols) * e;
        if (paddedBytes <= c.scratch.bytes()) {
            c.output = c.scratch.get();
        } else {
            c.padded = DeviceBuffer(alloc, paddedBytes, "re-padded task output");
            c.output = c.padded.get();
        }
    }
    c.outRows = int64_t(padded);
    c.outShape = {B, S, cols};
    c.perPosition = true;
}

} // namespace

void prepareEncoderCell(EncoderCell& c, Task task, const Batch& batch, const ModelConfig& config, DType dtype,
                        const AttentionStrategy& attention, const HeadWidths& heads, CudaContext& context) {
    c.task = task;
    AttentionShape& s = c.shape;
    s.batch = batch.batchSize;
    s.maxSeqLen = batch.maxSeqLen;
    s.numHeads = config.numHeads;
    s.headDim = config.headDim();
    s.hidden = config.hiddenSize;
    s.packed = attention.packed();
    s.dtype = dtype;
    uploadInputs(c, batch, context);

    const size_t e = elementSize(dtype);
    auto& alloc = context.allocator();
    allocateLayerBuffers(c, config, e, attention.overwritesQuery(), alloc);
    const size_t workspace = attention.workspaceBytes(s);
    if (workspace > 0) c.workspace = DeviceBuffer(alloc, workspace, "attention workspace (" + attention.name() + ")");
    allocateOutput(c, config, e, heads, alloc);

    AttentionArgs& a = c.attention;
    a.qkv = c.qkv;
    a.out = c.ctx;
    a.outRowStride = c.ctxRowStride;
    a.lengths = c.lengths;
    a.cuSeqlens = c.cuSeqlens;
    a.rowToPadded = c.rowToPadded;
    a.workspace = c.workspace.get();
    a.workspaceBytes = c.workspace.bytes();
    a.scale = 1.f / std::sqrt(float(s.headDim));
    a.stream = context.stream();
}

} // namespace bertbench::cuda

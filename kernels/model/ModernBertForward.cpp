// ModernBERT's forward on the GPU (CudaBertModel.h has the layer order): the same LinearLayer and
// AttentionStrategy seams as BERT's, called in ModernBERT's pre-norm order, plus what only it has:
// RoPE tables of two θ, sliding-window attention in the local layers, GeGLU, final_norm, the
// prediction head before every task head and mean pooling.
//
// CPU reference: core/cpu/CpuModernBertModel.cpp (the same order, fp32). Checks: every kernel it
// adds in kernels/verify/ModernBertChecks.cpp; the model through `bertbench-cli verify --model
// modernbert-*` (against cpu:eager) and `verify --reference` (against HF's own outputs).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/util/Errors.h"
#include "kernels/model/CudaBertModel.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

namespace {

ops::Activation activationOf(const std::string& name) {
    if (name == "relu") return ops::Activation::Relu;
    if (name == "tanh") return ops::Activation::Tanh;
    return ops::Activation::Gelu;   // unsupportedReason refused any other
}

// cos and sin of p · θ^(−2d/D) for d < D/2, as CpuModernBertModel::buildRotaryTables computes them
// (inv_freq = 1 / θ^(2d/D) in fp32, its product with the position, then cos and sin).
void fillRotary(std::vector<float>& out, int positions, int headDim, double theta) {
    const int half = headDim / 2;
    out.resize(size_t(positions) * size_t(half) * 2);
    const float base = float(theta);
    for (int d = 0; d < half; ++d) {
        const float invFreq = 1.0f / std::pow(base, float(2 * d) / float(headDim));
        for (int p = 0; p < positions; ++p) {
            const float angle = float(p) * invFreq;
            out[(size_t(p) * half + size_t(d)) * 2] = std::cos(angle);
            out[(size_t(p) * half + size_t(d)) * 2 + 1] = std::sin(angle);
        }
    }
}

} // namespace

std::string CudaBertModel::modernBertUnsupportedReason(const ModelConfig& c) {
    const int H = c.hiddenSize;
    if (c.numHeads <= 0 || H % c.numHeads != 0) return "hidden size must be divisible by the heads";
    const int D = c.headDim();
    // RoPE rotates 16-byte vectors of each half head (8 fp16/bf16 values).
    if (H % 8 != 0 || D % 16 != 0) {
        return "the CUDA kernels need a ModernBERT hidden size that is a multiple of 8 and a head dim that is a "
               "multiple of 16 (got hidden " + std::to_string(H) + ", head dim " + std::to_string(D) + ")";
    }
    if (c.intermediateSize % 8 != 0)
        return "the CUDA kernels need an intermediate size that is a multiple of 8 (got " +
               std::to_string(c.intermediateSize) + ")";
    if (c.hiddenAct != "gelu") return "hidden_activation '" + c.hiddenAct + "': the CUDA GeGLU runs gelu only";
    if (c.classifierActivation != "tanh" && c.classifierActivation != "relu" && c.classifierActivation != "gelu")
        return "classifier_activation '" + c.classifierActivation + "' is not one the CUDA kernels have (tanh, relu, gelu)";
    if (c.modernBert.classifierPooling != "cls" && c.modernBert.classifierPooling != "mean")
        return "classifier_pooling '" + c.modernBert.classifierPooling + "': the CUDA heads pool cls or mean";
    return "";
}

void CudaBertModel::uploadRotaryTables() {
    const int positions = config_.maxPositions, D = config_.headDim();
    std::vector<float> local, global;
    fillRotary(local, positions, D, config_.modernBert.localRopeTheta);
    fillRotary(global, positions, D, config_.modernBert.globalRopeTheta);
    const size_t bytes = local.size() * sizeof(float);
    const size_t slot = (bytes + 255) / 256 * 256;
    rotaryTables_ = DeviceBuffer(context_.allocator(), 2 * slot, "rotary tables (cos, sin) [positions, head_dim/2]");
    auto* base = static_cast<unsigned char*>(rotaryTables_.get());
    BB_CUDA_CHECK(cudaMemcpy(base, local.data(), bytes, cudaMemcpyHostToDevice));
    BB_CUDA_CHECK(cudaMemcpy(base + slot, global.data(), bytes, cudaMemcpyHostToDevice));
    rotaryLocal_ = ops::RotaryTable{reinterpret_cast<const float*>(base), positions};
    rotaryGlobal_ = ops::RotaryTable{reinterpret_cast<const float*>(base + slot), positions};
}

void CudaBertModel::makeModernBertLinears() {
    const int H = config_.hiddenSize, I = config_.intermediateSize, V = config_.vocabSize;
    const ModernBertSettings& s = config_.modernBert;
    auto make = [&](int in, int out, LinearEpilogue epilogue, bool bias, ops::Activation act = ops::Activation::None) {
        LinearSpec spec{in, out, epilogue, act};
        spec.hasBias = bias;
        return makeLinearLayer(spec, dtype_, gemm_, options_);
    };
    Linears& l = linears_;
    l = Linears{};
    l.qkv = make(H, 3 * H, LinearEpilogue::Bias, s.attentionBias);
    l.attentionOut = make(H, H, LinearEpilogue::Residual, s.attentionBias);
    // GeGLU: Wi's [rows, 2I] output read once by the gated activation kernel.
    l.ffnUp = make(H, I, LinearEpilogue::GatedActivation, s.mlpBias, activationOf(config_.hiddenAct));
    l.ffnDown = make(I, H, LinearEpilogue::Residual, s.mlpBias);
    if (w_.headDenseW)
        l.headDense = make(H, H, LinearEpilogue::Activation, s.classifierBias, activationOf(config_.classifierActivation));
    if (w_.hasDecoder) l.mlmDecoder = make(H, V, LinearEpilogue::Bias, s.decoderBias);
    if (w_.classifierLabels > 0) l.classifier = make(H, w_.classifierLabels, LinearEpilogue::Bias, true);
    if (w_.tokenLabels > 0) l.tokenClassifier = make(H, w_.tokenLabels, LinearEpilogue::Bias, true);
    if (w_.qaW) l.qa = make(H, 2, LinearEpilogue::Bias, true);
}

void CudaBertModel::checkModernHead(Task task) const {
    auto need = [&](bool present, const char* what) {
        if (!present) throw BackendError(std::string("the model has no ") + what + " (task " + toString(task) + ")");
    };
    const bool head = w_.headDenseW && w_.headNormG;
    switch (task) {
    case Task::Encoder: break;
    case Task::Mlm:
        need(head && w_.hasDecoder && (!config_.modernBert.decoderBias || w_.mlmDecoderB), "masked-LM head");
        break;
    case Task::Classification:
        need(head, "prediction head (head.dense, head.norm)");
        need(w_.classifierW && w_.classifierB && w_.classifierLabels > 0, "sequence classifier");
        break;
    case Task::TokenClassification:
        need(head, "prediction head (head.dense, head.norm)");
        need(w_.tokenClassifierW && w_.tokenClassifierB && w_.tokenLabels > 0, "token classifier");
        break;
    case Task::Qa:
        need(head, "prediction head (head.dense, head.norm)");
        need(w_.qaW && w_.qaB, "question-answering head");
        break;
    }
}

void CudaBertModel::modernForward(AttentionStrategy& attention) {
    const EncoderCell& c = cell_;
    const double e = double(elementSize(dtype_));
    const double rowBytes = e * double(c.shape.tokens) * config_.hiddenSize;
    inCategory("embeddings", 3 * rowBytes, 0, [&] {
        ops::EmbeddingTables tables;
        tables.word = w_.wordEmb;
        tables.vocab = config_.vocabSize;
        tables.maxPositions = config_.maxPositions;   // no position table: rotary positions
        tables.gamma = w_.embLnG;
        tables.beta = w_.embLnB;
        tables.width = config_.hiddenSize;
        tables.eps = float(config_.layerNormEps);
        ops::embeddingLayerNorm(dtype_, c.x.get(), c.ids, nullptr, c.rowToPadded, c.shape.tokens, c.shape.maxSeqLen,
                                tables, context_.stream());
    });
    for (size_t i = 0; i < w_.modernLayers.size(); ++i) modernLayerForward(i, attention);
    inCategory("head", 0, 0, [&] { modernHeadForward(); });
    if (c.shape.packed && c.perPosition) {
        const double paddedRows = double(int64_t(c.shape.batch) * c.shape.maxSeqLen);
        inCategory("padding", e * (paddedRows + double(c.shape.tokens)) * c.outCols, 0, [&] { repad(); });
    }
}

void CudaBertModel::modernLayerForward(size_t index, AttentionStrategy& attention) {
    EncoderCell& c = cell_;
    const DeviceModernBertLayer& l = w_.modernLayers[index];
    const bool last = index + 1 == w_.modernLayers.size();
    const int H = config_.hiddenSize, I = config_.intermediateSize;
    const int64_t T = c.shape.tokens;
    const float eps = float(config_.layerNormEps);
    cudaStream_t stream = context_.stream();
    const size_t e = elementSize(dtype_);
    void* x = c.x.get();
    void* normed = c.normed.get();
    const ops::RotaryTable& rotary = l.global ? rotaryGlobal_ : rotaryLocal_;
    const double de = double(e);
    const double rowBytes = de * double(T) * H, wHH = de * double(H) * H, wHI = de * double(H) * I;
    const double flopsHH = 2.0 * double(T) * H * H;

    inCategory("qkv_gemm", 4 * rowBytes + 3 * wHH, 3 * flopsHH, [&] {
        // attn_norm is the identity in layer 0: the embeddings' output as it is.
        linears_.qkv->run({.y = c.qkv, .x = index == 0 ? x : normed, .weight = l.qkvW, .bias = l.qkvB, .rows = T});
        if (!attention.rotatesQueryKey())
            ops::rotaryEmbedding(dtype_, c.qkv, c.shape.packed ? c.rowToPadded : nullptr, T, c.shape.maxSeqLen,
                                 c.shape.numHeads, c.shape.headDim, rotary, stream);
    });
    AttentionArgs args = c.attention;
    args.window = l.global ? -1 : config_.modernBert.halfWindow();
    args.rotary = rotary;
    inCategory(l.global ? "attention" : "attention_local", 4 * rowBytes, 0,
               [&] { attention.run(c.shape, args, context_); });
    inCategory("attn_out_ln", 4 * rowBytes + wHH, flopsHH, [&] {
        linears_.attentionOut->run({.y = x, .x = c.ctx, .ldx = c.ctxRowStride, .weight = l.attnOutW,
                                    .bias = l.attnOutB, .residual = x, .rows = T});
        ops::biasResidualLayerNorm(dtype_, normed, x, nullptr, nullptr, l.mlpNormG, l.mlpNormB, T, H, eps, stream);
    });
    // The next layer's attn_norm, or final_norm (in place) after the last layer.
    const void* nextG = last ? w_.finalNormG : w_.modernLayers[index + 1].attnNormG;
    const void* nextB = last ? w_.finalNormB : w_.modernLayers[index + 1].attnNormB;
    for (int64_t r0 = 0; r0 < T; r0 += c.ffnChunkRows) {
        const int64_t rows = std::min(c.ffnChunkRows, T - r0);
        void* xr = static_cast<unsigned char*>(x) + size_t(r0) * size_t(H) * e;
        void* nr = static_cast<unsigned char*>(normed) + size_t(r0) * size_t(H) * e;
        const double chunkRow = de * double(rows) * H, chunkInter = de * double(rows) * I;
        const double chunkFlops = 2.0 * double(rows) * H * I;
        inCategory("ffn_up_gelu", chunkRow + 4 * chunkInter + 2 * wHI, 2 * chunkFlops, [&] {
            linears_.ffnUp->run(
                {.y = c.inter, .x = nr, .weight = l.wiW, .bias = l.wiB, .scratch = c.gateIn, .rows = rows});
        });
        inCategory("ffn_down_ln", chunkInter + 4 * chunkRow + wHI, chunkFlops, [&] {
            linears_.ffnDown->run(
                {.y = xr, .x = c.inter, .weight = l.mlpOutW, .bias = l.mlpOutB, .residual = xr, .rows = rows});
            ops::biasResidualLayerNorm(dtype_, last ? xr : nr, xr, nullptr, nullptr, nextG, nextB, rows, H, eps, stream);
        });
    }
}

void CudaBertModel::modernPredictionHead(void* out, const void* in, int64_t rows) {
    linears_.headDense->run({.y = out, .x = in, .weight = w_.headDenseW, .bias = w_.headDenseB, .rows = rows});
    ops::biasResidualLayerNorm(dtype_, out, out, nullptr, nullptr, w_.headNormG, w_.headNormB, rows, config_.hiddenSize,
                               float(config_.layerNormEps), context_.stream());
}

void CudaBertModel::modernHeadForward() {
    EncoderCell& c = cell_;
    const int H = config_.hiddenSize;
    const int64_t T = c.shape.tokens;
    const int B = c.shape.batch;
    void* x = c.x.get();
    void* logits = c.logits.get();
    void* t = c.scratch.get();   // the prediction head's output, [tokens or batch, hidden]: the scratch is free
    switch (c.task) {
    case Task::Encoder: break;
    case Task::Mlm:
        modernPredictionHead(t, x, T);
        // Tied decoder: logits = t · Embᵀ (+ the decoder bias).
        linears_.mlmDecoder->run({.y = logits, .x = t, .weight = w_.wordEmb, .bias = w_.mlmDecoderB, .rows = T});
        break;
    case Task::TokenClassification:
        modernPredictionHead(t, x, T);
        linears_.tokenClassifier->run(
            {.y = logits, .x = t, .weight = w_.tokenClassifierW, .bias = w_.tokenClassifierB, .rows = T});
        break;
    case Task::Qa:
        modernPredictionHead(t, x, T);
        linears_.qa->run({.y = logits, .x = t, .weight = w_.qaW, .bias = w_.qaB, .rows = T});
        break;
    case Task::Classification: {
        // [batch, hidden] pooled rows, then the head's [batch, hidden], one after the other.
        void* pooled = t;
        void* headOut = static_cast<unsigned char*>(t) + size_t(B) * size_t(H) * elementSize(dtype_);
        if (config_.modernBert.classifierPooling == "mean")
            ops::meanPoolRows(dtype_, pooled, x, c.lengths, c.shape.packed ? c.cuSeqlens : nullptr, B,
                              c.shape.maxSeqLen, H, context_.stream());
        else
            ops::gatherRows(dtype_, pooled, x, c.clsRows, B, H, context_.stream());
        modernPredictionHead(headOut, pooled, B);
        linears_.classifier->run(
            {.y = logits, .x = headOut, .weight = w_.classifierW, .bias = w_.classifierB, .rows = B});
        break;
    }
    }
}

} // namespace bertbench::cuda

#include "kernels/model/CudaBertModel.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "core/batch/BatchValidation.h"
#include "core/util/Errors.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/HostConvert.h"
#include "kernels/runtime/OpProfiler.h"

namespace bertbench::cuda {

CudaBertModel::CudaBertModel(CudaContext& context, const KernelOptions& options)
    : context_(context), options_(options), gemm_(context, options.gemmAutotune) {}

std::string CudaBertModel::unsupportedReason(const ModelConfig& c) {
    // BERT's post-norm layers with each architecture's embeddings and heads; ModernBERT's pre-norm
    // layers are their own forward (ModernBertForward.cpp).
    if (c.isModernBert()) return modernBertUnsupportedReason(c);
    static const char* const kFamily[] = {"bert", "roberta", "xlm-roberta", "camembert", "distilbert", "electra"};
    if (std::find(std::begin(kFamily), std::end(kFamily), c.modelType) == std::end(kFamily))
        return "model_type '" + c.modelType + "': the CUDA backends run bert, roberta, xlm-roberta, camembert, "
               "distilbert, electra and modernbert";
    const int H = c.hiddenSize;
    if (c.numHeads <= 0 || H % c.numHeads != 0) return "hidden size must be divisible by the heads";
    if (H % 8 != 0 || c.headDim() % 8 != 0 || c.embeddingWidth() % 8 != 0) {
        return "the CUDA kernels need hidden size, head dim and embedding size multiples of 8 (got hidden " +
               std::to_string(H) + ", head dim " + std::to_string(c.headDim()) + ", embedding size " +
               std::to_string(c.embeddingWidth()) + ")";
    }
    if (c.classifierActivation != "tanh" && c.classifierActivation != "relu" && c.classifierActivation != "gelu")
        return "the classifier's activation '" + c.classifierActivation + "' is not one the CUDA kernels have "
               "(tanh, relu, gelu)";
    return "";
}

void CudaBertModel::load(const BertWeights& weights, DType dtype) {
    const ModelConfig& c = weights.config;
    if (const std::string why = unsupportedReason(c); !why.empty()) throw BackendError(why);
    const size_t layers = c.isModernBert() ? weights.modernBert.layers.size() : weights.layers.size();
    if (int(layers) != c.numLayers) throw BackendError("weights have a different number of layers than the config");
    const uint64_t fingerprint = weightsFingerprint(weights, dtype) ^ (dtype == DType::Float8 ? 0xF8F8F8F8ull : 0);
    const bool fp8 = dtype == DType::Float8;   // fp16 activations, fp8 encoder GEMMs
    if (fp8) dtype = DType::Float16;
    context_.makeCurrent();
    if (loaded_ && fingerprint == fingerprint_) return;

    releaseCell();
    arena_.reset();
    rotaryTables_.reset();
    rotaryLocal_ = rotaryGlobal_ = ops::RotaryTable{};
    loaded_ = false;
    config_ = c;
    dtype_ = dtype;
    fp8_ = fp8 && !c.isModernBert();   // ModernBERT's GEMMs stay fp16 (dtypeRan says so)
    fp8Asked_ = fp8;
    context_.ensureWorkspace();
    w_ = uploadWeights(weights, dtype, context_.allocator(), arena_);
    if (config_.isModernBert()) {
        uploadRotaryTables();
        makeModernBertLinears();
    } else {
        makeLinears();
    }
    fingerprint_ = fingerprint;
    loaded_ = true;
}

ops::Activation CudaBertModel::classifierActivation(const ModelConfig& c) {
    if (c.classifierActivation == "relu") return ops::Activation::Relu;
    if (c.classifierActivation == "gelu") return ops::Activation::Gelu;
    return ops::Activation::Tanh;   // unsupportedReason refused any other at load
}

void CudaBertModel::makeLinears() {
    const int H = config_.hiddenSize, I = config_.intermediateSize, V = config_.vocabSize, E = config_.embeddingWidth();
    auto make = [&](int in, int out, LinearEpilogue epilogue, ops::Activation act = ops::Activation::None) {
        return makeLinearLayer(LinearSpec{in, out, epilogue, act}, dtype_, gemm_, options_);
    };
    Linears& l = linears_;
    l = Linears{};
    // fp8: the encoder's four GEMMs (nearly all of the FLOPs); the heads and ELECTRA's projection stay fp16.
    auto encoder = [&](int in, int out, LinearEpilogue epilogue, ops::Activation act = ops::Activation::None) {
        return makeLinearLayer(LinearSpec{in, out, epilogue, act}, fp8_ ? DType::Float8 : dtype_, gemm_, options_);
    };
    l.qkv = encoder(H, 3 * H, LinearEpilogue::Bias);
    l.attentionOut = encoder(H, H, LinearEpilogue::Residual);
    l.ffnUp = encoder(H, I, LinearEpilogue::Activation, ops::Activation::Gelu);
    l.ffnDown = encoder(I, H, LinearEpilogue::Residual);
    if (w_.embProjW) l.embeddingProjection = make(E, H, LinearEpilogue::Bias);
    if (w_.mlmTransformW) {
        // E wide: ELECTRA's generator head maps hidden → embedding_size, the tied decoder E → V.
        l.mlmTransform = make(H, E, LinearEpilogue::Activation, ops::Activation::Gelu);
        l.mlmDecoder = make(E, V, LinearEpilogue::Bias);
    }
    if (w_.poolerW) l.pooler = make(H, H, LinearEpilogue::Activation, classifierActivation(config_));
    if (w_.classifierLabels > 0) l.classifier = make(H, w_.classifierLabels, LinearEpilogue::Bias);
    if (w_.tokenLabels > 0) l.tokenClassifier = make(H, w_.tokenLabels, LinearEpilogue::Bias);
    if (w_.qaW) l.qa = make(H, 2, LinearEpilogue::Bias);
}

void CudaBertModel::prepare(Task task, const Batch& batch, AttentionStrategy& attention) {
    if (!loaded_) throw BackendError("prepare() before loadModel()");
    context_.makeCurrent();
    releaseCell();
    if (config_.isModernBert()) checkModernHead(task);
    else checkHead(task);
    validateBatch(batch, config_);
    try {
        prepareEncoderCell(cell_, task, batch, config_, dtype_, attention,
                           HeadWidths{w_.classifierLabels, w_.tokenLabels}, context_);
        if (fp8_) reserveFp8(cell_.shape.tokens);
        prepared_ = true;
    } catch (...) {
        releaseCell();
        throw;
    }
}

void CudaBertModel::forward(AttentionStrategy& attention) {
    if (!prepared_) throw BackendError("forward() before prepare()");
    if (config_.isModernBert()) {
        modernForward(attention);
        return;
    }
    const EncoderCell& c = cell_;
    const double e = double(elementSize(dtype_));
    const double rowBytes = e * double(c.shape.tokens) * config_.hiddenSize;
    const int E = config_.embeddingWidth();
    const double projectionFlops = w_.embProjW ? 2.0 * double(c.shape.tokens) * E * config_.hiddenSize : 0;
    inCategory("embeddings", 4 * rowBytes, projectionFlops, [&] {
        // ELECTRA (E != hidden): LayerNorm at E into the free scratch, then the projection into x.
        void* embedded = w_.embProjW ? c.scratch.get() : c.x.get();
        ops::EmbeddingTables tables;
        tables.word = w_.wordEmb;
        tables.vocab = config_.vocabSize;
        tables.position = w_.posEmb;
        tables.maxPositions = config_.maxPositions;
        tables.positionOffset = config_.positionOffset;
        tables.tokenType = w_.typeEmb;
        tables.typeVocab = config_.typeVocabSize;
        tables.gamma = w_.embLnG;
        tables.beta = w_.embLnB;
        tables.width = E;
        tables.eps = float(config_.layerNormEps);
        ops::embeddingLayerNorm(dtype_, embedded, c.ids, c.types, c.rowToPadded, c.shape.tokens, c.shape.maxSeqLen,
                                tables, context_.stream());
        if (w_.embProjW) {
            linears_.embeddingProjection->run(
                {.y = c.x.get(), .x = embedded, .weight = w_.embProjW, .bias = w_.embProjB, .rows = c.shape.tokens});
        }
    });
    const size_t layers = w_.layers.size();
    for (size_t i = 0; i < layers; ++i) {
        const DeviceLayer* next = i + 1 < layers ? &w_.layers[i + 1] : nullptr;
        const Fp8Inputs fp8 = fp8_ ? fp8Inputs(w_.layers[i], i > 0, next) : Fp8Inputs{};
        layerForward(w_.layers[i], fp8, attention);
    }
    inCategory("head", 0, 0, [&] { headForward(); });
    if (c.shape.packed && c.perPosition) {
        const double paddedRows = double(int64_t(c.shape.batch) * c.shape.maxSeqLen);
        inCategory("padding", e * (paddedRows + double(c.shape.tokens)) * c.outCols, 0, [&] { repad(); });
    }
}

void CudaBertModel::layerForward(const DeviceLayer& l, const Fp8Inputs& fp8, AttentionStrategy& attention) {
    EncoderCell& c = cell_;
    const int H = config_.hiddenSize, I = config_.intermediateSize;
    const int64_t T = c.shape.tokens;
    const float eps = float(config_.layerNormEps);
    cudaStream_t stream = context_.stream();
    void* x = c.x.get();
    // Bytes each category must move (inputs read once, outputs written once) and its GEMM flops.
    const double e = double(elementSize(dtype_));
    const double rowBytes = e * double(T) * H, wHH = e * double(H) * H, wHI = e * double(H) * I;
    const double flopsHH = 2.0 * double(T) * H * H;

    inCategory("qkv_gemm", 4 * rowBytes + 3 * wHH, 3 * flopsHH, [&] {
        linears_.qkv->run({.y = c.qkv, .x = x, .weight = l.qkvW, .bias = l.qkvB, .rows = T, .x8 = fp8.qkv.data});
    });
    inCategory("attention", 4 * rowBytes, 0, [&] { attention.run(c.shape, c.attention, context_); });
    inCategory("attn_out_ln", 4 * rowBytes + wHH, flopsHH, [&] {
        linears_.attentionOut->run({.y = c.attnOutTarget, .x = c.ctx, .ldx = c.ctxRowStride, .weight = l.attnOutW,
                                    .bias = l.attnOutB, .residual = x, .rows = T});
        ops::biasResidualLayerNorm(dtype_, x, c.attnOutTarget, nullptr, nullptr, l.attnLnG, l.attnLnB, T, H, eps, stream,
                                   fp8.ffnUp.data, fp8.ffnUp.scale);
    });
    for (int64_t r0 = 0; r0 < T; r0 += c.ffnChunkRows) {
        const int64_t rows = std::min(c.ffnChunkRows, T - r0);
        void* xr = static_cast<unsigned char*>(x) + size_t(r0) * size_t(H) * size_t(e);
        const double chunkRow = e * double(rows) * H, chunkInter = e * double(rows) * I;
        const double chunkFlops = 2.0 * double(rows) * H * I;
        // fp8 views of this chunk: the LayerNorms' e4m3 rows sit at the chunk's rows of [T, H];
        // FFN-down's input is the chunk's alone (FFN-up writes it from row 0).
        auto chunkOf = [&](const E4m3View& v) -> void* {
            return v.data ? static_cast<unsigned char*>(v.data) + size_t(r0) * size_t(H) : nullptr;
        };
        inCategory("ffn_up_gelu", chunkRow + chunkInter + wHI, chunkFlops, [&] {
            linears_.ffnUp->run({.y = c.inter, .x = xr, .weight = l.interW, .bias = l.interB, .rows = rows,
                                 .x8 = chunkOf(fp8.ffnUp), .y8 = fp8.ffnDown});
        });
        inCategory("ffn_down_ln", chunkInter + 3 * chunkRow + wHI, chunkFlops, [&] {
            linears_.ffnDown->run({.y = c.ffnOut, .x = c.inter, .weight = l.outW, .bias = l.outB, .residual = xr,
                                   .rows = rows, .x8 = fp8.ffnDown.data});
            ops::biasResidualLayerNorm(dtype_, xr, c.ffnOut, nullptr, nullptr, l.outLnG, l.outLnB, rows, H, eps, stream,
                                       chunkOf(fp8.nextQkv), fp8.nextQkv.scale);
        });
    }
}

void CudaBertModel::repad() {
    const EncoderCell& c = cell_;
    const void* packed = c.task == Task::Encoder ? c.x.get() : c.logits.get();
    ops::scatterRows(dtype_, c.output, int64_t(c.shape.batch) * c.shape.maxSeqLen, packed, c.rowToPadded,
                     c.shape.tokens, c.outCols, context_.stream());
}

TaskOutput CudaBertModel::output() {
    if (!prepared_) throw BackendError("output() before prepare()");
    context_.makeCurrent();
    const EncoderCell& c = cell_;
    const size_t count = size_t(c.outRows) * size_t(c.outCols);
    std::vector<unsigned char> raw(count * elementSize(dtype_));
    BB_CUDA_CHECK(cudaMemcpyAsync(raw.data(), c.output, raw.size(), cudaMemcpyDeviceToHost, context_.stream()));
    context_.synchronize();
    TaskOutput out;
    out.task = c.task;
    out.shape = c.outShape;
    out.perPosition = c.perPosition;
    out.values.resize(count);
    convertToFloat(dtype_, raw.data(), count, out.values.data());
    return out;
}

void CudaBertModel::releaseCell() {
    if (cell_.inputs || cell_.x) cudaStreamSynchronize(context_.stream());   // kernels may still read the buffers
    cell_ = EncoderCell{};
    prepared_ = false;
    gemm_.clearPlans();
}

std::vector<std::pair<std::string, std::string>> CudaBertModel::linearPaths() const {
    std::vector<std::pair<std::string, std::string>> paths;
    auto add = [&](const char* name, const std::unique_ptr<LinearLayer>& layer) {
        if (layer) paths.emplace_back(name, layer->path());
    };
    add("linear_qkv", linears_.qkv);
    add("linear_attention_out", linears_.attentionOut);
    add("linear_ffn_up", linears_.ffnUp);
    add("linear_ffn_down", linears_.ffnDown);
    add("linear_embedding_projection", linears_.embeddingProjection);
    add("linear_head_dense", linears_.headDense);
    paths.emplace_back("gemm_autotune", gemm_.autotune() ? "on" : "off");
    paths.emplace_back("gemm_autotuned_shapes", std::to_string(gemm_.tunedShapes()));
    return paths;
}

} // namespace bertbench::cuda

#include "core/cpu/CpuBertModel.h"

#include <algorithm>

#include "core/cpu/CpuWeightCopy.h"
#include "core/cpu/ThreadPool.h"
#include "core/util/Errors.h"

namespace bertbench::cpu {

void CpuBertModel::load(const BertWeights& w) {
    unload();
    takeConfig(w.config);
    eps_ = float(config_.layerNormEps);
    const int64_t h = config_.hiddenSize, inter = config_.intermediateSize, v = config_.vocabSize;
    const int64_t e = config_.embeddingWidth();
    MemoryTracker& t = tracker_;

    wordEmb_ = copyWeight(t, w.wordEmb, v * e, "word embeddings");
    posEmb_ = copyWeight(t, w.posEmb, int64_t(config_.maxPositions) * e, "position embeddings");
    if (config_.hasTokenTypes())
        typeEmb_ = copyWeight(t, w.typeEmb, int64_t(config_.typeVocabSize) * e, "token type embeddings");
    embLnGamma_ = copyWeight(t, w.embLnGamma, e, "embedding LayerNorm weight");
    embLnBeta_ = copyWeight(t, w.embLnBeta, e, "embedding LayerNorm bias");
    if (e != h) {
        embProjW_ = copyWeight(t, w.embProjW, h * e, "embedding projection weight");
        embProjB_ = copyWeight(t, w.embProjB, h, "embedding projection bias");
    }
    if (w.layers.size() != size_t(config_.numLayers)) {
        throw BackendError("weights: " + std::to_string(w.layers.size()) + " layers, the config has " +
                           std::to_string(config_.numLayers));
    }
    layers_.resize(w.layers.size());
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& src = w.layers[i];
        Layer& dst = layers_[i];
        // Q, K and V share their input: one [3H, H] GEMM instead of three.
        for (const Tensor* m : {&src.queryW, &src.keyW, &src.valueW}) {
            if (m->numel() != h * h) throw BackendError("weights: layer " + std::to_string(i) + " Q/K/V weight size");
        }
        for (const Tensor* b : {&src.queryB, &src.keyB, &src.valueB}) {
            if (b->numel() != h) throw BackendError("weights: layer " + std::to_string(i) + " Q/K/V bias size");
        }
        dst.qkvW = TrackedBuffer(t, size_t(3 * h * h), "weights");
        dst.qkvB = TrackedBuffer(t, size_t(3 * h), "weights");
        std::copy(src.queryW.data.begin(), src.queryW.data.end(), dst.qkvW.data());
        std::copy(src.keyW.data.begin(), src.keyW.data.end(), dst.qkvW.data() + h * h);
        std::copy(src.valueW.data.begin(), src.valueW.data.end(), dst.qkvW.data() + 2 * h * h);
        std::copy(src.queryB.data.begin(), src.queryB.data.end(), dst.qkvB.data());
        std::copy(src.keyB.data.begin(), src.keyB.data.end(), dst.qkvB.data() + h);
        std::copy(src.valueB.data.begin(), src.valueB.data.end(), dst.qkvB.data() + 2 * h);
        dst.attnOutW = copyWeight(t, src.attnOutW, h * h, "attention output weight");
        dst.attnOutB = copyWeight(t, src.attnOutB, h, "attention output bias");
        dst.ln1Gamma = copyWeight(t, src.attnLnGamma, h, "attention LayerNorm weight");
        dst.ln1Beta = copyWeight(t, src.attnLnBeta, h, "attention LayerNorm bias");
        dst.interW = copyWeight(t, src.interW, inter * h, "intermediate weight");
        dst.interB = copyWeight(t, src.interB, inter, "intermediate bias");
        dst.outW = copyWeight(t, src.outW, h * inter, "output weight");
        dst.outB = copyWeight(t, src.outB, h, "output bias");
        dst.ln2Gamma = copyWeight(t, src.outLnGamma, h, "output LayerNorm weight");
        dst.ln2Beta = copyWeight(t, src.outLnBeta, h, "output LayerNorm bias");
    }
    poolerW_ = copyOptional(t, w.poolerW, h * h, "pooler weight");
    poolerB_ = copyOptional(t, w.poolerB, h, "pooler bias");
    mlmW_ = copyOptional(t, w.mlmTransformW, e * h, "MLM transform weight");
    mlmB_ = copyOptional(t, w.mlmTransformB, e, "MLM transform bias");
    mlmLnGamma_ = copyOptional(t, w.mlmLnGamma, e, "MLM LayerNorm weight");
    mlmLnBeta_ = copyOptional(t, w.mlmLnBeta, e, "MLM LayerNorm bias");
    copyTaskHeads(w);
}

void CpuBertModel::unload() {
    releaseCell();
    for (TrackedBuffer* b : {&wordEmb_, &posEmb_, &typeEmb_, &embLnGamma_, &embLnBeta_, &embProjW_, &embProjB_,
                             &poolerW_, &poolerB_, &mlmW_, &mlmB_, &mlmLnGamma_, &mlmLnBeta_}) {
        b->reset();
    }
    releaseTaskHeads();
    layers_.clear();
}

void CpuBertModel::requireHead(Task task) const {
    bool ok = true;
    switch (task) {
    case Task::Encoder: break;
    case Task::Mlm: ok = !mlmW_.empty() && !decoderB_.empty(); break;
    case Task::Classification: ok = !poolerW_.empty() && !classifierW_.empty(); break;
    case Task::TokenClassification: ok = !tokenClassifierW_.empty(); break;
    case Task::Qa: ok = !qaW_.empty(); break;
    }
    if (!ok) throw BackendError("model '" + config_.name + "' has no " + toString(task) + " head");
}

void CpuBertModel::prepareCell(const Batch& batch) {
    const int64_t H = config_.hiddenSize, I = config_.intermediateSize;
    MemoryTracker& t = tracker_;
    rowToken_ = TrackedArray<int32_t>(t, size_t(rows_), "input ids");
    rowType_ = TrackedArray<int32_t>(t, size_t(rows_), "token type ids");
    rowPos_ = TrackedArray<int32_t>(t, size_t(rows_), "position ids");
    forEachRow([&](int64_t r, int b, int p) {
        const size_t at = size_t(b) * size_t(seqLen_) + size_t(p);
        rowToken_[size_t(r)] = batch.inputIds[at];
        rowType_[size_t(r)] = batch.tokenTypeIds.empty() ? 0 : batch.tokenTypeIds[at];
        rowPos_[size_t(r)] = config_.positionOffset + p;
    });

    hidden_ = TrackedBuffer(t, size_t(rows_ * H), "hidden states");
    if (config_.embeddingWidth() != H)
        embedded_ = TrackedBuffer(t, size_t(rows_ * config_.embeddingWidth()), "embeddings before the projection");
    qkv_ = TrackedBuffer(t, size_t(rows_ * 3 * H), "query/key/value");
    ctx_ = TrackedBuffer(t, size_t(rows_ * H), "attention context");
    // The projections' outputs, and the MLM transform's (E wide in ELECTRA).
    tmp_ = TrackedBuffer(t, size_t(rows_ * std::max<int64_t>(H, config_.embeddingWidth())), "projection output");
    inter_ = TrackedBuffer(t, size_t(rows_ * I), "intermediate activations");
    allocateAttentionWorkspace();
    allocateTaskOutput("pooler input", "pooled output");
}

void CpuBertModel::releaseModelCell() {
    for (TrackedBuffer* b : {&tmp_, &inter_, &embedded_}) b->reset();
    rowType_.reset();
}

void CpuBertModel::embed() {
    const int E = config_.embeddingWidth(), H = config_.hiddenSize;
    const bool types = config_.hasTokenTypes();
    float* out = E == H ? hidden_.data() : embedded_.data();
    forRows(rows_, [&](int64_t r) {
        const float* w = wordEmb_.data() + int64_t(rowToken_[size_t(r)]) * E;
        const float* p = posEmb_.data() + int64_t(rowPos_[size_t(r)]) * E;
        float* x = out + r * E;
        if (types) {
            const float* ty = typeEmb_.data() + int64_t(rowType_[size_t(r)]) * E;
            for (int j = 0; j < E; ++j) x[j] = (w[j] + ty[j]) + p[j];   // HF's order: word + type, then position
        } else {
            for (int j = 0; j < E; ++j) x[j] = w[j] + p[j];
        }
        addLayerNormRow(x, nullptr, x, E, embLnGamma_.data(), embLnBeta_.data(), eps_);
    });
    // ELECTRA: the encoder runs at hidden_size, after a projection of the embeddings.
    if (E != H) linear(embedded_.data(), rows_, E, embProjW_.data(), embProjB_.data(), H, hidden_.data());
}

void CpuBertModel::classifierActivation(float* x, int64_t n) const {
    activationInPlace(config_.classifierActivation, x, n);
}

void CpuBertModel::encoderLayer(size_t index) {
    const Layer& L = layers_[index];
    const int H = config_.hiddenSize, I = config_.intermediateSize;
    float* hidden = hidden_.data();
    float* tmp = tmp_.data();
    {
        TimedScope scope(timer_, "qkv_gemm");
        linear(hidden, rows_, H, L.qkvW.data(), L.qkvB.data(), 3 * H, qkv_.data());
    }
    {
        TimedScope scope(timer_, "attention");
        runAttention(attentionShape());
    }
    // Output projection, then residual + LayerNorm on the same thread while the rows are in cache.
    {
        TimedScope scope(timer_, "attn_out_ln");
        linear(ctx_.data(), rows_, H, L.attnOutW.data(), L.attnOutB.data(), H, tmp, [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                addLayerNormRow(tmp + r * H, hidden + r * H, hidden + r * H, H, L.ln1Gamma.data(), L.ln1Beta.data(), eps_);
            }
        });
    }
    {
        TimedScope scope(timer_, "ffn_up_gelu");
        linear(hidden, rows_, H, L.interW.data(), L.interB.data(), I, inter_.data(), [&](int64_t b, int64_t e) {
            geluInPlace(inter_.data() + b * I, (e - b) * I);
        });
    }
    {
        TimedScope scope(timer_, "ffn_down_ln");
        linear(inter_.data(), rows_, I, L.outW.data(), L.outB.data(), H, tmp, [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                addLayerNormRow(tmp + r * H, hidden + r * H, hidden + r * H, H, L.ln2Gamma.data(), L.ln2Beta.data(), eps_);
            }
        });
    }
}

void CpuBertModel::head() {
    const int H = config_.hiddenSize;
    const std::vector<RowSegment> segments = outputSegments();
    switch (task_) {
    case Task::Encoder: padEncoderOutput(segments); break;
    case Task::Mlm: {
        // The transform's width is the embeddings' (ELECTRA's generator head maps hidden → E).
        const int E = config_.embeddingWidth();
        float* tmp = tmp_.data();
        linear(hidden_.data(), rows_, H, mlmW_.data(), mlmB_.data(), E, tmp, [&](int64_t b, int64_t e) {
            geluInPlace(tmp + b * E, (e - b) * E);
            for (int64_t r = b; r < e; ++r) {
                addLayerNormRow(tmp + r * E, nullptr, tmp + r * E, E, mlmLnGamma_.data(), mlmLnBeta_.data(), eps_);
            }
        });
        // Decoder tied to the word embeddings: logits = t · Embᵀ + bias.
        linear(tmp, E, wordEmb_.data(), decoderB_.data(), config_.vocabSize, outputBuf_.data(), segments);
        break;
    }
    case Task::TokenClassification:
        linear(hidden_.data(), H, tokenClassifierW_.data(), tokenClassifierB_.data(), outWidth_, outputBuf_.data(),
               segments);
        break;
    case Task::Qa:
        linear(hidden_.data(), H, qaW_.data(), qaB_.data(), 2, outputBuf_.data(), segments);
        break;
    case Task::Classification: {
        for (int b = 0; b < batch_; ++b) {
            const int64_t cls = firstRow(b);
            std::copy(hidden_.data() + cls * H, hidden_.data() + (cls + 1) * H, pooledIn_.data() + int64_t(b) * H);
        }
        float* pooled = pooled_.data();
        linear(pooledIn_.data(), batch_, H, poolerW_.data(), poolerB_.data(), H, pooled, [&](int64_t b, int64_t e) {
            classifierActivation(pooled + b * H, (e - b) * H);
        });
        linear(pooled, batch_, H, classifierW_.data(), classifierB_.data(), outWidth_, outputBuf_.data());
        break;
    }
    }
}

} // namespace bertbench::cpu

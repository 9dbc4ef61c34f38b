#include "core/cpu/CpuModernBertModel.h"

#include <algorithm>
#include <cmath>

#include "core/cpu/CpuWeightCopy.h"
#include "core/cpu/ThreadPool.h"
#include "core/util/Errors.h"

namespace bertbench::cpu {

namespace {

// A bias the config declares (attention_bias, ...) must be there; one it does not, must not.
TrackedBuffer copyDeclared(MemoryTracker& tracker, bool declared, const Tensor& t, int64_t expected,
                           const std::string& what, const char* field) {
    if (declared) return copyWeight(tracker, t, expected, what);
    if (!t.empty()) throw BackendError("weights: " + what + " is there, the config's " + field + " is false");
    return {};
}

} // namespace

void CpuModernBertModel::load(const BertWeights& w) {
    unload();
    takeConfig(w.config);
    if (!config_.isModernBert()) throw BackendError("weights: model_type '" + config_.modelType + "' is not modernbert");
    eps_ = float(config_.layerNormEps);
    const ModernBertSettings& s = config_.modernBert;
    const ModernBertWeights& m = w.modernBert;
    const int64_t h = config_.hiddenSize, inter = config_.intermediateSize, v = config_.vocabSize;
    MemoryTracker& t = tracker_;

    wordEmb_ = copyWeight(t, w.wordEmb, v * h, "token embeddings");
    embNormGamma_ = copyWeight(t, w.embLnGamma, h, "embeddings norm weight");
    embNormBeta_ = copyDeclared(t, s.normBias, w.embLnBeta, h, "embeddings norm bias", "norm_bias");
    if (m.layers.size() != size_t(config_.numLayers)) {
        throw BackendError("weights: " + std::to_string(m.layers.size()) + " ModernBERT layers, the config has " +
                           std::to_string(config_.numLayers));
    }
    layers_.resize(m.layers.size());
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const ModernBertLayerWeights& src = m.layers[i];
        Layer& dst = layers_[i];
        const std::string at = "layer " + std::to_string(i) + " ";
        dst.global = s.globalLayers[i];
        if (i > 0) {
            dst.attnNormGamma = copyWeight(t, src.attnNormGamma, h, at + "attn_norm weight");
            dst.attnNormBeta = copyDeclared(t, s.normBias, src.attnNormBeta, h, at + "attn_norm bias", "norm_bias");
        } else if (!src.attnNormGamma.empty()) {
            throw BackendError("weights: layer 0 has an attn_norm; ModernBERT's first layer has none (the identity)");
        }
        dst.qkvW = copyWeight(t, src.qkvW, 3 * h * h, at + "Wqkv weight");
        dst.qkvB = copyDeclared(t, s.attentionBias, src.qkvB, 3 * h, at + "Wqkv bias", "attention_bias");
        dst.attnOutW = copyWeight(t, src.attnOutW, h * h, at + "attention Wo weight");
        dst.attnOutB = copyDeclared(t, s.attentionBias, src.attnOutB, h, at + "attention Wo bias", "attention_bias");
        dst.mlpNormGamma = copyWeight(t, src.mlpNormGamma, h, at + "mlp_norm weight");
        dst.mlpNormBeta = copyDeclared(t, s.normBias, src.mlpNormBeta, h, at + "mlp_norm bias", "norm_bias");
        dst.wiW = copyWeight(t, src.wiW, 2 * inter * h, at + "Wi weight");
        dst.wiB = copyDeclared(t, s.mlpBias, src.wiB, 2 * inter, at + "Wi bias", "mlp_bias");
        dst.mlpOutW = copyWeight(t, src.mlpOutW, h * inter, at + "MLP Wo weight");
        dst.mlpOutB = copyDeclared(t, s.mlpBias, src.mlpOutB, h, at + "MLP Wo bias", "mlp_bias");
    }
    finalNormGamma_ = copyWeight(t, m.finalNormGamma, h, "final_norm weight");
    finalNormBeta_ = copyDeclared(t, s.normBias, m.finalNormBeta, h, "final_norm bias", "norm_bias");

    if (!m.headDenseW.empty()) {
        headDenseW_ = copyWeight(t, m.headDenseW, h * h, "prediction head dense weight");
        headDenseB_ = copyDeclared(t, s.classifierBias, m.headDenseB, h, "prediction head dense bias", "classifier_bias");
        headNormGamma_ = copyWeight(t, m.headNormGamma, h, "prediction head norm weight");
        headNormBeta_ = copyDeclared(t, s.normBias, m.headNormBeta, h, "prediction head norm bias", "norm_bias");
    }
    hasDecoder_ = m.hasDecoder;
    copyTaskHeads(w);
}

void CpuModernBertModel::unload() {
    releaseCell();
    for (TrackedBuffer* b : {&wordEmb_, &embNormGamma_, &embNormBeta_, &finalNormGamma_, &finalNormBeta_, &headDenseW_,
                             &headDenseB_, &headNormGamma_, &headNormBeta_}) {
        b->reset();
    }
    releaseTaskHeads();
    layers_.clear();
    hasDecoder_ = false;
}

void CpuModernBertModel::requireHead(Task task) const {
    const bool head = !headDenseW_.empty();
    bool ok = true;
    switch (task) {
    case Task::Encoder: break;
    case Task::Mlm: ok = head && hasDecoder_ && (!config_.modernBert.decoderBias || !decoderB_.empty()); break;
    case Task::Classification: ok = head && !classifierW_.empty(); break;
    case Task::TokenClassification: ok = head && !tokenClassifierW_.empty(); break;
    case Task::Qa: ok = head && !qaW_.empty(); break;
    }
    if (!ok) throw BackendError("model '" + config_.name + "' has no " + toString(task) + " head");
}

void CpuModernBertModel::prepareCell(const Batch& batch) {
    const int64_t H = config_.hiddenSize, I = config_.intermediateSize;
    MemoryTracker& t = tracker_;
    rowToken_ = TrackedArray<int32_t>(t, size_t(rows_), "input ids");
    rowPos_ = TrackedArray<int32_t>(t, size_t(rows_), "position ids");
    forEachRow([&](int64_t r, int b, int p) {
        rowToken_[size_t(r)] = batch.inputIds[size_t(b) * size_t(seqLen_) + size_t(p)];
        rowPos_[size_t(r)] = p;
    });
    buildRotaryTables();

    hidden_ = TrackedBuffer(t, size_t(rows_ * H), "hidden states");
    normed_ = TrackedBuffer(t, size_t(rows_ * H), "normed hidden states");
    qkv_ = TrackedBuffer(t, size_t(rows_ * 3 * H), "query/key/value");
    ctx_ = TrackedBuffer(t, size_t(rows_ * H), "attention context");
    tmp_ = TrackedBuffer(t, size_t(rows_ * H), "projection output");
    inter_ = TrackedBuffer(t, size_t(rows_ * 2 * I), "GeGLU input and gate");
    geglu_ = TrackedBuffer(t, size_t(rows_ * I), "GeGLU output");
    allocateAttentionWorkspace();
    allocateTaskOutput("pooled hidden states", "prediction head output");
}

// cos and sin of position · θ^(−2d / head_dim) for d < head_dim/2, in fp32 as HF computes them
// (inv_freq = 1 / θ^(2d / head_dim), then the product with the position, then cos and sin).
void CpuModernBertModel::buildRotaryTables() {
    const int D = config_.headDim(), half = D / 2, S = seqLen_;
    const double thetas[2] = {config_.modernBert.localRopeTheta, config_.modernBert.globalRopeTheta};
    for (int kind = 0; kind < 2; ++kind) {
        ropeCos_[kind] = TrackedBuffer(tracker_, size_t(S) * size_t(half), "rotary cos table");
        ropeSin_[kind] = TrackedBuffer(tracker_, size_t(S) * size_t(half), "rotary sin table");
        const float base = float(thetas[kind]);
        for (int d = 0; d < half; ++d) {
            const float invFreq = 1.0f / std::pow(base, float(2 * d) / float(D));
            for (int p = 0; p < S; ++p) {
                const float angle = float(p) * invFreq;
                ropeCos_[kind][size_t(p) * half + size_t(d)] = std::cos(angle);
                ropeSin_[kind][size_t(p) * half + size_t(d)] = std::sin(angle);
            }
        }
    }
}

void CpuModernBertModel::releaseModelCell() {
    for (TrackedBuffer* b : {&normed_, &tmp_, &inter_, &geglu_, &ropeCos_[0], &ropeCos_[1], &ropeSin_[0], &ropeSin_[1]})
        b->reset();
}

void CpuModernBertModel::embed() {
    const int H = config_.hiddenSize;
    forRows(rows_, [&](int64_t r) {
        const float* w = wordEmb_.data() + int64_t(rowToken_[size_t(r)]) * H;
        float* x = hidden_.data() + r * H;
        std::copy(w, w + H, x);
        addLayerNormRow(x, nullptr, x, H, embNormGamma_.data(), embNormBeta_.data(), eps_);
    });
}

void CpuModernBertModel::applyRotary(int64_t begin, int64_t end, bool global) {
    const int H = config_.hiddenSize, D = config_.headDim(), half = D / 2, heads = config_.numHeads;
    const float* cosTable = ropeCos_[global ? 1 : 0].data();
    const float* sinTable = ropeSin_[global ? 1 : 0].data();
    for (int64_t r = begin; r < end; ++r) {
        const float* c = cosTable + int64_t(rowPos_[size_t(r)]) * half;
        const float* s = sinTable + int64_t(rowPos_[size_t(r)]) * half;
        float* row = qkv_.data() + r * 3 * H;
        // Q then K; V keeps no position. x·cos + rotate_half(x)·sin, rotate_half(x) = (−x₂, x₁).
        for (int part = 0; part < 2; ++part) {
            for (int h = 0; h < heads; ++h) {
                float* x = row + part * H + h * D;
                for (int d = 0; d < half; ++d) {
                    const float a = x[d], b = x[d + half];
                    x[d] = a * c[d] - b * s[d];
                    x[d + half] = b * c[d] + a * s[d];
                }
            }
        }
    }
}

// The norms sit in the epilogues of the GEMMs before them, on the thread that computed the rows:
// mlp_norm after the attention's Wo + residual, the next layer's attn_norm (or final_norm) after
// the MLP's Wo + residual.
void CpuModernBertModel::encoderLayer(size_t index) {
    const Layer& L = layers_[index];
    const int H = config_.hiddenSize, I = config_.intermediateSize;
    float* hidden = hidden_.data();
    float* normed = normed_.data();
    float* tmp = tmp_.data();
    {
        TimedScope scope(timer_, "qkv_gemm");
        const float* in = L.attnNormGamma.empty() ? hidden : normed;   // layer 0: the embeddings as they are
        linear(in, rows_, H, L.qkvW.data(), L.qkvB.data(), 3 * H, qkv_.data(),
               [&](int64_t b, int64_t e) { applyRotary(b, e, L.global); });
    }
    {
        // The local layers' sliding-window attention is its own category, as on the GPU.
        TimedScope scope(timer_, L.global ? "attention" : "attention_local");
        AttentionShape shape = attentionShape();
        shape.window = L.global ? -1 : config_.modernBert.halfWindow();
        runAttention(shape);
    }
    {
        TimedScope scope(timer_, "attn_out_ln");
        linear(ctx_.data(), rows_, H, L.attnOutW.data(), L.attnOutB.data(), H, tmp, [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
                addLayerNormRow(hidden + r * H, tmp + r * H, normed + r * H, H, L.mlpNormGamma.data(),
                                L.mlpNormBeta.data(), eps_);
            }
        });
    }
    {
        TimedScope scope(timer_, "ffn_up_gelu");
        linear(normed, rows_, H, L.wiW.data(), L.wiB.data(), 2 * I, inter_.data(), [&](int64_t b, int64_t e) {
            geGluRows(inter_.data() + b * 2 * I, geglu_.data() + b * I, e - b, I);
        });
    }
    {
        TimedScope scope(timer_, "ffn_down_ln");
        const bool last = index + 1 == layers_.size();
        const float* gamma = last ? finalNormGamma_.data() : layers_[index + 1].attnNormGamma.data();
        const float* beta = last ? finalNormBeta_.data() : layers_[index + 1].attnNormBeta.data();
        float* out = last ? hidden : normed;   // final_norm in place: nothing reads the stream after it
        linear(geglu_.data(), rows_, I, L.mlpOutW.data(), L.mlpOutB.data(), H, tmp, [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) addLayerNormRow(hidden + r * H, tmp + r * H, out + r * H, H, gamma, beta, eps_);
        });
    }
}

void CpuModernBertModel::predictionHead(const float* in, int64_t rows, float* out) {
    const int H = config_.hiddenSize;
    linear(in, rows, H, headDenseW_.data(), headDenseB_.data(), H, out, [&](int64_t b, int64_t e) {
        activationInPlace(config_.classifierActivation, out + b * H, (e - b) * H);
        for (int64_t r = b; r < e; ++r)
            addLayerNormRow(out + r * H, nullptr, out + r * H, H, headNormGamma_.data(), headNormBeta_.data(), eps_);
    });
}

void CpuModernBertModel::head() {
    const int H = config_.hiddenSize;
    const std::vector<RowSegment> segments = outputSegments();
    switch (task_) {
    case Task::Encoder: padEncoderOutput(segments); break;
    case Task::Mlm:
        predictionHead(hidden_.data(), rows_, tmp_.data());
        // The decoder is tied to the token embeddings: logits = t · Embᵀ (+ bias with decoder_bias).
        linear(tmp_.data(), H, wordEmb_.data(), decoderB_.data(), config_.vocabSize, outputBuf_.data(), segments);
        break;
    case Task::TokenClassification:
        predictionHead(hidden_.data(), rows_, tmp_.data());
        linear(tmp_.data(), H, tokenClassifierW_.data(), tokenClassifierB_.data(), outWidth_, outputBuf_.data(), segments);
        break;
    case Task::Qa:
        predictionHead(hidden_.data(), rows_, tmp_.data());
        linear(tmp_.data(), H, qaW_.data(), qaB_.data(), 2, outputBuf_.data(), segments);
        break;
    case Task::Classification: {
        const bool mean = config_.modernBert.classifierPooling == "mean";
        for (int b = 0; b < batch_; ++b) {
            const float* first = hidden_.data() + firstRow(b) * H;
            float* pooled = pooledIn_.data() + int64_t(b) * H;
            if (!mean) {
                std::copy(first, first + H, pooled);
                continue;
            }
            // HF: Σ over the real tokens of the last hidden state, divided by their count.
            const int len = lengths_[size_t(b)];
            std::vector<double> sum(size_t(H), 0.0);
            for (int p = 0; p < len; ++p)
                for (int j = 0; j < H; ++j) sum[size_t(j)] += first[int64_t(p) * H + j];
            for (int j = 0; j < H; ++j) pooled[j] = float(sum[size_t(j)] / len);
        }
        predictionHead(pooledIn_.data(), batch_, pooled_.data());
        linear(pooled_.data(), batch_, H, classifierW_.data(), classifierB_.data(), outWidth_, outputBuf_.data());
        break;
    }
    }
}

} // namespace bertbench::cpu

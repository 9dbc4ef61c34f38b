#include "kernels/model/DeviceWeights.h"

#include <algorithm>
#include <string>

#include "core/util/Errors.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

namespace bertbench::cuda {

namespace {

constexpr size_t kAlign = 256;
size_t alignUp(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

class Fingerprint {
public:
    void add(const void* data, size_t bytes) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (size_t i = 0; i < bytes; ++i) hash_ = (hash_ ^ p[i]) * 1099511628211ull;
    }
    template <typename T> void value(T v) { add(&v, sizeof v); }
    void tensor(const Tensor& t) {
        value(t.numel());
        const size_t n = t.data.size();
        if (n == 0) return;
        const size_t step = std::max<size_t>(1, n / 61);
        for (size_t i = 0; i < n; i += step) value(t.data[i]);
        value(t.data[n - 1]);
    }
    uint64_t hash() const { return hash_; }

private:
    uint64_t hash_ = 1469598103934665603ull;
};

// One tensor of the arena: where its fp32 values come from and which pointer receives it.
struct Upload {
    std::vector<const Tensor*> parts;   // concatenated in this order (the fused QKV weight)
    int64_t numel = 0;
    const void** target = nullptr;
    size_t offset = 0;
};

// The list of uploads, each checked against the size the config implies.
class UploadList {
public:
    // optional: an empty tensor is skipped (a head the checkpoint does not have).
    void add(std::vector<const Tensor*> parts, int64_t expected, const void** target, const std::string& name,
             bool optional = false) {
        int64_t numel = 0;
        for (const Tensor* t : parts) numel += t->numel();
        if (numel == 0 && optional) return;
        if (numel != expected) {
            throw BackendError("weight " + name + " has " + std::to_string(numel) + " values, the config implies " +
                               std::to_string(expected));
        }
        uploads_.push_back(Upload{std::move(parts), numel, target, 0});
    }
    std::vector<Upload>& uploads() { return uploads_; }

private:
    std::vector<Upload> uploads_;
};

void addLayers(UploadList& list, const BertWeights& w, DeviceWeights& d) {
    const ModelConfig& c = w.config;
    const int64_t H = c.hiddenSize, I = c.intermediateSize;
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        DeviceLayer& o = d.layers[i];
        const std::string p = "layer " + std::to_string(i) + " ";
        list.add({&l.queryW, &l.keyW, &l.valueW}, 3 * H * H, &o.qkvW, p + "QKV weight");
        list.add({&l.queryB, &l.keyB, &l.valueB}, 3 * H, &o.qkvB, p + "QKV bias");
        list.add({&l.attnOutW}, H * H, &o.attnOutW, p + "attention output weight");
        list.add({&l.attnOutB}, H, &o.attnOutB, p + "attention output bias");
        list.add({&l.attnLnGamma}, H, &o.attnLnG, p + "attention LayerNorm weight");
        list.add({&l.attnLnBeta}, H, &o.attnLnB, p + "attention LayerNorm bias");
        list.add({&l.interW}, I * H, &o.interW, p + "intermediate weight");
        list.add({&l.interB}, I, &o.interB, p + "intermediate bias");
        list.add({&l.outW}, I * H, &o.outW, p + "output weight");
        list.add({&l.outB}, H, &o.outB, p + "output bias");
        list.add({&l.outLnGamma}, H, &o.outLnG, p + "output LayerNorm weight");
        list.add({&l.outLnBeta}, H, &o.outLnB, p + "output LayerNorm bias");
    }
}

// ModernBERT: token embeddings + norm, its pre-norm layers, final_norm, the prediction head, the
// decoder bias and the classifiers (BertWeights' fields). A bias the config does not declare is
// left null (no bias pass at all).
void addModernBert(UploadList& list, const BertWeights& w, DeviceWeights& d) {
    const ModelConfig& c = w.config;
    const ModernBertSettings& s = c.modernBert;
    const ModernBertWeights& m = w.modernBert;
    const int64_t H = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
    list.add({&w.wordEmb}, V * H, &d.wordEmb, "token embeddings");
    list.add({&w.embLnGamma}, H, &d.embLnG, "embeddings norm weight");
    if (s.normBias) list.add({&w.embLnBeta}, H, &d.embLnB, "embeddings norm bias");
    if (m.layers.size() != size_t(c.numLayers))
        throw BackendError("weights have " + std::to_string(m.layers.size()) + " ModernBERT layers, the config " +
                           std::to_string(c.numLayers));
    d.modernLayers.resize(m.layers.size());
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const ModernBertLayerWeights& l = m.layers[i];
        DeviceModernBertLayer& o = d.modernLayers[i];
        const std::string p = "layer " + std::to_string(i) + " ";
        o.global = i < s.globalLayers.size() ? bool(s.globalLayers[i]) : true;
        if (i > 0) {
            list.add({&l.attnNormGamma}, H, &o.attnNormG, p + "attn_norm weight");
            if (s.normBias) list.add({&l.attnNormBeta}, H, &o.attnNormB, p + "attn_norm bias");
        }
        list.add({&l.qkvW}, 3 * H * H, &o.qkvW, p + "Wqkv weight");
        if (s.attentionBias) list.add({&l.qkvB}, 3 * H, &o.qkvB, p + "Wqkv bias");
        list.add({&l.attnOutW}, H * H, &o.attnOutW, p + "attention Wo weight");
        if (s.attentionBias) list.add({&l.attnOutB}, H, &o.attnOutB, p + "attention Wo bias");
        list.add({&l.mlpNormGamma}, H, &o.mlpNormG, p + "mlp_norm weight");
        if (s.normBias) list.add({&l.mlpNormBeta}, H, &o.mlpNormB, p + "mlp_norm bias");
        list.add({&l.wiW}, 2 * I * H, &o.wiW, p + "Wi weight");
        if (s.mlpBias) list.add({&l.wiB}, 2 * I, &o.wiB, p + "Wi bias");
        list.add({&l.mlpOutW}, H * I, &o.mlpOutW, p + "MLP Wo weight");
        if (s.mlpBias) list.add({&l.mlpOutB}, H, &o.mlpOutB, p + "MLP Wo bias");
    }
    list.add({&m.finalNormGamma}, H, &d.finalNormG, "final_norm weight");
    if (s.normBias) list.add({&m.finalNormBeta}, H, &d.finalNormB, "final_norm bias");
    list.add({&m.headDenseW}, H * H, &d.headDenseW, "prediction head dense weight", true);
    if (s.classifierBias) list.add({&m.headDenseB}, H, &d.headDenseB, "prediction head dense bias", true);
    list.add({&m.headNormGamma}, H, &d.headNormG, "prediction head norm weight", true);
    if (s.normBias) list.add({&m.headNormBeta}, H, &d.headNormB, "prediction head norm bias", true);
    d.hasDecoder = m.hasDecoder;
    if (s.decoderBias) list.add({&w.mlmDecoderB}, V, &d.mlmDecoderB, "MLM decoder bias", true);
    d.classifierLabels = int(w.classifierW.numel() / H);
    d.tokenLabels = int(w.tokenClassifierW.numel() / H);
    list.add({&w.classifierW}, int64_t(d.classifierLabels) * H, &d.classifierW, "classifier weight", true);
    list.add({&w.classifierB}, d.classifierLabels, &d.classifierB, "classifier bias", true);
    list.add({&w.tokenClassifierW}, int64_t(d.tokenLabels) * H, &d.tokenClassifierW, "token classifier weight", true);
    list.add({&w.tokenClassifierB}, d.tokenLabels, &d.tokenClassifierB, "token classifier bias", true);
    list.add({&w.qaW}, 2 * H, &d.qaW, "QA weight", true);
    list.add({&w.qaB}, 2, &d.qaB, "QA bias", true);
}

void addEmbeddingsAndHeads(UploadList& list, const BertWeights& w, DeviceWeights& d) {
    const ModelConfig& c = w.config;
    const int64_t H = c.hiddenSize, V = c.vocabSize, E = c.embeddingWidth();
    list.add({&w.wordEmb}, V * E, &d.wordEmb, "word embeddings");
    list.add({&w.posEmb}, int64_t(c.maxPositions) * E, &d.posEmb, "position embeddings");
    if (c.hasTokenTypes()) list.add({&w.typeEmb}, int64_t(c.typeVocabSize) * E, &d.typeEmb, "token type embeddings");
    list.add({&w.embLnGamma}, E, &d.embLnG, "embeddings LayerNorm weight");
    list.add({&w.embLnBeta}, E, &d.embLnB, "embeddings LayerNorm bias");
    if (E != H) {
        list.add({&w.embProjW}, H * E, &d.embProjW, "embedding projection weight");
        list.add({&w.embProjB}, H, &d.embProjB, "embedding projection bias");
    }
    list.add({&w.poolerW}, H * H, &d.poolerW, "pooler weight", true);
    list.add({&w.poolerB}, H, &d.poolerB, "pooler bias", true);
    list.add({&w.mlmTransformW}, E * H, &d.mlmTransformW, "MLM transform weight", true);
    list.add({&w.mlmTransformB}, E, &d.mlmTransformB, "MLM transform bias", true);
    list.add({&w.mlmLnGamma}, E, &d.mlmLnG, "MLM LayerNorm weight", true);
    list.add({&w.mlmLnBeta}, E, &d.mlmLnB, "MLM LayerNorm bias", true);
    list.add({&w.mlmDecoderB}, V, &d.mlmDecoderB, "MLM decoder bias", true);
    d.classifierLabels = int(w.classifierW.numel() / H);
    d.tokenLabels = int(w.tokenClassifierW.numel() / H);
    list.add({&w.classifierW}, int64_t(d.classifierLabels) * H, &d.classifierW, "classifier weight", true);
    list.add({&w.classifierB}, d.classifierLabels, &d.classifierB, "classifier bias", true);
    list.add({&w.tokenClassifierW}, int64_t(d.tokenLabels) * H, &d.tokenClassifierW, "token classifier weight", true);
    list.add({&w.tokenClassifierB}, d.tokenLabels, &d.tokenClassifierB, "token classifier bias", true);
    list.add({&w.qaW}, 2 * H, &d.qaW, "QA weight", true);
    list.add({&w.qaB}, 2, &d.qaB, "QA bias", true);
}

} // namespace

uint64_t weightsFingerprint(const BertWeights& w, DType dtype) {
    Fingerprint f;
    const ModelConfig& c = w.config;
    for (int v : {c.vocabSize, c.hiddenSize, c.numLayers, c.numHeads, c.intermediateSize, c.maxPositions,
                  c.typeVocabSize, c.numLabels, c.positionOffset, c.embeddingWidth()})
        f.value(v);
    f.value(c.layerNormEps);
    f.add(c.modelType.data(), c.modelType.size());
    f.add(c.classifierActivation.data(), c.classifierActivation.size());
    f.value(int(dtype));
    for (const Tensor* t : {&w.wordEmb, &w.posEmb, &w.typeEmb, &w.embLnGamma, &w.embLnBeta, &w.embProjW, &w.embProjB,
                            &w.poolerW, &w.poolerB,
                            &w.mlmTransformW, &w.mlmTransformB, &w.mlmLnGamma, &w.mlmLnBeta, &w.mlmDecoderB,
                            &w.classifierW, &w.classifierB, &w.tokenClassifierW, &w.tokenClassifierB, &w.qaW, &w.qaB})
        f.tensor(*t);
    for (const LayerWeights& l : w.layers) {
        for (const Tensor* t : {&l.queryW, &l.queryB, &l.keyW, &l.keyB, &l.valueW, &l.valueB, &l.attnOutW, &l.attnOutB,
                                &l.attnLnGamma, &l.attnLnBeta, &l.interW, &l.interB, &l.outW, &l.outB, &l.outLnGamma,
                                &l.outLnBeta})
            f.tensor(*t);
    }
    const ModernBertWeights& m = w.modernBert;
    for (const ModernBertLayerWeights& l : m.layers) {
        for (const Tensor* t : {&l.attnNormGamma, &l.attnNormBeta, &l.qkvW, &l.qkvB, &l.attnOutW, &l.attnOutB,
                                &l.mlpNormGamma, &l.mlpNormBeta, &l.wiW, &l.wiB, &l.mlpOutW, &l.mlpOutB})
            f.tensor(*t);
    }
    for (const Tensor* t : {&m.finalNormGamma, &m.finalNormBeta, &m.headDenseW, &m.headDenseB, &m.headNormGamma,
                            &m.headNormBeta})
        f.tensor(*t);
    f.value(int(m.hasDecoder));
    const ModernBertSettings& s = c.modernBert;
    for (bool g : s.globalLayers) f.value(int(g));
    f.value(s.localAttention);
    f.value(s.globalRopeTheta);
    f.value(s.localRopeTheta);
    f.add(s.classifierPooling.data(), s.classifierPooling.size());
    return f.hash();
}

DeviceWeights uploadWeights(const BertWeights& weights, DType dtype, DeviceAllocator& allocator, DeviceBuffer& arena) {
    DeviceWeights d;
    UploadList list;
    if (weights.config.isModernBert()) {
        addModernBert(list, weights, d);
    } else {
        d.layers.resize(weights.layers.size());
        addEmbeddingsAndHeads(list, weights, d);
        addLayers(list, weights, d);
    }

    const size_t element = elementSize(dtype);
    size_t total = 0;
    for (Upload& u : list.uploads()) {
        u.offset = total;
        total += alignUp(size_t(u.numel) * element);
    }
    arena = DeviceBuffer(allocator, total, "weights (" + toString(dtype) + ")");
    auto* base = static_cast<unsigned char*>(arena.get());
    std::vector<unsigned char> staging;
    for (const Upload& u : list.uploads()) {
        staging.resize(size_t(u.numel) * element);
        size_t done = 0;
        for (const Tensor* t : u.parts) {
            convertFromFloat(dtype, t->ptr(), t->data.size(), staging.data() + done * element);
            done += t->data.size();
        }
        BB_CUDA_CHECK(cudaMemcpy(base + u.offset, staging.data(), staging.size(), cudaMemcpyHostToDevice));
        *u.target = base + u.offset;
    }
    return d;
}

} // namespace bertbench::cuda

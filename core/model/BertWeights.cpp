#include "core/model/BertWeights.h"

#include <algorithm>

#include "core/model/NormalFill.h"

namespace bertbench {

int64_t BertWeights::parameterBytes() const {
    int64_t n = wordEmb.numel() + posEmb.numel() + typeEmb.numel() + embLnGamma.numel() + embLnBeta.numel() +
                embProjW.numel() + embProjB.numel();
    for (const LayerWeights& l : layers) {
        for (const Tensor* t : {&l.queryW, &l.queryB, &l.keyW, &l.keyB, &l.valueW, &l.valueB, &l.attnOutW,
                                &l.attnOutB, &l.attnLnGamma, &l.attnLnBeta, &l.interW, &l.interB, &l.outW,
                                &l.outB, &l.outLnGamma, &l.outLnBeta}) {
            n += t->numel();
        }
    }
    for (const Tensor* t : {&poolerW, &poolerB, &mlmTransformW, &mlmTransformB, &mlmLnGamma, &mlmLnBeta,
                            &mlmDecoderB, &classifierW, &classifierB, &tokenClassifierW, &tokenClassifierB, &qaW,
                            &qaB}) {
        n += t->numel();
    }
    const ModernBertWeights& m = modernBert;
    for (const ModernBertLayerWeights& l : m.layers) {
        for (const Tensor* t : {&l.attnNormGamma, &l.attnNormBeta, &l.qkvW, &l.qkvB, &l.attnOutW, &l.attnOutB,
                                &l.mlpNormGamma, &l.mlpNormBeta, &l.wiW, &l.wiB, &l.mlpOutW, &l.mlpOutB}) {
            n += t->numel();
        }
    }
    for (const Tensor* t : {&m.finalNormGamma, &m.finalNormBeta, &m.headDenseW, &m.headDenseB, &m.headNormGamma,
                            &m.headNormBeta}) {
        n += t->numel();
    }
    return n * int64_t(sizeof(float));
}

namespace {

constexpr float kInitStd = 0.02f;   // BertConfig.initializer_range

Tensor filled(std::vector<int64_t> shape, float value) {
    Tensor t(std::move(shape));
    std::fill(t.data.begin(), t.data.end(), value);
    return t;
}

// A tensor of `shape` when the config has it (a bias it declares), else empty.
Tensor zerosIf(bool present, std::vector<int64_t> shape) { return present ? filled(std::move(shape), 0.0f) : Tensor(); }

void fillNormalInOrder(const std::vector<Tensor*>& normal, uint64_t seed) {
    std::vector<NormalFillJob> jobs;
    for (size_t i = 0; i < normal.size(); ++i) {
        jobs.push_back({normal[i]->ptr(), normal[i]->data.size(), kInitStd, mixSeed(mixSeed(seed) + i)});
    }
    fillNormal(jobs);
}

// ModernBERT's shapes: no position or type tables, pre-norm layers, biases only where declared,
// one prediction head for every task, the decoder tied to the word embeddings.
BertWeights randomModernBert(const ModelConfig& config, uint64_t seed) {
    const int64_t h = config.hiddenSize, inter = config.intermediateSize, v = config.vocabSize;
    const int64_t labels = config.numLabels;
    const ModernBertSettings& s = config.modernBert;
    BertWeights w;
    w.config = config;
    ModernBertWeights& m = w.modernBert;
    std::vector<Tensor*> normal;

    w.wordEmb = Tensor({v, h});
    w.embLnGamma = filled({h}, 1.0f);
    w.embLnBeta = zerosIf(s.normBias, {h});
    normal.push_back(&w.wordEmb);
    m.layers.resize(size_t(config.numLayers));
    for (size_t i = 0; i < m.layers.size(); ++i) {
        ModernBertLayerWeights& l = m.layers[i];
        if (i > 0) {   // layer 0 reads the embeddings' norm: its attn_norm is the identity
            l.attnNormGamma = filled({h}, 1.0f);
            l.attnNormBeta = zerosIf(s.normBias, {h});
        }
        l.qkvW = Tensor({3 * h, h});
        l.qkvB = zerosIf(s.attentionBias, {3 * h});
        l.attnOutW = Tensor({h, h});
        l.attnOutB = zerosIf(s.attentionBias, {h});
        l.mlpNormGamma = filled({h}, 1.0f);
        l.mlpNormBeta = zerosIf(s.normBias, {h});
        l.wiW = Tensor({2 * inter, h});
        l.wiB = zerosIf(s.mlpBias, {2 * inter});
        l.mlpOutW = Tensor({h, inter});
        l.mlpOutB = zerosIf(s.mlpBias, {h});
        normal.insert(normal.end(), {&l.qkvW, &l.attnOutW, &l.wiW, &l.mlpOutW});
    }
    m.finalNormGamma = filled({h}, 1.0f);
    m.finalNormBeta = zerosIf(s.normBias, {h});
    m.headDenseW = Tensor({h, h});
    m.headDenseB = zerosIf(s.classifierBias, {h});
    m.headNormGamma = filled({h}, 1.0f);
    m.headNormBeta = zerosIf(s.normBias, {h});
    m.hasDecoder = true;
    w.mlmDecoderB = zerosIf(s.decoderBias, {v});
    w.classifierW = Tensor({labels, h});
    w.classifierB = filled({labels}, 0.0f);
    w.tokenClassifierW = Tensor({labels, h});
    w.tokenClassifierB = filled({labels}, 0.0f);
    w.qaW = Tensor({2, h});
    w.qaB = filled({2}, 0.0f);
    normal.insert(normal.end(), {&m.headDenseW, &w.classifierW, &w.tokenClassifierW, &w.qaW});
    fillNormalInOrder(normal, seed);
    if (config.padTokenId >= 0) std::fill_n(w.wordEmb.ptr() + int64_t(config.padTokenId) * h, h, 0.0f);
    return w;
}

} // namespace

BertWeights randomWeights(const ModelConfig& config, uint64_t seed) {
    config.validate();
    if (config.isModernBert()) return randomModernBert(config, seed);
    const int64_t h = config.hiddenSize, inter = config.intermediateSize, v = config.vocabSize;
    const int64_t labels = config.numLabels;
    const int64_t e = config.embeddingWidth();   // hidden_size but in ELECTRA

    BertWeights w;
    w.config = config;
    std::vector<Tensor*> normal;   // every tensor drawn from N(0, 0.02), in a fixed order (seeds)

    w.wordEmb = Tensor({v, e});
    w.posEmb = Tensor({config.maxPositions, e});
    w.typeEmb = Tensor({config.typeVocabSize, e});
    w.embLnGamma = filled({e}, 1.0f);
    w.embLnBeta = filled({e}, 0.0f);
    normal.insert(normal.end(), {&w.wordEmb, &w.posEmb, &w.typeEmb});

    w.layers.resize(size_t(config.numLayers));
    for (LayerWeights& l : w.layers) {
        l.queryW = Tensor({h, h});
        l.keyW = Tensor({h, h});
        l.valueW = Tensor({h, h});
        l.attnOutW = Tensor({h, h});
        l.interW = Tensor({inter, h});
        l.outW = Tensor({h, inter});
        l.queryB = filled({h}, 0.0f);
        l.keyB = filled({h}, 0.0f);
        l.valueB = filled({h}, 0.0f);
        l.attnOutB = filled({h}, 0.0f);
        l.interB = filled({inter}, 0.0f);
        l.outB = filled({h}, 0.0f);
        l.attnLnGamma = filled({h}, 1.0f);
        l.attnLnBeta = filled({h}, 0.0f);
        l.outLnGamma = filled({h}, 1.0f);
        l.outLnBeta = filled({h}, 0.0f);
        normal.insert(normal.end(), {&l.queryW, &l.keyW, &l.valueW, &l.attnOutW, &l.interW, &l.outW});
    }

    w.poolerW = Tensor({h, h});
    w.poolerB = filled({h}, 0.0f);
    w.mlmTransformW = Tensor({e, h});
    w.mlmTransformB = filled({e}, 0.0f);
    w.mlmLnGamma = filled({e}, 1.0f);
    w.mlmLnBeta = filled({e}, 0.0f);
    w.mlmDecoderB = filled({v}, 0.0f);
    w.classifierW = Tensor({labels, h});
    w.classifierB = filled({labels}, 0.0f);
    w.tokenClassifierW = Tensor({labels, h});
    w.tokenClassifierB = filled({labels}, 0.0f);
    w.qaW = Tensor({2, h});
    w.qaB = filled({2}, 0.0f);
    normal.insert(normal.end(), {&w.poolerW, &w.mlmTransformW, &w.classifierW, &w.tokenClassifierW, &w.qaW});
    if (e != h) {   // ELECTRA's projection from the embeddings to the encoder (last: BERT's draws stay)
        w.embProjW = Tensor({h, e});
        w.embProjB = filled({h}, 0.0f);
        normal.push_back(&w.embProjW);
    }

    fillNormalInOrder(normal, seed);

    // HF zeroes the padding token's embedding row.
    if (config.padTokenId >= 0) {
        std::fill_n(w.wordEmb.ptr() + int64_t(config.padTokenId) * h, h, 0.0f);
    }
    return w;
}

} // namespace bertbench

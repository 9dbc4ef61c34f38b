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
    return n * int64_t(sizeof(float));
}

namespace {

constexpr float kInitStd = 0.02f;   // BertConfig.initializer_range

Tensor filled(std::vector<int64_t> shape, float value) {
    Tensor t(std::move(shape));
    std::fill(t.data.begin(), t.data.end(), value);
    return t;
}

} // namespace

BertWeights randomWeights(const ModelConfig& config, uint64_t seed) {
    config.validate();
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

    std::vector<NormalFillJob> jobs;
    for (size_t i = 0; i < normal.size(); ++i) {
        jobs.push_back({normal[i]->ptr(), normal[i]->data.size(), kInitStd, mixSeed(mixSeed(seed) + i)});
    }
    fillNormal(jobs);

    // HF zeroes the padding token's embedding row.
    if (config.padTokenId >= 0) {
        std::fill_n(w.wordEmb.ptr() + int64_t(config.padTokenId) * h, h, 0.0f);
    }
    return w;
}

} // namespace bertbench

#pragma once
// All parameters of a BERT model and its five task heads, host fp32, HF layout:
// a Linear weight is [out_features, in_features] row-major (y = x·Wᵀ + b).
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/ModelConfig.h"
#include "core/model/Tensor.h"

namespace bertbench {

struct LayerWeights {
    Tensor queryW, queryB, keyW, keyB, valueW, valueB;   // [H,H], [H]
    Tensor attnOutW, attnOutB, attnLnGamma, attnLnBeta;  // [H,H], [H], [H], [H]
    Tensor interW, interB;                               // [I,H], [I]
    Tensor outW, outB, outLnGamma, outLnBeta;            // [H,I], [H], [H], [H]
};

struct BertWeights {
    ModelConfig config;
    Tensor wordEmb;      // [V,H]
    Tensor posEmb;       // [P,H]
    Tensor typeEmb;      // [T,H]
    Tensor embLnGamma, embLnBeta;
    std::vector<LayerWeights> layers;

    // Heads; an empty tensor means "this checkpoint has no such head".
    Tensor poolerW, poolerB;                          // [H,H], [H]   (classification)
    Tensor mlmTransformW, mlmTransformB;              // [H,H], [H]   (cls.predictions.transform.dense)
    Tensor mlmLnGamma, mlmLnBeta;                     // [H]          (cls.predictions.transform.LayerNorm)
    Tensor mlmDecoderB;                               // [V]; decoder weight is tied to wordEmb
    Tensor classifierW, classifierB;                  // [L,H], [L]   (sequence classification)
    Tensor tokenClassifierW, tokenClassifierB;        // [L,H], [L]
    Tensor qaW, qaB;                                  // [2,H], [2]

    // Total bytes of fp32 parameters (what a backend uploads).
    int64_t parameterBytes() const;
};

// HF initialisation: normal(0, initializer_range=0.02) for Linear and Embedding weights
// (padding row of the word embedding zeroed, as HF does), biases 0, LayerNorm 1/0.
// All heads are filled. Deterministic for a seed on every platform.
BertWeights randomWeights(const ModelConfig& config, uint64_t seed);

// A HuggingFace checkpoint folder: config.json + model.safetensors (fp32/fp16/bf16).
// Accepts names with or without the "bert." prefix and the heads' names
// (cls.predictions.*, bert.pooler.*, classifier.*, qa_outputs.*). Checks every shape
// against the config. `classifier.*` is the token classifier when config.json's
// "architectures" names BertForTokenClassification, else the sequence classifier.
// Throws InputError naming the file, the tensor and the problem.
BertWeights loadHfCheckpoint(const std::string& folder);

} // namespace bertbench

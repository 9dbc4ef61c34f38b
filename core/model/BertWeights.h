#pragma once
// All parameters of a BERT-family model and its five task heads, host fp32, HF layout:
// a Linear weight is [out_features, in_features] row-major (y = x·Wᵀ + b). E is the embedding
// width: hidden_size, or ELECTRA's embedding_size. Each architecture's weight names map onto these
// fields (core/model/CheckpointNames.cpp): RoBERTa's classifier.dense and DistilBERT's
// pre_classifier are the "pooler", ELECTRA's generator_predictions the MLM transform.
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

// ModernBERT's pre-norm layer (HF's names in brackets). A bias or a LayerNorm bias is empty where
// the config has none (attention_bias, mlp_bias, norm_bias: HF's default is none).
struct ModernBertLayerWeights {
    Tensor attnNormGamma, attnNormBeta;   // [H] (attn_norm); empty in layer 0, where it is the identity
    Tensor qkvW, qkvB;                    // [3H,H], [3H] (attn.Wqkv: the Q rows, then K, then V)
    Tensor attnOutW, attnOutB;            // [H,H], [H] (attn.Wo)
    Tensor mlpNormGamma, mlpNormBeta;     // [H] (mlp_norm)
    Tensor wiW, wiB;                      // [2I,H], [2I] (mlp.Wi: GeGLU's input rows, then its gate rows)
    Tensor mlpOutW, mlpOutB;              // [H,I], [H] (mlp.Wo)
};

// What ModernBERT has beyond the embeddings and the classifiers it shares with BERT's fields.
struct ModernBertWeights {
    std::vector<ModernBertLayerWeights> layers;
    Tensor finalNormGamma, finalNormBeta;    // [H] (final_norm)
    // The prediction head (head.dense, activation, head.norm) that every task head reads: the MLM
    // decoder, the classifiers and QA. Dense bias with classifier_bias, norm bias with norm_bias.
    Tensor headDenseW, headDenseB;           // [H,H], [H]
    Tensor headNormGamma, headNormBeta;      // [H]
    // The MLM decoder (tied to the word embeddings, bias in BertWeights::mlmDecoderB when
    // decoder_bias) belongs to this model: a *ForMaskedLM checkpoint, or random weights.
    bool hasDecoder = false;
};

struct BertWeights {
    ModelConfig config;
    Tensor wordEmb;      // [V,E]
    Tensor posEmb;       // [P,E]
    Tensor typeEmb;      // [T,E]; empty when the architecture has no token types
    Tensor embLnGamma, embLnBeta;   // [E]
    Tensor embProjW, embProjB;      // [H,E], [H]: ELECTRA when E ≠ H, else empty
    std::vector<LayerWeights> layers;

    // Heads; an empty tensor means "this checkpoint has no such head".
    Tensor poolerW, poolerB;                          // [H,H], [H]   (classification, on the first token)
    Tensor mlmTransformW, mlmTransformB;              // [E,H], [E]   (cls.predictions.transform.dense)
    Tensor mlmLnGamma, mlmLnBeta;                     // [E]          (cls.predictions.transform.LayerNorm)
    Tensor mlmDecoderB;                               // [V]; decoder weight is tied to wordEmb
    Tensor classifierW, classifierB;                  // [L,H], [L]   (sequence classification)
    Tensor tokenClassifierW, tokenClassifierB;        // [L,H], [L]
    Tensor qaW, qaB;                                  // [2,H], [2]

    // ModernBERT (config.isModernBert()): its layers and prediction head. It uses wordEmb,
    // embLnGamma/Beta (embeddings.norm; no beta without norm_bias), mlmDecoderB and the
    // classifiers above; posEmb, typeEmb, layers, pooler and the MLM transform stay empty.
    ModernBertWeights modernBert;

    // Total bytes of fp32 parameters (what a backend uploads).
    int64_t parameterBytes() const;
};

// HF initialisation: normal(0, initializer_range=0.02) for Linear and Embedding weights
// (padding row of the word embedding zeroed, as HF does), biases 0, LayerNorm 1/0.
// All heads are filled. ModernBERT: its own layers, biases only where the config has them. Deterministic for a seed on every platform.
BertWeights randomWeights(const ModelConfig& config, uint64_t seed);

// A HuggingFace checkpoint folder: config.json + model.safetensors (fp32/fp16/bf16) of a
// supported model_type. Accepts the encoder's names with or without the base model's prefix
// ("bert.", "roberta.", "distilbert.", "electra.") and each architecture's head names. Checks every
// shape against the config. A plain `classifier.*` is the token classifier when config.json's
// "architectures" names a *ForTokenClassification, else the sequence classifier (ModernBERT: the
// QA head too, in a *ForQuestionAnswering).
// Throws InputError naming the file, the tensor and the problem.
BertWeights loadHfCheckpoint(const std::string& folder);

} // namespace bertbench

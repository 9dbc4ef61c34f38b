#pragma once
// Hyper-parameters of a BERT-family encoder: presets, HuggingFace config.json, validation.
//
// The BERT family (bert, roberta, xlm-roberta, camembert, distilbert, electra) runs BERT's
// post-norm encoder layers; they differ in the embeddings (position ids counted from
// pad_token_id + 1 in the RoBERTa family, no token types in DistilBERT, ELECTRA's embedding_size
// with a projection to hidden_size), the activation of the sequence classifier's first dense
// layer, the weight names (core/model/CheckpointNames.cpp) and which heads transformers has.
// ModernBERT is a different layer: pre-norm, rotary positions, alternating global and
// sliding-window attention, GeGLU (ModernBertSettings below).
#include <string>
#include <vector>

namespace bertbench {

// What only ModernBERT has (model_type "modernbert"). Its config.json comes in two forms: the
// original fields (global_attn_every_n_layers, global_rope_theta, local_rope_theta) and
// transformers 5's (layer_types per layer, rope_parameters per layer type); both end up here.
struct ModernBertSettings {
    // Per layer: true = global attention over the whole sequence ("full_attention"), false = a
    // sliding window ("sliding_attention"). Without layer_types: every
    // global_attn_every_n_layers-th layer (0, 3, 6, ...) is global.
    std::vector<bool> globalLayers;
    // local_attention: the window's width. A query at position i sees the keys at |i − j| <=
    // local_attention / 2 (HF's sliding-window mask, flash_attn's window_size (w/2, w/2)).
    int localAttention = 128;
    // The rotary embeddings' bases (rope_theta) of the global and the local layers.
    double globalRopeTheta = 160000.0;
    double localRopeTheta = 10000.0;
    // Which layers carry a bias; HF's defaults are none but the decoder's. A LayerNorm without a
    // bias still has its weight.
    bool normBias = false;        // every LayerNorm (embeddings, attn_norm, mlp_norm, final_norm, head)
    bool attentionBias = false;   // Wqkv and the attention's Wo
    bool mlpBias = false;         // Wi and the MLP's Wo
    bool classifierBias = false;  // the prediction head's dense layer (the classifiers always have one)
    bool decoderBias = true;      // the MLM decoder
    // How the sequence classifier pools the last hidden state: "cls" (the first token) or "mean"
    // (over the real tokens).
    std::string classifierPooling = "cls";

    int halfWindow() const { return localAttention / 2; }
};

struct ModelConfig {
    std::string name = "tiny";        // preset name or the checkpoint folder it came from
    // bert, roberta, xlm-roberta, camembert, distilbert, electra or modernbert (config.json's model_type).
    std::string modelType = "bert";
    int vocabSize = 30522;
    int hiddenSize = 128;
    int numLayers = 2;
    int numHeads = 2;
    int intermediateSize = 512;
    // max_position_embeddings: the position table's rows; ModernBERT has no table (rotary
    // positions), only this longest sequence.
    int maxPositions = 512;
    int typeVocabSize = 2;            // 0: the architecture has no token types (DistilBERT, ModernBERT)
    double layerNormEps = 1e-12;      // ModernBERT: norm_eps
    // Only exact (erf) GELU is supported. ModernBERT: hidden_activation, GeGLU's activation.
    std::string hiddenAct = "gelu";
    int numLabels = 2;                // classification / token_classification head width
    int padTokenId = 0;
    std::vector<std::string> architectures;  // from config.json, e.g. "BertForMaskedLM"
    // The first position id: 0 in BERT, pad_token_id + 1 in the RoBERTa family (HF's
    // create_position_ids_from_input_ids over right-padded rows).
    int positionOffset = 0;
    // ELECTRA's embedding_size when it differs from hidden_size (then a projection follows the
    // embeddings' LayerNorm); 0 = hidden_size.
    int embeddingSize = 0;
    // The activation after the sequence classifier's first dense layer on the first token: tanh
    // (BERT's pooler, RoBERTa's head), relu (DistilBERT's pre_classifier), gelu (ELECTRA).
    // ModernBERT: classifier_activation, the prediction head's (every task head reads that head).
    std::string classifierActivation = "tanh";
    ModernBertSettings modernBert;    // model_type modernbert only

    bool isModernBert() const { return modelType == "modernbert"; }

    int headDim() const { return hiddenSize / numHeads; }
    int embeddingWidth() const { return embeddingSize > 0 ? embeddingSize : hiddenSize; }
    bool hasTokenTypes() const { return typeVocabSize > 0; }
    // The longest sequence: the position table's rows from the first position id on, or
    // ModernBERT's max_position_embeddings (8,192 in its checkpoints).
    int maxSequenceLength() const { return maxPositions - positionOffset; }
    // Throws ConfigError naming the field and the rule it breaks.
    void validate() const;

private:
    void validateModernBert() const;
};

// "tiny", "bert-base", "bert-large", "bert-base-cased", "bert-large-cased", and the family at real
// shapes: "roberta-base", "roberta-large", "xlm-roberta-base", "distilbert-base", "electra-base",
// "electra-small" (discriminators), "modernbert-base", "modernbert-large".
std::vector<std::string> presetNames();
bool isPreset(const std::string& name);
// Throws ConfigError for an unknown name (the message lists the presets).
ModelConfig presetConfig(const std::string& name);
// The model types parseHfConfig reads.
std::vector<std::string> supportedModelTypes();
// Reads a HuggingFace config.json of a supported model_type; validates it. Throws ConfigError
// naming the field for anything the kernels cannot honour.
ModelConfig loadHfConfig(const std::string& configJsonPath);
ModelConfig parseHfConfig(const std::string& jsonText, const std::string& sourceName);

} // namespace bertbench

#pragma once
// Hyper-parameters of a BERT-family encoder: presets, HuggingFace config.json, validation.
//
// Every architecture here runs BERT's post-norm encoder layers; they differ in the embeddings
// (position ids counted from pad_token_id + 1 in the RoBERTa family, no token types in
// DistilBERT, ELECTRA's embedding_size with a projection to hidden_size), the activation of the
// sequence classifier's first dense layer, the weight names (core/model/CheckpointNames.cpp) and
// which heads transformers has.
#include <string>
#include <vector>

namespace bertbench {

struct ModelConfig {
    std::string name = "tiny";        // preset name or the checkpoint folder it came from
    // bert, roberta, xlm-roberta, camembert, distilbert or electra (config.json's model_type).
    std::string modelType = "bert";
    int vocabSize = 30522;
    int hiddenSize = 128;
    int numLayers = 2;
    int numHeads = 2;
    int intermediateSize = 512;
    int maxPositions = 512;
    int typeVocabSize = 2;            // 0: the architecture has no token types (DistilBERT)
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu";   // only exact (erf) GELU is supported
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
    std::string classifierActivation = "tanh";

    int headDim() const { return hiddenSize / numHeads; }
    int embeddingWidth() const { return embeddingSize > 0 ? embeddingSize : hiddenSize; }
    bool hasTokenTypes() const { return typeVocabSize > 0; }
    // The longest sequence the position table holds.
    int maxSequenceLength() const { return maxPositions - positionOffset; }
    // Throws ConfigError naming the field and the rule it breaks.
    void validate() const;
};

// "tiny", "bert-base", "bert-large", "bert-base-cased", "bert-large-cased", and the family at real
// shapes: "roberta-base", "roberta-large", "xlm-roberta-base", "distilbert-base", "electra-base",
// "electra-small" (discriminators).
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

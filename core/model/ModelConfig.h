#pragma once
// BERT architecture hyper-parameters: presets, HuggingFace config.json, validation.
#include <string>
#include <vector>

namespace bertbench {

struct ModelConfig {
    std::string name = "tiny";        // preset name or the checkpoint folder it came from
    int vocabSize = 30522;
    int hiddenSize = 128;
    int numLayers = 2;
    int numHeads = 2;
    int intermediateSize = 512;
    int maxPositions = 512;
    int typeVocabSize = 2;
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu";   // only exact (erf) GELU is supported
    int numLabels = 2;                // classification / token_classification head width
    int padTokenId = 0;
    std::vector<std::string> architectures;  // from config.json, e.g. "BertForMaskedLM"

    int headDim() const { return hiddenSize / numHeads; }
    // Throws ConfigError naming the field and the rule it breaks.
    void validate() const;
};

// "tiny", "bert-base", "bert-large", "bert-base-cased", "bert-large-cased".
std::vector<std::string> presetNames();
bool isPreset(const std::string& name);
// Throws ConfigError for an unknown name (the message lists the presets).
ModelConfig presetConfig(const std::string& name);
// Reads a HuggingFace BertConfig JSON file; validates it. Throws ConfigError.
ModelConfig loadHfConfig(const std::string& configJsonPath);
ModelConfig parseHfConfig(const std::string& jsonText, const std::string& sourceName);

} // namespace bertbench

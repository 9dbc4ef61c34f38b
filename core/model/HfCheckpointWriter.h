#pragma once
// BertWeights → a HuggingFace checkpoint folder (config.json + model.safetensors), so that
// transformers' from_pretrained loads exactly the weights the other backends compute with.
// loadHfCheckpoint (BertWeights.h) reads the folder back.
#include <string>

#include "core/model/BertWeights.h"

namespace bertbench {

// The file names inside the folder.
inline constexpr const char* kHfConfigFile = "config.json";
inline constexpr const char* kHfWeightsFile = "model.safetensors";
// HF names both classifiers `classifier.*`, so one file cannot hold both: the sequence classifier
// goes into model.safetensors and the token classifier, under the same names, into this file.
inline constexpr const char* kTokenClassifierFile = "token_classifier.safetensors";

// HF BertConfig JSON for `config` (model_type bert, every size, eps, id2label for num_labels).
std::string hfConfigJson(const ModelConfig& config);

// Writes config.json, model.safetensors (encoder under "bert.", pooler, cls.predictions.*,
// classifier.*, qa_outputs.*: the heads that are present) and, when the weights hold a token
// classifier, token_classifier.safetensors. The folder is created if needed. Returns whether the
// token classifier file was written. Throws InputError naming the file on a write failure.
bool writeHfCheckpoint(const BertWeights& weights, const std::string& folder);

} // namespace bertbench

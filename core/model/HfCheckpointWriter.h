#pragma once
// BertWeights → a HuggingFace checkpoint folder (config.json + model.safetensors) of the model's
// architecture, so that transformers' from_pretrained of that architecture's classes loads exactly
// the weights the other backends compute with.
// loadHfCheckpoint (BertWeights.h) reads the folder back.
#include <string>

#include "core/model/BertWeights.h"

namespace bertbench {

// The file names inside the folder.
inline constexpr const char* kHfConfigFile = "config.json";
inline constexpr const char* kHfWeightsFile = "model.safetensors";
// HF names both classifiers `classifier.*` (BERT, DistilBERT), so one file cannot hold both: the
// sequence classifier goes into model.safetensors and the token classifier, under its own names,
// into this file (every architecture, so the worker has one way to load it).
inline constexpr const char* kTokenClassifierFile = "token_classifier.safetensors";
// ModernBERT names its QA head `classifier` as well: it goes into this file (ModernBERT only; the
// worker copies it into ModernBertForQuestionAnswering's classifier).
inline constexpr const char* kQaHeadFile = "qa_head.safetensors";

// The config.json of config's architecture, as transformers' save_pretrained writes it:
// model_type (bert, roberta, xlm-roberta, camembert, distilbert, electra, modernbert), every size in
// that config class's names (DistilBERT's dim, n_layers, ...; ELECTRA's embedding_size; ModernBERT's
// layer_types and rope_parameters as transformers 5 writes them, its original fields beside), eps,
// pad_token_id, id2label for num_labels. Throws ConfigError for another model_type.
std::string hfConfigJson(const ModelConfig& config);

// Writes config.json, model.safetensors (the encoder under the architecture's base prefix, the
// heads that are present under its names: CheckpointNames) and, when the weights hold a token
// classifier, token_classifier.safetensors. The folder is created if needed. Returns whether the
// token classifier file was written. Throws InputError naming the file on a write failure,
// ConfigError for a model_type it does not write.
bool writeHfCheckpoint(const BertWeights& weights, const std::string& folder);

} // namespace bertbench

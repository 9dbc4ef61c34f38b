#pragma once
// HuggingFace's tensor names of each architecture, as save_pretrained writes them, mapped onto
// BertWeights' fields: one table an architecture, read by loadHfCheckpoint. Encoder names are
// relative to the base model (written with its prefix, e.g. "roberta.", in task models and
// without it in a bare *Model); head names are absolute.
#include <string>
#include <vector>

namespace bertbench {

struct CheckpointNames {
    std::string basePrefix;                 // "bert.", "roberta.", "distilbert.", "electra.", "model."
    std::vector<std::string> encoderRoots;  // first name parts that belong to the base model
    std::string wordEmb, posEmb, typeEmb;   // full tensor names (".weight")
    std::string embLn;                      // + ".weight" / ".bias"
    std::string embProj;                    // ELECTRA: + ".weight" / ".bias"; empty elsewhere
    std::string layer;                      // "encoder.layer." + i + "."
    std::string query, key, value, attnOut, attnLn, inter, out, outLn;   // + ".weight" / ".bias"
    // ModernBERT: Q, K and V in one matrix, and the norm after the last layer. Its attnLn and
    // outLn are the pre-norms (attn_norm, mlp_norm), inter and out GeGLU's Wi and Wo.
    std::string qkv, finalNorm;
    std::string seqPooler;                  // the sequence classifier's first dense layer
    std::string seqClassifier;              // its output layer
    std::string tokenClassifier, qa;
    std::string mlmDense, mlmLn;            // the MLM transform and its LayerNorm (ModernBERT: the
                                            // prediction head every task head reads)
    std::vector<std::string> mlmBias;       // the decoder bias under its possible (tied) names
    std::string mlmDecoder;                 // the decoder weight, tied to the word embeddings
};

// The table of a supported model_type (ModelConfig::modelType).
CheckpointNames checkpointNamesFor(const std::string& modelType);

} // namespace bertbench

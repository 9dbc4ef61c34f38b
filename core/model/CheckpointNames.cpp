#include "core/model/CheckpointNames.h"

#include "core/util/Errors.h"

namespace bertbench {

namespace {

// BERT's encoder names, which RoBERTa, XLM-R, CamemBERT and ELECTRA keep.
CheckpointNames bertEncoder(const std::string& prefix) {
    CheckpointNames n;
    n.basePrefix = prefix;
    n.encoderRoots = {"embeddings.", "encoder.", "pooler.", "embeddings_project."};
    n.wordEmb = "embeddings.word_embeddings.weight";
    n.posEmb = "embeddings.position_embeddings.weight";
    n.typeEmb = "embeddings.token_type_embeddings.weight";
    n.embLn = "embeddings.LayerNorm";
    n.layer = "encoder.layer.";
    n.query = "attention.self.query";
    n.key = "attention.self.key";
    n.value = "attention.self.value";
    n.attnOut = "attention.output.dense";
    n.attnLn = "attention.output.LayerNorm";
    n.inter = "intermediate.dense";
    n.out = "output.dense";
    n.outLn = "output.LayerNorm";
    n.tokenClassifier = "classifier";
    n.qa = "qa_outputs";
    return n;
}

// RoBERTa's and ELECTRA's sequence classifier: dense + activation + out_proj on the first token.
void firstTokenClassifier(CheckpointNames& n) {
    n.seqPooler = "classifier.dense";
    n.seqClassifier = "classifier.out_proj";
}

} // namespace

CheckpointNames checkpointNamesFor(const std::string& type) {
    if (type == "bert") {
        CheckpointNames n = bertEncoder("bert.");
        n.seqPooler = "pooler.dense";   // in the base model
        n.seqClassifier = "classifier";
        n.mlmDense = "cls.predictions.transform.dense";
        n.mlmLn = "cls.predictions.transform.LayerNorm";
        n.mlmBias = {"cls.predictions.bias", "cls.predictions.decoder.bias"};
        n.mlmDecoder = "cls.predictions.decoder.weight";
        return n;
    }
    if (type == "roberta" || type == "xlm-roberta" || type == "camembert") {
        // XLM-R and CamemBERT are RoBERTa's classes under other names (base_model_prefix "roberta").
        CheckpointNames n = bertEncoder("roberta.");
        firstTokenClassifier(n);
        n.mlmDense = "lm_head.dense";
        n.mlmLn = "lm_head.layer_norm";
        n.mlmBias = {"lm_head.bias", "lm_head.decoder.bias"};
        n.mlmDecoder = "lm_head.decoder.weight";
        return n;
    }
    if (type == "electra") {
        CheckpointNames n = bertEncoder("electra.");
        n.embProj = "embeddings_project";
        firstTokenClassifier(n);
        n.mlmDense = "generator_predictions.dense";
        n.mlmLn = "generator_predictions.LayerNorm";
        n.mlmBias = {"generator_lm_head.bias"};
        n.mlmDecoder = "generator_lm_head.weight";
        return n;
    }
    if (type == "distilbert") {
        CheckpointNames n;
        n.basePrefix = "distilbert.";
        n.encoderRoots = {"embeddings.", "transformer."};
        n.wordEmb = "embeddings.word_embeddings.weight";
        n.posEmb = "embeddings.position_embeddings.weight";
        n.embLn = "embeddings.LayerNorm";
        n.layer = "transformer.layer.";
        n.query = "attention.q_lin";
        n.key = "attention.k_lin";
        n.value = "attention.v_lin";
        n.attnOut = "attention.out_lin";
        n.attnLn = "sa_layer_norm";
        n.inter = "ffn.lin1";
        n.out = "ffn.lin2";
        n.outLn = "output_layer_norm";
        n.seqPooler = "pre_classifier";
        n.seqClassifier = "classifier";
        n.tokenClassifier = "classifier";
        n.qa = "qa_outputs";
        n.mlmDense = "vocab_transform";
        n.mlmLn = "vocab_layer_norm";
        n.mlmBias = {"vocab_projector.bias"};
        n.mlmDecoder = "vocab_projector.weight";
        return n;
    }
    if (type == "modernbert") {
        // Every task model puts its head (head.dense, head.norm) before its own output layer:
        // decoder (MLM), or classifier (sequence and token classification, QA).
        CheckpointNames n;
        n.basePrefix = "model.";
        n.encoderRoots = {"embeddings.", "layers.", "final_norm."};
        n.wordEmb = "embeddings.tok_embeddings.weight";
        n.embLn = "embeddings.norm";
        n.layer = "layers.";
        n.attnLn = "attn_norm";
        n.qkv = "attn.Wqkv";
        n.attnOut = "attn.Wo";
        n.outLn = "mlp_norm";
        n.inter = "mlp.Wi";
        n.out = "mlp.Wo";
        n.finalNorm = "final_norm";
        n.mlmDense = "head.dense";
        n.mlmLn = "head.norm";
        n.mlmBias = {"decoder.bias"};
        n.mlmDecoder = "decoder.weight";
        n.seqClassifier = "classifier";
        n.tokenClassifier = "classifier";
        n.qa = "classifier";
        return n;
    }
    throw ConfigError("model_type '" + type + "' has no checkpoint names");
}

} // namespace bertbench

#include "core/model/HfCheckpointWriter.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/SafetensorsWriter.h"
#include "core/util/Errors.h"

namespace bertbench {

std::string hfConfigJson(const ModelConfig& c) {
    nlohmann::ordered_json j;
    // Not the source's architectures: "BertForTokenClassification" there would make loadHfCheckpoint read
    // classifier.* (the sequence classifier here) as the token classifier. from_pretrained is given the class.
    j["architectures"] = std::vector<std::string>{"BertForPreTraining"};
    j["model_type"] = "bert";
    j["vocab_size"] = c.vocabSize;
    j["hidden_size"] = c.hiddenSize;
    j["num_hidden_layers"] = c.numLayers;
    j["num_attention_heads"] = c.numHeads;
    j["intermediate_size"] = c.intermediateSize;
    j["hidden_act"] = c.hiddenAct;
    j["hidden_dropout_prob"] = 0.1;          // inactive in eval mode; HF's defaults
    j["attention_probs_dropout_prob"] = 0.1;
    j["max_position_embeddings"] = c.maxPositions;
    j["type_vocab_size"] = c.typeVocabSize;
    j["initializer_range"] = 0.02;
    j["layer_norm_eps"] = c.layerNormEps;
    j["position_embedding_type"] = "absolute";
    if (c.padTokenId < 0) j["pad_token_id"] = nullptr;
    else j["pad_token_id"] = c.padTokenId;
    // save_pretrained writes id2label/label2id, not num_labels; HF derives num_labels from them.
    nlohmann::ordered_json id2label = nlohmann::ordered_json::object(), label2id = nlohmann::ordered_json::object();
    for (int i = 0; i < c.numLabels; ++i) {
        id2label[std::to_string(i)] = "LABEL_" + std::to_string(i);
        label2id["LABEL_" + std::to_string(i)] = i;
    }
    j["id2label"] = id2label;
    j["label2id"] = label2id;
    j["torch_dtype"] = "float32";
    return j.dump(2) + "\n";
}

namespace {

void add(std::vector<NamedTensor>& list, const std::string& name, const Tensor& t) {
    if (!t.empty()) list.push_back({name, &t});
}

} // namespace

bool writeHfCheckpoint(const BertWeights& w, const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (!fs::is_directory(folder)) throw InputError(folder + ": cannot create the checkpoint folder: " + ec.message());

    const fs::path configPath = fs::path(folder) / kHfConfigFile;
    {
        std::ofstream out(configPath, std::ios::binary | std::ios::trunc);
        out << hfConfigJson(w.config);
        out.close();
        if (!out) throw InputError(configPath.string() + ": cannot write the model config");
    }

    std::vector<NamedTensor> t;
    add(t, "bert.embeddings.word_embeddings.weight", w.wordEmb);
    add(t, "bert.embeddings.position_embeddings.weight", w.posEmb);
    add(t, "bert.embeddings.token_type_embeddings.weight", w.typeEmb);
    add(t, "bert.embeddings.LayerNorm.weight", w.embLnGamma);
    add(t, "bert.embeddings.LayerNorm.bias", w.embLnBeta);
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        const std::string p = "bert.encoder.layer." + std::to_string(i) + ".";
        add(t, p + "attention.self.query.weight", l.queryW);
        add(t, p + "attention.self.query.bias", l.queryB);
        add(t, p + "attention.self.key.weight", l.keyW);
        add(t, p + "attention.self.key.bias", l.keyB);
        add(t, p + "attention.self.value.weight", l.valueW);
        add(t, p + "attention.self.value.bias", l.valueB);
        add(t, p + "attention.output.dense.weight", l.attnOutW);
        add(t, p + "attention.output.dense.bias", l.attnOutB);
        add(t, p + "attention.output.LayerNorm.weight", l.attnLnGamma);
        add(t, p + "attention.output.LayerNorm.bias", l.attnLnBeta);
        add(t, p + "intermediate.dense.weight", l.interW);
        add(t, p + "intermediate.dense.bias", l.interB);
        add(t, p + "output.dense.weight", l.outW);
        add(t, p + "output.dense.bias", l.outB);
        add(t, p + "output.LayerNorm.weight", l.outLnGamma);
        add(t, p + "output.LayerNorm.bias", l.outLnBeta);
    }
    add(t, "bert.pooler.dense.weight", w.poolerW);
    add(t, "bert.pooler.dense.bias", w.poolerB);
    add(t, "cls.predictions.transform.dense.weight", w.mlmTransformW);
    add(t, "cls.predictions.transform.dense.bias", w.mlmTransformB);
    add(t, "cls.predictions.transform.LayerNorm.weight", w.mlmLnGamma);
    add(t, "cls.predictions.transform.LayerNorm.bias", w.mlmLnBeta);
    // The decoder weight is tied to the word embeddings (HF re-ties it on load); its bias is
    // saved as cls.predictions.bias, as save_pretrained does.
    add(t, "cls.predictions.bias", w.mlmDecoderB);
    add(t, "classifier.weight", w.classifierW);
    add(t, "classifier.bias", w.classifierB);
    add(t, "qa_outputs.weight", w.qaW);
    add(t, "qa_outputs.bias", w.qaB);
    writeSafetensors((fs::path(folder) / kHfWeightsFile).string(), t, {{"format", "pt"}});

    if (w.tokenClassifierW.empty()) return false;
    writeSafetensors((fs::path(folder) / kTokenClassifierFile).string(),
                     {{"classifier.weight", &w.tokenClassifierW}, {"classifier.bias", &w.tokenClassifierB}},
                     {{"format", "pt"}});
    return true;
}

} // namespace bertbench

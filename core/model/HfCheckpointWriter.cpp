#include "core/model/HfCheckpointWriter.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/model/CheckpointNames.h"
#include "core/model/SafetensorsWriter.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

bool isRobertaFamily(const std::string& type) {
    return type == "roberta" || type == "xlm-roberta" || type == "camembert";
}

// transformers' class prefix of each architecture this writer writes.
std::string classPrefix(const std::string& type) {
    if (type == "bert") return "Bert";
    if (type == "roberta") return "Roberta";
    if (type == "xlm-roberta") return "XLMRoberta";
    if (type == "camembert") return "Camembert";
    if (type == "distilbert") return "DistilBert";
    if (type == "electra") return "Electra";
    if (type == "modernbert") return "ModernBert";
    throw ConfigError("model_type '" + type +
                      "': no HF checkpoint writer (bert, roberta, xlm-roberta, camembert, distilbert, electra, modernbert)");
}

void labels(nlohmann::ordered_json& j, int numLabels) {
    // save_pretrained writes id2label/label2id, not num_labels; HF derives num_labels from them.
    nlohmann::ordered_json id2label = nlohmann::ordered_json::object(), label2id = nlohmann::ordered_json::object();
    for (int i = 0; i < numLabels; ++i) {
        id2label[std::to_string(i)] = "LABEL_" + std::to_string(i);
        label2id["LABEL_" + std::to_string(i)] = i;
    }
    j["id2label"] = id2label;
    j["label2id"] = label2id;
}

void padToken(nlohmann::ordered_json& j, int padTokenId) {
    if (padTokenId < 0) j["pad_token_id"] = nullptr;
    else j["pad_token_id"] = padTokenId;
}

// DistilBertConfig's own names (dim, n_layers, ...); its LayerNorm eps is fixed at 1e-12 in HF.
void distilBertFields(nlohmann::ordered_json& j, const ModelConfig& c) {
    j["vocab_size"] = c.vocabSize;
    j["dim"] = c.hiddenSize;
    j["n_layers"] = c.numLayers;
    j["n_heads"] = c.numHeads;
    j["hidden_dim"] = c.intermediateSize;
    j["activation"] = c.hiddenAct;
    j["dropout"] = 0.1;   // inactive in eval mode; HF's defaults
    j["attention_dropout"] = 0.1;
    j["qa_dropout"] = 0.1;
    j["seq_classif_dropout"] = 0.2;
    j["max_position_embeddings"] = c.maxPositions;
    j["sinusoidal_pos_embds"] = false;
    j["initializer_range"] = 0.02;
}

// BertConfig's names, which RobertaConfig, XLMRobertaConfig, CamembertConfig and ElectraConfig share.
void bertFields(nlohmann::ordered_json& j, const ModelConfig& c) {
    j["vocab_size"] = c.vocabSize;
    if (c.modelType == "electra") j["embedding_size"] = c.embeddingWidth();
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
    if (isRobertaFamily(c.modelType)) {
        j["bos_token_id"] = 0;
        j["eos_token_id"] = 2;
    }
    if (c.modelType == "electra") {   // ElectraConfig's sequence-summary defaults
        j["summary_type"] = "first";
        j["summary_use_proj"] = true;
        j["summary_activation"] = "gelu";
        j["summary_last_dropout"] = 0.1;
    }
}

// ModernBertConfig's names, in the form transformers 5 writes (layer_types and rope_parameters per
// layer type) with the original fields beside them (global_attn_every_n_layers, the two rope
// thetas): transformers 5 reads the first, 4.x the second. Token ids as HF's defaults.
void modernBertFields(nlohmann::ordered_json& j, const ModelConfig& c) {
    const ModernBertSettings& m = c.modernBert;
    j["vocab_size"] = c.vocabSize;
    j["hidden_size"] = c.hiddenSize;
    j["intermediate_size"] = c.intermediateSize;
    j["num_hidden_layers"] = c.numLayers;
    j["num_attention_heads"] = c.numHeads;
    j["hidden_activation"] = c.hiddenAct;
    j["max_position_embeddings"] = c.maxPositions;
    j["initializer_range"] = 0.02;
    j["initializer_cutoff_factor"] = 2.0;
    j["norm_eps"] = c.layerNormEps;
    j["norm_bias"] = m.normBias;
    j["bos_token_id"] = 50281;
    j["eos_token_id"] = 50282;
    j["cls_token_id"] = 50281;
    j["sep_token_id"] = 50282;
    // Every layer's type: HF's own rule (layer i global when i % n == 0) gives the same list when
    // the layers follow one period; layer_types holds any other pattern exactly.
    int every = 0;
    for (int n = 1; n <= int(m.globalLayers.size()) && every == 0; ++n) {
        bool same = true;
        for (size_t i = 0; i < m.globalLayers.size(); ++i) same = same && m.globalLayers[i] == (i % size_t(n) == 0);
        if (same) every = n;
    }
    j["global_attn_every_n_layers"] = every > 0 ? every : 1;
    j["global_rope_theta"] = m.globalRopeTheta;
    j["local_attention"] = m.localAttention;
    j["local_rope_theta"] = m.localRopeTheta;
    std::vector<std::string> types;
    for (bool g : m.globalLayers) types.push_back(g ? "full_attention" : "sliding_attention");
    j["layer_types"] = types;
    j["rope_parameters"] = {{"full_attention", {{"rope_theta", m.globalRopeTheta}, {"rope_type", "default"}}},
                            {"sliding_attention", {{"rope_theta", m.localRopeTheta}, {"rope_type", "default"}}}};
    j["attention_bias"] = m.attentionBias;
    j["attention_dropout"] = 0.0;
    j["embedding_dropout"] = 0.0;
    j["mlp_bias"] = m.mlpBias;
    j["mlp_dropout"] = 0.0;
    j["decoder_bias"] = m.decoderBias;
    j["classifier_pooling"] = m.classifierPooling;
    j["classifier_dropout"] = 0.0;
    j["classifier_bias"] = m.classifierBias;
    j["classifier_activation"] = c.classifierActivation;
    j["deterministic_flash_attn"] = false;
    j["sparse_prediction"] = false;
    j["sparse_pred_ignore_index"] = -100;
}

void add(std::vector<NamedTensor>& list, const std::string& name, const Tensor& t) {
    if (!t.empty()) list.push_back({name, &t});
}

// The architecture's name of a tensor: encoder names under the base model's prefix (as a task
// model saves them), head names as they are.
class Names {
public:
    explicit Names(const std::string& modelType) : n_(checkpointNamesFor(modelType)) {}
    const CheckpointNames& table() const { return n_; }
    std::string full(const std::string& name) const {
        for (const std::string& root : n_.encoderRoots)
            if (name.rfind(root, 0) == 0) return n_.basePrefix + name;
        return name;
    }
    // weight and bias of a linear layer or LayerNorm
    void linear(std::vector<NamedTensor>& list, const std::string& name, const Tensor& w, const Tensor& b) const {
        add(list, full(name + ".weight"), w);
        add(list, full(name + ".bias"), b);
    }

private:
    CheckpointNames n_;
};

// ModernBERT's tensors (CheckpointNames' modernbert table): the encoder under "model.", the
// prediction head, the decoder bias and the sequence classifier (`classifier`; the token
// classifier and the QA head, also `classifier` in HF, go to files of their own).
std::vector<NamedTensor> modernBertTensors(const BertWeights& w, const Names& names) {
    const CheckpointNames& n = names.table();
    const ModernBertWeights& m = w.modernBert;
    std::vector<NamedTensor> t;
    add(t, names.full(n.wordEmb), w.wordEmb);
    names.linear(t, n.embLn, w.embLnGamma, w.embLnBeta);
    for (size_t i = 0; i < m.layers.size(); ++i) {
        const ModernBertLayerWeights& l = m.layers[i];
        const std::string p = n.layer + std::to_string(i) + ".";
        names.linear(t, p + n.attnLn, l.attnNormGamma, l.attnNormBeta);   // absent in layer 0
        names.linear(t, p + n.qkv, l.qkvW, l.qkvB);
        names.linear(t, p + n.attnOut, l.attnOutW, l.attnOutB);
        names.linear(t, p + n.outLn, l.mlpNormGamma, l.mlpNormBeta);
        names.linear(t, p + n.inter, l.wiW, l.wiB);
        names.linear(t, p + n.out, l.mlpOutW, l.mlpOutB);
    }
    names.linear(t, n.finalNorm, m.finalNormGamma, m.finalNormBeta);
    names.linear(t, n.mlmDense, m.headDenseW, m.headDenseB);
    names.linear(t, n.mlmLn, m.headNormGamma, m.headNormBeta);
    if (m.hasDecoder) add(t, n.mlmBias.front(), w.mlmDecoderB);
    names.linear(t, n.seqClassifier, w.classifierW, w.classifierB);
    return t;
}

std::vector<NamedTensor> namedTensors(const BertWeights& w, const Names& names) {
    if (w.config.isModernBert()) return modernBertTensors(w, names);
    const CheckpointNames& n = names.table();
    std::vector<NamedTensor> t;
    add(t, names.full(n.wordEmb), w.wordEmb);
    add(t, names.full(n.posEmb), w.posEmb);
    if (!n.typeEmb.empty()) add(t, names.full(n.typeEmb), w.typeEmb);
    names.linear(t, n.embLn, w.embLnGamma, w.embLnBeta);
    if (!n.embProj.empty()) names.linear(t, n.embProj, w.embProjW, w.embProjB);
    for (size_t i = 0; i < w.layers.size(); ++i) {
        const LayerWeights& l = w.layers[i];
        const std::string p = n.layer + std::to_string(i) + ".";
        names.linear(t, p + n.query, l.queryW, l.queryB);
        names.linear(t, p + n.key, l.keyW, l.keyB);
        names.linear(t, p + n.value, l.valueW, l.valueB);
        names.linear(t, p + n.attnOut, l.attnOutW, l.attnOutB);
        names.linear(t, p + n.attnLn, l.attnLnGamma, l.attnLnBeta);
        names.linear(t, p + n.inter, l.interW, l.interB);
        names.linear(t, p + n.out, l.outW, l.outB);
        names.linear(t, p + n.outLn, l.outLnGamma, l.outLnBeta);
    }
    names.linear(t, n.seqPooler, w.poolerW, w.poolerB);
    names.linear(t, n.mlmDense, w.mlmTransformW, w.mlmTransformB);
    names.linear(t, n.mlmLn, w.mlmLnGamma, w.mlmLnBeta);
    // The decoder weight is tied to the word embeddings (HF re-ties it on load); its bias is saved
    // under the first of its tied names, as save_pretrained does (cls.predictions.bias, lm_head.bias, ...).
    add(t, n.mlmBias.front(), w.mlmDecoderB);
    names.linear(t, n.seqClassifier, w.classifierW, w.classifierB);
    names.linear(t, n.qa, w.qaW, w.qaB);
    return t;
}

} // namespace

std::string hfConfigJson(const ModelConfig& c) {
    const std::string prefix = classPrefix(c.modelType);
    nlohmann::ordered_json j;
    // Not the source's architectures: "*ForTokenClassification" there would make loadHfCheckpoint read
    // classifier.* (the sequence classifier here) as the token classifier. from_pretrained is given the class.
    j["architectures"] = std::vector<std::string>{prefix + (c.modelType == "bert" ? "ForPreTraining" : "ForMaskedLM")};
    j["model_type"] = c.modelType;
    if (c.modelType == "distilbert") distilBertFields(j, c);
    else if (c.modelType == "modernbert") modernBertFields(j, c);
    else bertFields(j, c);
    padToken(j, c.padTokenId);
    labels(j, c.numLabels);
    j["tie_word_embeddings"] = true;
    j["torch_dtype"] = "float32";
    return j.dump(2) + "\n";
}

bool writeHfCheckpoint(const BertWeights& w, const std::string& folder) {
    namespace fs = std::filesystem;
    const std::string config = hfConfigJson(w.config);   // refuses an architecture it cannot write, first
    const Names names(w.config.modelType);
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (!fs::is_directory(folder)) throw InputError(folder + ": cannot create the checkpoint folder: " + ec.message());

    const fs::path configPath = fs::path(folder) / kHfConfigFile;
    {
        std::ofstream out(configPath, std::ios::binary | std::ios::trunc);
        out << config;
        out.close();
        if (!out) throw InputError(configPath.string() + ": cannot write the model config");
    }
    writeSafetensors((fs::path(folder) / kHfWeightsFile).string(), namedTensors(w, names), {{"format", "pt"}});
    if (w.config.isModernBert() && !w.qaW.empty()) {
        // ModernBertForQuestionAnswering's head is `classifier` too: its own file, as the token classifier's.
        writeSafetensors((fs::path(folder) / kQaHeadFile).string(),
                         {{names.table().qa + ".weight", &w.qaW}, {names.table().qa + ".bias", &w.qaB}},
                         {{"format", "pt"}});
    }

    if (w.tokenClassifierW.empty()) return false;
    const std::string token = names.table().tokenClassifier;
    writeSafetensors((fs::path(folder) / kTokenClassifierFile).string(),
                     {{token + ".weight", &w.tokenClassifierW}, {token + ".bias", &w.tokenClassifierB}},
                     {{"format", "pt"}});
    return true;
}

} // namespace bertbench

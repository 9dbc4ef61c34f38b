#include "core/model/ModelConfig.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/util/Errors.h"

namespace bertbench {

namespace {

// Field names in messages are HF's config.json names: that is where users meet them.
void checkRange(const std::string& source, const char* field, long long value, long long lo, long long hi) {
    if (value < lo || value > hi) {
        throw ConfigError("config '" + source + "': " + field + " " + std::to_string(value) +
                          " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    }
}

ModelConfig makePreset(const std::string& name, int vocab, int hidden, int layers, int heads, int inter) {
    ModelConfig c;
    c.name = name;
    c.vocabSize = vocab;
    c.hiddenSize = hidden;
    c.numLayers = layers;
    c.numHeads = heads;
    c.intermediateSize = inter;
    c.maxPositions = 512;
    c.typeVocabSize = 2;
    return c;
}

// The RoBERTa family's checkpoints: 514 positions from pad_token_id 1 + 1, one token type, eps 1e-5.
ModelConfig robertaPreset(const std::string& name, const std::string& type, int vocab, int hidden, int layers,
                          int heads, int inter) {
    ModelConfig c = makePreset(name, vocab, hidden, layers, heads, inter);
    c.modelType = type;
    c.maxPositions = 514;
    c.typeVocabSize = 1;
    c.padTokenId = 1;
    c.positionOffset = 2;
    c.layerNormEps = 1e-5;
    return c;
}

ModelConfig distilbertPreset(const std::string& name) {
    ModelConfig c = makePreset(name, 30522, 768, 6, 12, 3072);
    c.modelType = "distilbert";
    c.typeVocabSize = 0;
    c.classifierActivation = "relu";
    return c;
}

ModelConfig electraPreset(const std::string& name, int embedding, int hidden, int heads, int inter) {
    ModelConfig c = makePreset(name, 30522, hidden, 12, heads, inter);
    c.modelType = "electra";
    c.embeddingSize = embedding == hidden ? 0 : embedding;
    c.classifierActivation = "gelu";
    return c;
}

// ModernBERT's released checkpoints: 8,192 positions, global attention every third layer (θ 160,000),
// a 128-token window elsewhere (θ 10,000), no biases but the decoder's, mean pooling, gelu.
ModelConfig modernBertPreset(const std::string& name, int hidden, int layers, int heads, int inter) {
    ModelConfig c = makePreset(name, 50368, hidden, layers, heads, inter);
    c.modelType = "modernbert";
    c.maxPositions = 8192;
    c.typeVocabSize = 0;
    c.padTokenId = 50283;
    c.layerNormEps = 1e-5;
    c.classifierActivation = "gelu";
    c.modernBert.classifierPooling = "mean";
    for (int i = 0; i < layers; ++i) c.modernBert.globalLayers.push_back(i % 3 == 0);
    return c;
}

constexpr int kUncasedVocab = 30522;
constexpr int kCasedVocab = 28996;

} // namespace

void ModelConfig::validate() const {
    const std::string& src = name;
    checkRange(src, "vocab_size", vocabSize, 1, 4'000'000);
    checkRange(src, "hidden_size", hiddenSize, 1, 65'536);
    checkRange(src, "num_hidden_layers", numLayers, 1, 1'024);
    checkRange(src, "num_attention_heads", numHeads, 1, hiddenSize);
    if (hiddenSize % numHeads != 0) {
        throw ConfigError("config '" + src + "': hidden_size " + std::to_string(hiddenSize) +
                          " is not divisible by num_attention_heads " + std::to_string(numHeads));
    }
    checkRange(src, "intermediate_size", intermediateSize, 1, 262'144);
    checkRange(src, "max_position_embeddings", maxPositions, 1, 1 << 20);
    checkRange(src, "type_vocab_size", typeVocabSize, modelType == "distilbert" || isModernBert() ? 0 : 1, 1 << 16);
    checkRange(src, "embedding_size", embeddingSize, 0, 65'536);
    if (positionOffset < 0 || positionOffset >= maxPositions) {
        throw ConfigError("config '" + src + "': max_position_embeddings " + std::to_string(maxPositions) +
                          " leaves no position after the first position id " + std::to_string(positionOffset) +
                          " (pad_token_id + 1)");
    }
    if (classifierActivation != "tanh" && classifierActivation != "relu" && classifierActivation != "gelu") {
        throw ConfigError("config '" + src + "': " + (isModernBert() ? "classifier_activation" : "the classifier's activation") +
                          " '" + classifierActivation + "' is not supported (tanh, relu, gelu)");
    }
    checkRange(src, "num_labels", numLabels, 1, 1 << 20);
    // -1 = no padding token (HF's pad_token_id: null).
    checkRange(src, "pad_token_id", padTokenId, -1, vocabSize - 1);
    if (!(layerNormEps > 0.0) || !std::isfinite(layerNormEps) || layerNormEps > 1.0) {
        std::ostringstream os;
        os << "config '" << src << "': " << (isModernBert() ? "norm_eps " : "layer_norm_eps ") << layerNormEps
           << " is out of range (0, 1]";
        throw ConfigError(os.str());
    }
    if (hiddenAct != "gelu") {
        throw ConfigError("config '" + src + "': " + (isModernBert() ? "hidden_activation '" : "hidden_act '") +
                          hiddenAct + "' is not supported (only 'gelu', the exact erf GELU)");
    }
    if (isModernBert()) validateModernBert();
}

void ModelConfig::validateModernBert() const {
    const std::string& src = name;
    const ModernBertSettings& m = modernBert;
    if (m.globalLayers.size() != size_t(numLayers)) {
        throw ConfigError("config '" + src + "': layer_types lists " + std::to_string(m.globalLayers.size()) +
                          " layers, num_hidden_layers is " + std::to_string(numLayers));
    }
    // rotate_half pairs dimension d with d + head_dim / 2.
    if (headDim() % 2 != 0) {
        throw ConfigError("config '" + src + "': the head dimension " + std::to_string(headDim()) +
                          " (hidden_size / num_attention_heads) is odd; rotary embeddings need it even");
    }
    checkRange(src, "local_attention", m.localAttention, 1, 1 << 20);
    for (const auto& [field, theta] :
         {std::pair{"rope_parameters.full_attention.rope_theta (global_rope_theta)", m.globalRopeTheta},
          std::pair{"rope_parameters.sliding_attention.rope_theta (local_rope_theta)", m.localRopeTheta}}) {
        if (!(theta > 1.0) || !std::isfinite(theta)) {
            std::ostringstream os;
            os << "config '" << src << "': " << field << " " << theta << " is out of range (1, inf)";
            throw ConfigError(os.str());
        }
    }
    if (m.classifierPooling != "cls" && m.classifierPooling != "mean") {
        throw ConfigError("config '" + src + "': classifier_pooling '" + m.classifierPooling +
                          "' is not supported (cls, mean)");
    }
}

std::vector<std::string> presetNames() {
    return {"tiny",         "bert-base",       "bert-large",       "bert-base-cased", "bert-large-cased",
            "roberta-base", "roberta-large",   "xlm-roberta-base", "distilbert-base", "electra-base",
            "electra-small", "modernbert-base", "modernbert-large"};
}

std::vector<std::string> supportedModelTypes() {
    return {"bert", "roberta", "xlm-roberta", "camembert", "distilbert", "electra", "modernbert"};
}

bool isPreset(const std::string& name) {
    for (const std::string& p : presetNames())
        if (p == name) return true;
    return false;
}

ModelConfig presetConfig(const std::string& name) {
    if (name == "tiny") return makePreset(name, kUncasedVocab, 128, 2, 2, 512);
    if (name == "bert-base") return makePreset(name, kUncasedVocab, 768, 12, 12, 3072);
    if (name == "bert-large") return makePreset(name, kUncasedVocab, 1024, 24, 16, 4096);
    if (name == "bert-base-cased") return makePreset(name, kCasedVocab, 768, 12, 12, 3072);
    if (name == "bert-large-cased") return makePreset(name, kCasedVocab, 1024, 24, 16, 4096);
    if (name == "roberta-base") return robertaPreset(name, "roberta", 50265, 768, 12, 12, 3072);
    if (name == "roberta-large") return robertaPreset(name, "roberta", 50265, 1024, 24, 16, 4096);
    // 250,002 tokens: at base size the word embeddings are 192M of the 278M parameters.
    if (name == "xlm-roberta-base") return robertaPreset(name, "xlm-roberta", 250002, 768, 12, 12, 3072);
    if (name == "distilbert-base") return distilbertPreset(name);
    if (name == "electra-base") return electraPreset(name, 768, 768, 12, 3072);
    if (name == "electra-small") return electraPreset(name, 128, 256, 4, 1024);
    if (name == "modernbert-base") return modernBertPreset(name, 768, 22, 12, 1152);
    if (name == "modernbert-large") return modernBertPreset(name, 1024, 28, 16, 2624);
    std::string list;
    for (const std::string& p : presetNames()) list += (list.empty() ? "" : ", ") + p;
    throw ConfigError("unknown model preset '" + name + "' (presets: " + list + ")");
}

namespace {

using nlohmann::json;

std::string typeName(const json& v) { return v.type_name(); }

int intField(const json& j, const char* field, int fallback, const std::string& source) {
    auto it = j.find(field);
    if (it == j.end()) return fallback;
    if (!it->is_number_integer()) {
        throw ConfigError(source + ": field " + field + " must be an integer, got " + typeName(*it) +
                          " " + it->dump());
    }
    const long long v = it->get<long long>();
    if (v < -(1LL << 31) || v >= (1LL << 31)) {
        throw ConfigError(source + ": field " + field + " " + std::to_string(v) + " does not fit an int");
    }
    return static_cast<int>(v);
}

} // namespace

namespace {

bool isRobertaFamily(const std::string& type) {
    return type == "roberta" || type == "xlm-roberta" || type == "camembert";
}

double numberField(const json& j, const char* field, double fallback, const std::string& source) {
    auto it = j.find(field);
    if (it == j.end()) return fallback;
    if (!it->is_number()) throw ConfigError(source + ": field " + field + " must be a number, got " + typeName(*it));
    return it->get<double>();
}

std::string stringField(const json& j, const char* field, const std::string& fallback, const std::string& source) {
    auto it = j.find(field);
    if (it == j.end()) return fallback;
    if (!it->is_string()) throw ConfigError(source + ": field " + field + " must be a string, got " + typeName(*it));
    return it->get<std::string>();
}

std::string modelTypeOf(const json& j, const std::string& source) {
    const std::string type = stringField(j, "model_type", "bert", source);
    for (const std::string& t : supportedModelTypes())
        if (t == type) return type;
    std::string list;
    for (const std::string& t : supportedModelTypes()) list += (list.empty() ? "" : ", ") + t;
    throw ConfigError(source + ": model_type '" + type + "' is not supported (supported: " + list + ")");
}

// BERT's field names, which RoBERTa, XLM-R, CamemBERT and ELECTRA share. Omitted fields take
// BertConfig's defaults (bert-base), as HF does.
void readBertFields(const json& j, ModelConfig& c, const std::string& source) {
    const ModelConfig base = presetConfig("bert-base");
    if (auto it = j.find("position_embedding_type"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>() != "absolute") {
            throw ConfigError(source + ": position_embedding_type " + it->dump() +
                              " is not supported (only \"absolute\")");
        }
    }
    c.vocabSize = intField(j, "vocab_size", base.vocabSize, source);
    c.hiddenSize = intField(j, "hidden_size", base.hiddenSize, source);
    c.numLayers = intField(j, "num_hidden_layers", base.numLayers, source);
    c.numHeads = intField(j, "num_attention_heads", base.numHeads, source);
    c.intermediateSize = intField(j, "intermediate_size", base.intermediateSize, source);
    c.maxPositions = intField(j, "max_position_embeddings", base.maxPositions, source);
    c.typeVocabSize = intField(j, "type_vocab_size", base.typeVocabSize, source);
    c.layerNormEps = numberField(j, "layer_norm_eps", base.layerNormEps, source);
    c.hiddenAct = stringField(j, "hidden_act", base.hiddenAct, source);
    if (c.modelType == "electra") {
        const int embedding = intField(j, "embedding_size", 128, source);   // ElectraConfig's default
        c.embeddingSize = embedding == c.hiddenSize ? 0 : embedding;
        c.classifierActivation = "gelu";   // ElectraClassificationHead: dense, GELU, out_proj
    }
}

// DistilBERT's own names (dim, n_layers, ...); no token types, LayerNorm eps 1e-12 fixed.
void readDistilBertFields(const json& j, ModelConfig& c, const std::string& source) {
    if (auto it = j.find("sinusoidal_pos_embds"); it != j.end() && !(it->is_boolean() && !it->get<bool>())) {
        throw ConfigError(source + ": sinusoidal_pos_embds " + it->dump() +
                          " is not supported (only learned position embeddings, false)");
    }
    c.vocabSize = intField(j, "vocab_size", 30522, source);
    c.hiddenSize = intField(j, "dim", 768, source);
    c.numLayers = intField(j, "n_layers", 6, source);
    c.numHeads = intField(j, "n_heads", 12, source);
    c.intermediateSize = intField(j, "hidden_dim", 3072, source);
    c.maxPositions = intField(j, "max_position_embeddings", 512, source);
    c.typeVocabSize = 0;
    c.layerNormEps = 1e-12;
    c.hiddenAct = stringField(j, "activation", "gelu", source);
    c.classifierActivation = "relu";   // pre_classifier, ReLU, classifier
}

bool boolField(const json& j, const char* field, bool fallback, const std::string& source) {
    auto it = j.find(field);
    if (it == j.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw ConfigError(source + ": field " + field + " must be true or false, got " + it->dump());
    return it->get<bool>();
}

// One rotary-embedding parameter set (rope_parameters[layer type] or the legacy rope_scaling):
// only the default RoPE is implemented; its rope_theta, when given, replaces `theta`.
void readRopeParameters(const json& p, const std::string& field, double& theta, const std::string& source) {
    if (p.is_null()) return;
    if (!p.is_object()) throw ConfigError(source + ": field " + field + " must be an object, got " + typeName(p));
    for (const char* typeKey : {"rope_type", "type"}) {   // "type": the older spelling
        auto it = p.find(typeKey);
        if (it == p.end() || it->is_null()) continue;
        if (!it->is_string() || it->get<std::string>() != "default") {
            throw ConfigError(source + ": " + field + "." + typeKey + " " + it->dump() +
                              " is not supported (only \"default\" rotary embeddings)");
        }
    }
    theta = numberField(p, "rope_theta", theta, source);
}

// ModernBertConfig's fields (transformers' defaults: ModernBERT-base), in either form: the
// original global_attn_every_n_layers / global_rope_theta / local_rope_theta, or transformers 5's
// layer_types / rope_parameters (which win where both are present, as in HF).
void readModernBertFields(const json& j, ModelConfig& c, const std::string& source) {
    ModernBertSettings& m = c.modernBert;
    c.vocabSize = intField(j, "vocab_size", 50368, source);
    c.hiddenSize = intField(j, "hidden_size", 768, source);
    c.numLayers = intField(j, "num_hidden_layers", 22, source);
    c.numHeads = intField(j, "num_attention_heads", 12, source);
    c.intermediateSize = intField(j, "intermediate_size", 1152, source);
    c.maxPositions = intField(j, "max_position_embeddings", 8192, source);
    c.typeVocabSize = 0;
    c.layerNormEps = numberField(j, "norm_eps", 1e-5, source);
    c.hiddenAct = stringField(j, "hidden_activation", "gelu", source);
    c.classifierActivation = stringField(j, "classifier_activation", "gelu", source);
    m.localAttention = intField(j, "local_attention", 128, source);
    m.normBias = boolField(j, "norm_bias", false, source);
    m.attentionBias = boolField(j, "attention_bias", false, source);
    m.mlpBias = boolField(j, "mlp_bias", false, source);
    m.classifierBias = boolField(j, "classifier_bias", false, source);
    m.decoderBias = boolField(j, "decoder_bias", true, source);
    m.classifierPooling = stringField(j, "classifier_pooling", "cls", source);

    m.globalLayers.clear();
    if (auto types = j.find("layer_types"); types != j.end() && !types->is_null()) {
        if (!types->is_array()) throw ConfigError(source + ": field layer_types must be an array, got " + typeName(*types));
        for (size_t i = 0; i < types->size(); ++i) {
            const json& t = (*types)[i];
            const std::string text = t.is_string() ? t.get<std::string>() : std::string();
            if (text != "full_attention" && text != "sliding_attention") {
                throw ConfigError(source + ": layer_types[" + std::to_string(i) + "] " + t.dump() +
                                  " is not supported (\"full_attention\" or \"sliding_attention\")");
            }
            m.globalLayers.push_back(text == "full_attention");
        }
    } else {
        const int every = intField(j, "global_attn_every_n_layers", 3, source);
        checkRange(source, "global_attn_every_n_layers", every, 1, 1 << 20);
        for (int i = 0; i < std::max(c.numLayers, 0) && i < (1 << 20); ++i) m.globalLayers.push_back(i % every == 0);
    }

    m.globalRopeTheta = numberField(j, "global_rope_theta", 160000.0, source);
    m.localRopeTheta = numberField(j, "local_rope_theta", 10000.0, source);
    if (auto scaling = j.find("rope_scaling"); scaling != j.end()) {
        double unused = 0;
        readRopeParameters(*scaling, "rope_scaling", unused, source);
    }
    if (auto rope = j.find("rope_parameters"); rope != j.end() && !rope->is_null()) {
        if (!rope->is_object()) throw ConfigError(source + ": field rope_parameters must be an object, got " + typeName(*rope));
        double unused = 0;
        readRopeParameters(*rope, "rope_parameters", unused, source);   // a flat rope_type applies to both
        if (auto full = rope->find("full_attention"); full != rope->end())
            readRopeParameters(*full, "rope_parameters.full_attention", m.globalRopeTheta, source);
        if (auto sliding = rope->find("sliding_attention"); sliding != rope->end())
            readRopeParameters(*sliding, "rope_parameters.sliding_attention", m.localRopeTheta, source);
    }
}

int labelsOf(const json& j, const std::string& source) {
    // num_labels is not written by save_pretrained; id2label is.
    if (j.find("num_labels") != j.end()) return intField(j, "num_labels", 2, source);
    if (auto id2 = j.find("id2label"); id2 != j.end() && !id2->is_null()) {
        if (!id2->is_object()) throw ConfigError(source + ": field id2label must be an object, got " + typeName(*id2));
        return static_cast<int>(id2->size());
    }
    return 2;
}

std::vector<std::string> architecturesOf(const json& j, const std::string& source) {
    std::vector<std::string> out;
    auto it = j.find("architectures");
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) {
        throw ConfigError(source + ": field architectures must be an array of strings, got " + typeName(*it));
    }
    for (const json& a : *it) {
        if (!a.is_string()) {
            throw ConfigError(source + ": field architectures must be an array of strings, got an element " + a.dump());
        }
        out.push_back(a.get<std::string>());
    }
    return out;
}

} // namespace

ModelConfig parseHfConfig(const std::string& jsonText, const std::string& sourceName) {
    json j;
    try {
        j = json::parse(jsonText);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers that overflow
        throw ConfigError(sourceName + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object()) throw ConfigError(sourceName + ": expected a JSON object, got " + typeName(j));

    ModelConfig c;
    c.name = sourceName;
    c.modelType = modelTypeOf(j, sourceName);
    if (c.modelType == "distilbert") readDistilBertFields(j, c, sourceName);
    else if (c.isModernBert()) readModernBertFields(j, c, sourceName);
    else readBertFields(j, c, sourceName);
    c.numLabels = labelsOf(j, sourceName);
    const int defaultPad = isRobertaFamily(c.modelType) ? 1 : c.isModernBert() ? 50283 : 0;
    if (auto it = j.find("pad_token_id"); it != j.end() && it->is_null()) {
        c.padTokenId = -1;
    } else {
        c.padTokenId = intField(j, "pad_token_id", defaultPad, sourceName);
    }
    if (isRobertaFamily(c.modelType)) {
        // Positions count from the padding index + 1 (HF's create_position_ids_from_input_ids).
        if (c.padTokenId < 0) {
            throw ConfigError(sourceName + ": pad_token_id null: model_type '" + c.modelType +
                              "' counts its positions from it and needs one");
        }
        c.positionOffset = c.padTokenId + 1;
    }
    c.architectures = architecturesOf(j, sourceName);
    c.validate();
    return c;
}

ModelConfig loadHfConfig(const std::string& configJsonPath) {
    std::ifstream in(configJsonPath, std::ios::binary);
    if (!in) throw ConfigError(configJsonPath + ": cannot open the model config");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ConfigError(configJsonPath + ": cannot read the model config");
    return parseHfConfig(text.str(), configJsonPath);
}

} // namespace bertbench

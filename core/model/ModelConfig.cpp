#include "core/model/ModelConfig.h"

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
    checkRange(src, "type_vocab_size", typeVocabSize, 1, 1 << 16);
    checkRange(src, "num_labels", numLabels, 1, 1 << 20);
    // -1 = no padding token (HF's pad_token_id: null).
    checkRange(src, "pad_token_id", padTokenId, -1, vocabSize - 1);
    if (!(layerNormEps > 0.0) || !std::isfinite(layerNormEps) || layerNormEps > 1.0) {
        std::ostringstream os;
        os << "config '" << src << "': layer_norm_eps " << layerNormEps << " is out of range (0, 1]";
        throw ConfigError(os.str());
    }
    if (hiddenAct != "gelu") {
        throw ConfigError("config '" + src + "': hidden_act '" + hiddenAct +
                          "' is not supported (only 'gelu', the exact erf GELU)");
    }
}

std::vector<std::string> presetNames() {
    return {"tiny", "bert-base", "bert-large", "bert-base-cased", "bert-large-cased"};
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

ModelConfig parseHfConfig(const std::string& jsonText, const std::string& sourceName) {
    json j;
    try {
        j = json::parse(jsonText);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers that overflow
        throw ConfigError(sourceName + ": not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object()) throw ConfigError(sourceName + ": expected a JSON object, got " + typeName(j));

    if (auto it = j.find("model_type"); it != j.end()) {
        if (!it->is_string()) throw ConfigError(sourceName + ": field model_type must be a string");
        if (it->get<std::string>() != "bert") {
            throw ConfigError(sourceName + ": model_type '" + it->get<std::string>() +
                              "' is not supported (only 'bert')");
        }
    }
    if (auto it = j.find("position_embedding_type"); it != j.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>() != "absolute") {
            throw ConfigError(sourceName + ": position_embedding_type " + it->dump() +
                              " is not supported (only \"absolute\")");
        }
    }

    // Fields config.json omits take BertConfig's defaults (bert-base), as HF does.
    const ModelConfig base = presetConfig("bert-base");
    ModelConfig c;
    c.name = sourceName;
    c.vocabSize = intField(j, "vocab_size", base.vocabSize, sourceName);
    c.hiddenSize = intField(j, "hidden_size", base.hiddenSize, sourceName);
    c.numLayers = intField(j, "num_hidden_layers", base.numLayers, sourceName);
    c.numHeads = intField(j, "num_attention_heads", base.numHeads, sourceName);
    c.intermediateSize = intField(j, "intermediate_size", base.intermediateSize, sourceName);
    c.maxPositions = intField(j, "max_position_embeddings", base.maxPositions, sourceName);
    c.typeVocabSize = intField(j, "type_vocab_size", base.typeVocabSize, sourceName);

    if (auto it = j.find("layer_norm_eps"); it != j.end()) {
        if (!it->is_number()) {
            throw ConfigError(sourceName + ": field layer_norm_eps must be a number, got " + typeName(*it));
        }
        c.layerNormEps = it->get<double>();
    }
    if (auto it = j.find("hidden_act"); it != j.end()) {
        if (!it->is_string()) {
            throw ConfigError(sourceName + ": field hidden_act must be a string, got " + typeName(*it));
        }
        c.hiddenAct = it->get<std::string>();
    }

    // num_labels is not written by save_pretrained; id2label is.
    c.numLabels = 2;
    if (auto it = j.find("num_labels"); it != j.end()) {
        c.numLabels = intField(j, "num_labels", 2, sourceName);
    } else if (auto id2 = j.find("id2label"); id2 != j.end() && !id2->is_null()) {
        if (!id2->is_object()) {
            throw ConfigError(sourceName + ": field id2label must be an object, got " + typeName(*id2));
        }
        c.numLabels = static_cast<int>(id2->size());
    }

    if (auto it = j.find("pad_token_id"); it != j.end() && it->is_null()) {
        c.padTokenId = -1;
    } else {
        c.padTokenId = intField(j, "pad_token_id", 0, sourceName);
    }

    if (auto it = j.find("architectures"); it != j.end() && !it->is_null()) {
        if (!it->is_array()) {
            throw ConfigError(sourceName + ": field architectures must be an array of strings, got " +
                              typeName(*it));
        }
        for (const json& a : *it) {
            if (!a.is_string()) {
                throw ConfigError(sourceName + ": field architectures must be an array of strings, got an element " +
                                  a.dump());
            }
            c.architectures.push_back(a.get<std::string>());
        }
    }

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

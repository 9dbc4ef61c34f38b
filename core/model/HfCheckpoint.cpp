// loadHfCheckpoint: a HuggingFace BERT folder (config.json + model.safetensors) into BertWeights.
#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/model/BertWeights.h"
#include "core/model/Safetensors.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

// Looks tensors up under HF's names, with or without the "bert." prefix of the task models
// and with the legacy LayerNorm gamma/beta names; checks each shape against the config.
class TensorSource {
public:
    TensorSource(const SafetensorsFile& file, std::string path) : file_(file), path_(std::move(path)) {}

    std::optional<std::string> resolve(const std::string& name) const {
        for (const std::string& candidate : spellings(name)) {
            if (file_.has(candidate)) return candidate;
        }
        return std::nullopt;
    }
    bool has(const std::string& name) const { return resolve(name).has_value(); }

    Tensor get(const std::string& name, const std::vector<int64_t>& shape, const std::string& why) const {
        const std::optional<std::string> found = resolve(name);
        if (!found) {
            std::string tried;
            for (const std::string& s : spellings(name)) tried += (tried.empty() ? "'" : ", '") + s + "'";
            throw FileFormatError(path_ + ": missing tensor " + tried);
        }
        const std::vector<int64_t>& actual = file_.entries().at(*found).shape;
        if (actual != shape) {
            throw FileFormatError(path_ + ": tensor '" + *found + "' has shape " + shapeText(actual) +
                                  ", expected " + shapeText(shape) + " (" + why + ")");
        }
        return file_.tensor(*found);
    }

    const std::string& path() const { return path_; }

private:
    static std::vector<std::string> spellings(const std::string& name) {
        std::vector<std::string> bases{name};
        auto swapSuffix = [&](const std::string& from, const std::string& to) {
            if (name.size() >= from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0) {
                bases.push_back(name.substr(0, name.size() - from.size()) + to);
            }
        };
        swapSuffix("LayerNorm.weight", "LayerNorm.gamma");
        swapSuffix("LayerNorm.bias", "LayerNorm.beta");
        // Head names outside the encoder ("cls.", "classifier.", "qa_outputs.") have no prefix;
        // encoder names have it in task models and lack it in a bare BertModel.
        const bool encoderPart = name.rfind("embeddings.", 0) == 0 || name.rfind("encoder.", 0) == 0 ||
                                 name.rfind("pooler.", 0) == 0;
        std::vector<std::string> out;
        for (const std::string& b : bases) {
            if (encoderPart) out.push_back("bert." + b);
            out.push_back(b);
        }
        return out;
    }

    const SafetensorsFile& file_;
    std::string path_;
};

// A head is all of its tensors or none: a partial head is a broken file, not "no head".
void requireAllOrNone(const TensorSource& src, const std::vector<std::string>& names, const std::string& head) {
    const auto present = std::count_if(names.begin(), names.end(), [&](const std::string& n) { return src.has(n); });
    if (present == 0 || present == long(names.size())) return;
    for (const std::string& n : names) {
        if (!src.has(n)) {
            throw FileFormatError(src.path() + ": the " + head + " head is incomplete: tensor '" + n + "' is missing");
        }
    }
}

} // namespace

BertWeights loadHfCheckpoint(const std::string& folder) {
    namespace fs = std::filesystem;
    const fs::path dir(folder);
    if (!fs::is_directory(dir)) throw InputError(folder + ": not a checkpoint folder (config.json + model.safetensors)");
    const fs::path configPath = dir / "config.json";
    const fs::path weightsPath = dir / "model.safetensors";
    if (!fs::exists(configPath)) throw ConfigError(configPath.string() + ": missing (a HuggingFace checkpoint folder has config.json)");
    if (!fs::exists(weightsPath)) {
        std::string hint;
        if (fs::exists(dir / "model.safetensors.index.json")) hint = " (sharded checkpoints are not supported)";
        else if (fs::exists(dir / "pytorch_model.bin")) hint = " (pytorch_model.bin is not read; save with safetensors)";
        throw FileFormatError(weightsPath.string() + ": missing" + hint);
    }

    BertWeights w;
    w.config = loadHfConfig(configPath.string());
    w.config.name = folder;
    const ModelConfig& c = w.config;
    const int64_t h = c.hiddenSize, inter = c.intermediateSize, v = c.vocabSize, labels = c.numLabels;

    const SafetensorsFile file = SafetensorsFile::open(weightsPath.string());
    const TensorSource src(file, weightsPath.string());
    const std::string hs = "hidden_size " + std::to_string(h);
    const std::string is = "intermediate_size " + std::to_string(inter);

    w.wordEmb = src.get("embeddings.word_embeddings.weight", {v, h}, "vocab_size " + std::to_string(v) + ", " + hs);
    w.posEmb = src.get("embeddings.position_embeddings.weight", {c.maxPositions, h},
                       "max_position_embeddings " + std::to_string(c.maxPositions) + ", " + hs);
    w.typeEmb = src.get("embeddings.token_type_embeddings.weight", {c.typeVocabSize, h},
                        "type_vocab_size " + std::to_string(c.typeVocabSize) + ", " + hs);
    w.embLnGamma = src.get("embeddings.LayerNorm.weight", {h}, hs);
    w.embLnBeta = src.get("embeddings.LayerNorm.bias", {h}, hs);

    w.layers.resize(size_t(c.numLayers));
    for (int i = 0; i < c.numLayers; ++i) {
        LayerWeights& l = w.layers[size_t(i)];
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        l.queryW = src.get(p + "attention.self.query.weight", {h, h}, hs);
        l.queryB = src.get(p + "attention.self.query.bias", {h}, hs);
        l.keyW = src.get(p + "attention.self.key.weight", {h, h}, hs);
        l.keyB = src.get(p + "attention.self.key.bias", {h}, hs);
        l.valueW = src.get(p + "attention.self.value.weight", {h, h}, hs);
        l.valueB = src.get(p + "attention.self.value.bias", {h}, hs);
        l.attnOutW = src.get(p + "attention.output.dense.weight", {h, h}, hs);
        l.attnOutB = src.get(p + "attention.output.dense.bias", {h}, hs);
        l.attnLnGamma = src.get(p + "attention.output.LayerNorm.weight", {h}, hs);
        l.attnLnBeta = src.get(p + "attention.output.LayerNorm.bias", {h}, hs);
        l.interW = src.get(p + "intermediate.dense.weight", {inter, h}, is + ", " + hs);
        l.interB = src.get(p + "intermediate.dense.bias", {inter}, is);
        l.outW = src.get(p + "output.dense.weight", {h, inter}, hs + ", " + is);
        l.outB = src.get(p + "output.dense.bias", {h}, hs);
        l.outLnGamma = src.get(p + "output.LayerNorm.weight", {h}, hs);
        l.outLnBeta = src.get(p + "output.LayerNorm.bias", {h}, hs);
    }

    requireAllOrNone(src, {"pooler.dense.weight", "pooler.dense.bias"}, "pooler");
    if (src.has("pooler.dense.weight")) {
        w.poolerW = src.get("pooler.dense.weight", {h, h}, hs);
        w.poolerB = src.get("pooler.dense.bias", {h}, hs);
    }

    const std::vector<std::string> mlm{"cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                                       "cls.predictions.transform.LayerNorm.weight",
                                       "cls.predictions.transform.LayerNorm.bias"};
    requireAllOrNone(src, mlm, "masked-LM");
    if (src.has(mlm[0])) {
        w.mlmTransformW = src.get(mlm[0], {h, h}, hs);
        w.mlmTransformB = src.get(mlm[1], {h}, hs);
        w.mlmLnGamma = src.get(mlm[2], {h}, hs);
        w.mlmLnBeta = src.get(mlm[3], {h}, hs);
        // The decoder bias is saved under one of two tied names.
        const std::string biasName =
            src.has("cls.predictions.bias") ? "cls.predictions.bias" : "cls.predictions.decoder.bias";
        w.mlmDecoderB = src.get(biasName, {v}, "vocab_size " + std::to_string(v));
        if (src.has("cls.predictions.decoder.weight")) {
            const Tensor decoder = src.get("cls.predictions.decoder.weight", {v, h},
                                           "tied to the word embeddings: vocab_size, hidden_size");
            if (decoder.data != w.wordEmb.data) {
                throw FileFormatError(src.path() +
                                      ": cls.predictions.decoder.weight differs from the word embeddings; "
                                      "only tied decoders (HF's default) are supported");
            }
        }
    }

    requireAllOrNone(src, {"classifier.weight", "classifier.bias"}, "classifier");
    if (src.has("classifier.weight")) {
        const std::string why = "num_labels " + std::to_string(labels) + ", " + hs;
        Tensor cw = src.get("classifier.weight", {labels, h}, why);
        Tensor cb = src.get("classifier.bias", {labels}, why);
        const bool token = std::find(c.architectures.begin(), c.architectures.end(), "BertForTokenClassification") !=
                           c.architectures.end();
        if (token) {
            w.tokenClassifierW = std::move(cw);
            w.tokenClassifierB = std::move(cb);
        } else {
            w.classifierW = std::move(cw);
            w.classifierB = std::move(cb);
        }
    }

    requireAllOrNone(src, {"qa_outputs.weight", "qa_outputs.bias"}, "question-answering");
    if (src.has("qa_outputs.weight")) {
        w.qaW = src.get("qa_outputs.weight", {2, h}, "start and end logits, " + hs);
        w.qaB = src.get("qa_outputs.bias", {2}, "start and end logits");
    }
    return w;
}

} // namespace bertbench

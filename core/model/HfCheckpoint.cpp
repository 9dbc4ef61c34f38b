// loadHfCheckpoint: a HuggingFace folder of a BERT-family model or ModernBERT (config.json +
// model.safetensors) into BertWeights, by the architecture's names (CheckpointNames.h).
#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/model/BertWeights.h"
#include "core/model/CheckpointNames.h"
#include "core/model/Safetensors.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

// Looks tensors up under HF's names, with or without the base model's prefix ("bert.", ...) of
// the task models and with the legacy LayerNorm gamma/beta names; checks each shape against the
// config.
class TensorSource {
public:
    TensorSource(const SafetensorsFile& file, std::string path, const CheckpointNames& names)
        : file_(file), path_(std::move(path)), names_(names) {}

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
    std::vector<std::string> spellings(const std::string& name) const {
        std::vector<std::string> bases{name};
        auto swapSuffix = [&](const std::string& from, const std::string& to) {
            if (name.size() >= from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0) {
                bases.push_back(name.substr(0, name.size() - from.size()) + to);
            }
        };
        swapSuffix("LayerNorm.weight", "LayerNorm.gamma");
        swapSuffix("LayerNorm.bias", "LayerNorm.beta");
        // Head names outside the encoder ("cls.", "classifier.", "qa_outputs.") have no prefix;
        // encoder names have it in task models and lack it in a bare *Model.
        const bool encoderPart = std::any_of(names_.encoderRoots.begin(), names_.encoderRoots.end(),
                                             [&](const std::string& root) { return name.rfind(root, 0) == 0; });
        std::vector<std::string> out;
        for (const std::string& b : bases) {
            if (encoderPart) out.push_back(names_.basePrefix + b);
            out.push_back(b);
        }
        return out;
    }

    const SafetensorsFile& file_;
    std::string path_;
    const CheckpointNames& names_;
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

// Embeddings and layers, every tensor required.
void loadEncoder(const TensorSource& src, const CheckpointNames& n, BertWeights& w) {
    const ModelConfig& c = w.config;
    const int64_t h = c.hiddenSize, inter = c.intermediateSize, v = c.vocabSize, e = c.embeddingWidth();
    const std::string hs = "hidden_size " + std::to_string(h);
    const std::string es = c.embeddingSize > 0 ? "embedding_size " + std::to_string(e) : hs;
    const std::string is = "intermediate_size " + std::to_string(inter);
    w.wordEmb = src.get(n.wordEmb, {v, e}, "vocab_size " + std::to_string(v) + ", " + es);
    w.posEmb = src.get(n.posEmb, {c.maxPositions, e}, "max_position_embeddings " + std::to_string(c.maxPositions) + ", " + es);
    if (c.hasTokenTypes())
        w.typeEmb = src.get(n.typeEmb, {c.typeVocabSize, e}, "type_vocab_size " + std::to_string(c.typeVocabSize) + ", " + es);
    w.embLnGamma = src.get(n.embLn + ".weight", {e}, es);
    w.embLnBeta = src.get(n.embLn + ".bias", {e}, es);
    if (c.embeddingSize > 0) {
        w.embProjW = src.get(n.embProj + ".weight", {h, e}, hs + ", " + es);
        w.embProjB = src.get(n.embProj + ".bias", {h}, hs);
    }
    w.layers.resize(size_t(c.numLayers));
    for (int i = 0; i < c.numLayers; ++i) {
        LayerWeights& l = w.layers[size_t(i)];
        const std::string p = n.layer + std::to_string(i) + ".";
        l.queryW = src.get(p + n.query + ".weight", {h, h}, hs);
        l.queryB = src.get(p + n.query + ".bias", {h}, hs);
        l.keyW = src.get(p + n.key + ".weight", {h, h}, hs);
        l.keyB = src.get(p + n.key + ".bias", {h}, hs);
        l.valueW = src.get(p + n.value + ".weight", {h, h}, hs);
        l.valueB = src.get(p + n.value + ".bias", {h}, hs);
        l.attnOutW = src.get(p + n.attnOut + ".weight", {h, h}, hs);
        l.attnOutB = src.get(p + n.attnOut + ".bias", {h}, hs);
        l.attnLnGamma = src.get(p + n.attnLn + ".weight", {h}, hs);
        l.attnLnBeta = src.get(p + n.attnLn + ".bias", {h}, hs);
        l.interW = src.get(p + n.inter + ".weight", {inter, h}, is + ", " + hs);
        l.interB = src.get(p + n.inter + ".bias", {inter}, is);
        l.outW = src.get(p + n.out + ".weight", {h, inter}, hs + ", " + is);
        l.outB = src.get(p + n.out + ".bias", {h}, hs);
        l.outLnGamma = src.get(p + n.outLn + ".weight", {h}, hs);
        l.outLnBeta = src.get(p + n.outLn + ".bias", {h}, hs);
    }
}

// Whether config.json's "architectures" names a class ending in `suffix` ("ForTokenClassification").
bool namesClass(const ModelConfig& c, const std::string& suffix) {
    return std::any_of(c.architectures.begin(), c.architectures.end(), [&](const std::string& a) {
        return a.size() >= suffix.size() && a.compare(a.size() - suffix.size(), suffix.size(), suffix) == 0;
    });
}

bool namesTokenClassifier(const ModelConfig& c) { return namesClass(c, "ForTokenClassification"); }

// A linear layer of a head: both tensors or neither (a partial head is a broken file).
bool loadLinear(const TensorSource& src, const std::string& name, int64_t out, int64_t in, const std::string& why,
                const std::string& head, Tensor& weight, Tensor& bias) {
    requireAllOrNone(src, {name + ".weight", name + ".bias"}, head);
    if (!src.has(name + ".weight")) return false;
    weight = src.get(name + ".weight", {out, in}, why);
    bias = src.get(name + ".bias", {out}, why);
    return true;
}

void loadMlmHead(const TensorSource& src, const CheckpointNames& n, BertWeights& w) {
    const ModelConfig& c = w.config;
    const int64_t h = c.hiddenSize, v = c.vocabSize, e = c.embeddingWidth();
    const std::string es = "embedding width " + std::to_string(e);
    requireAllOrNone(src, {n.mlmDense + ".weight", n.mlmDense + ".bias", n.mlmLn + ".weight", n.mlmLn + ".bias"},
                     "masked-LM");
    if (!src.has(n.mlmDense + ".weight")) return;
    w.mlmTransformW = src.get(n.mlmDense + ".weight", {e, h}, es + ", hidden_size " + std::to_string(h));
    w.mlmTransformB = src.get(n.mlmDense + ".bias", {e}, es);
    w.mlmLnGamma = src.get(n.mlmLn + ".weight", {e}, es);
    w.mlmLnBeta = src.get(n.mlmLn + ".bias", {e}, es);
    // The decoder bias is saved under one of its tied names.
    const auto bias = std::find_if(n.mlmBias.begin(), n.mlmBias.end(), [&](const std::string& b) { return src.has(b); });
    w.mlmDecoderB = src.get(bias != n.mlmBias.end() ? *bias : n.mlmBias.front(), {v}, "vocab_size " + std::to_string(v));
    if (src.has(n.mlmDecoder)) {
        const Tensor decoder = src.get(n.mlmDecoder, {v, e}, "tied to the word embeddings: vocab_size, " + es);
        if (decoder.data != w.wordEmb.data) {
            throw FileFormatError(src.path() + ": " + n.mlmDecoder +
                                  " differs from the word embeddings; only tied decoders (HF's default) are supported");
        }
    }
}

void loadHeads(const TensorSource& src, const CheckpointNames& n, BertWeights& w) {
    const ModelConfig& c = w.config;
    const int64_t h = c.hiddenSize, labels = c.numLabels;
    const std::string hs = "hidden_size " + std::to_string(h);
    const std::string why = "num_labels " + std::to_string(labels) + ", " + hs;
    loadLinear(src, n.seqPooler, h, h, hs, "pooler", w.poolerW, w.poolerB);
    if (namesTokenClassifier(c)) {
        loadLinear(src, n.tokenClassifier, labels, h, why, "token classifier", w.tokenClassifierW, w.tokenClassifierB);
    } else {
        loadLinear(src, n.seqClassifier, labels, h, why, "classifier", w.classifierW, w.classifierB);
    }
    loadLinear(src, n.qa, 2, h, "start and end logits, " + hs, "question-answering", w.qaW, w.qaB);
    loadMlmHead(src, n, w);
}


// ModernBERT: every tensor of the encoder required; a bias only where the config declares one
// (attention_bias, mlp_bias, norm_bias), as HF builds the layers.
void loadModernBertEncoder(const TensorSource& src, const CheckpointNames& n, BertWeights& w) {
    const ModelConfig& c = w.config;
    const ModernBertSettings& s = c.modernBert;
    const int64_t h = c.hiddenSize, inter = c.intermediateSize, v = c.vocabSize;
    const std::string hs = "hidden_size " + std::to_string(h);
    const std::string is = "intermediate_size " + std::to_string(inter);
    auto norm = [&](const std::string& name, Tensor& gamma, Tensor& beta) {
        gamma = src.get(name + ".weight", {h}, hs);
        if (s.normBias) beta = src.get(name + ".bias", {h}, hs + ", norm_bias");
    };
    auto linear = [&](const std::string& name, int64_t out, int64_t in, bool bias, const std::string& why,
                      Tensor& weight, Tensor& b) {
        weight = src.get(name + ".weight", {out, in}, why);
        if (bias) b = src.get(name + ".bias", {out}, why);
    };
    w.wordEmb = src.get(n.wordEmb, {v, h}, "vocab_size " + std::to_string(v) + ", " + hs);
    norm(n.embLn, w.embLnGamma, w.embLnBeta);
    ModernBertWeights& m = w.modernBert;
    m.layers.resize(size_t(c.numLayers));
    for (int i = 0; i < c.numLayers; ++i) {
        ModernBertLayerWeights& l = m.layers[size_t(i)];
        const std::string p = n.layer + std::to_string(i) + ".";
        if (i > 0) norm(p + n.attnLn, l.attnNormGamma, l.attnNormBeta);   // layer 0: the identity
        linear(p + n.qkv, 3 * h, h, s.attentionBias, "3 × " + hs + ", " + hs, l.qkvW, l.qkvB);
        linear(p + n.attnOut, h, h, s.attentionBias, hs, l.attnOutW, l.attnOutB);
        norm(p + n.outLn, l.mlpNormGamma, l.mlpNormBeta);
        linear(p + n.inter, 2 * inter, h, s.mlpBias, "2 × " + is + " (GeGLU's input and gate), " + hs, l.wiW, l.wiB);
        linear(p + n.out, h, inter, s.mlpBias, hs + ", " + is, l.mlpOutW, l.mlpOutB);
    }
    norm(n.finalNorm, m.finalNormGamma, m.finalNormBeta);
}

// The prediction head every ModernBERT task model has, then the task's own output layer: the
// tied decoder (+ bias with decoder_bias) of a *ForMaskedLM, or `classifier`, which is the token
// classifier, the QA head or the sequence classifier by the class config.json names.
void loadModernBertHeads(const TensorSource& src, const CheckpointNames& n, BertWeights& w) {
    const ModelConfig& c = w.config;
    const ModernBertSettings& s = c.modernBert;
    const int64_t h = c.hiddenSize, v = c.vocabSize, labels = c.numLabels;
    const std::string hs = "hidden_size " + std::to_string(h);
    std::vector<std::string> head{n.mlmDense + ".weight", n.mlmLn + ".weight"};
    if (s.classifierBias) head.push_back(n.mlmDense + ".bias");
    if (s.normBias) head.push_back(n.mlmLn + ".bias");
    requireAllOrNone(src, head, "prediction");
    if (!src.has(n.mlmDense + ".weight")) return;   // a bare ModernBertModel
    ModernBertWeights& m = w.modernBert;
    m.headDenseW = src.get(n.mlmDense + ".weight", {h, h}, hs);
    if (s.classifierBias) m.headDenseB = src.get(n.mlmDense + ".bias", {h}, hs + ", classifier_bias");
    m.headNormGamma = src.get(n.mlmLn + ".weight", {h}, hs);
    if (s.normBias) m.headNormBeta = src.get(n.mlmLn + ".bias", {h}, hs + ", norm_bias");

    const std::string why = "num_labels " + std::to_string(labels) + ", " + hs;
    if (namesTokenClassifier(c)) {
        loadLinear(src, n.tokenClassifier, labels, h, why, "token classifier", w.tokenClassifierW, w.tokenClassifierB);
    } else if (namesClass(c, "ForQuestionAnswering")) {
        loadLinear(src, n.qa, 2, h, "start and end logits, " + hs, "question-answering", w.qaW, w.qaB);
    } else if (!namesClass(c, "ForMultipleChoice")) {   // one logit per choice: not a BertBench task
        loadLinear(src, n.seqClassifier, labels, h, why, "classifier", w.classifierW, w.classifierB);
    }

    m.hasDecoder = namesClass(c, "ForMaskedLM") || src.has(n.mlmDecoder) ||
                   std::any_of(n.mlmBias.begin(), n.mlmBias.end(), [&](const std::string& b) { return src.has(b); });
    if (!m.hasDecoder) return;
    if (s.decoderBias) w.mlmDecoderB = src.get(n.mlmBias.front(), {v}, "vocab_size " + std::to_string(v) + ", decoder_bias");
    if (src.has(n.mlmDecoder)) {
        const Tensor decoder = src.get(n.mlmDecoder, {v, h}, "tied to the word embeddings: vocab_size, " + hs);
        if (decoder.data != w.wordEmb.data) {
            throw FileFormatError(src.path() + ": " + n.mlmDecoder +
                                  " differs from the word embeddings; only tied decoders (HF's default) are supported");
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
    const CheckpointNames names = checkpointNamesFor(w.config.modelType);
    const SafetensorsFile file = SafetensorsFile::open(weightsPath.string());
    const TensorSource src(file, weightsPath.string(), names);
    if (w.config.isModernBert()) {
        loadModernBertEncoder(src, names, w);
        loadModernBertHeads(src, names, w);
    } else {
        loadEncoder(src, names, w);
        loadHeads(src, names, w);
    }
    return w;
}

} // namespace bertbench

// tokenizer.json (HF's serialised fast tokenizer) → a TokenCounter: WordPiece with its
// BertNormalizer, or BPE behind a ByteLevel pre-tokenizer; added tokens and the post-processor's
// special tokens for a single text.
#include <nlohmann/json.hpp>

#include "core/util/Errors.h"
#include "core/workload/ByteLevelBpeTokenizer.h"
#include "core/workload/JsonText.h"
#include "core/workload/TextFileLines.h"
#include "core/workload/TokenizerFiles.h"
#include "core/workload/WordPieceTokenizer.h"

namespace bertbench {

namespace {

using nlohmann::json;

struct Specials {
    std::vector<std::string> prefix, suffix;
};

// The first component of `node` (itself, or inside a Sequence) whose type is `type`, or null.
const json* findComponent(const json& node, const std::string& type, const char* listKey) {
    if (!node.is_object()) return nullptr;
    if (node.value("type", "") == type) return &node;
    if (node.value("type", "") == "Sequence" && node.contains(listKey) && node[listKey].is_array())
        for (const json& part : node[listKey])
            if (const json* found = findComponent(part, type, listKey)) return found;
    return nullptr;
}

std::string tokenOfPair(const json& pair) {
    return pair.is_array() && !pair.empty() && pair[0].is_string() ? pair[0].get<std::string>() : std::string();
}

// What the post-processor adds around a single text.
void addSpecials(const std::string& path, const json& processor, Specials& out) {
    if (!processor.is_object()) return;
    const std::string type = processor.value("type", "");
    if (type == "Sequence" && processor.contains("processors")) {
        for (const json& p : processor["processors"]) addSpecials(path, p, out);
    } else if (type == "BertProcessing" || type == "RobertaProcessing") {
        out.prefix.push_back(tokenOfPair(processor.value("cls", json())));
        out.suffix.push_back(tokenOfPair(processor.value("sep", json())));
    } else if (type == "TemplateProcessing") {
        const json single = processor.value("single", json::array());
        const json specialTokens = processor.value("special_tokens", json::object());
        bool afterSequence = false;
        for (const json& piece : single) {
            if (piece.contains("Sequence")) {
                afterSequence = true;
                continue;
            }
            if (!piece.contains("SpecialToken")) continue;
            const std::string id = piece["SpecialToken"].value("id", "");
            std::vector<std::string> tokens{id};
            if (specialTokens.contains(id) && specialTokens[id].contains("tokens"))
                tokens = specialTokens[id]["tokens"].get<std::vector<std::string>>();
            auto& side = afterSequence ? out.suffix : out.prefix;
            side.insert(side.end(), tokens.begin(), tokens.end());
        }
    } else if (type != "ByteLevel" && !type.empty()) {
        throw FileFormatError(path + ": post_processor type '" + type + "' is not supported (BertProcessing, "
                                     "RobertaProcessing, TemplateProcessing, ByteLevel, Sequence)");
    }
}

AddedTokens addedTokens(const json& root) {
    std::vector<AddedToken> tokens;
    for (const json& t : root.value("added_tokens", json::array()))
        if (t.is_object() && t.contains("content") && t["content"].is_string())
            tokens.push_back({t["content"], t.value("lstrip", false), t.value("rstrip", false)});
    return AddedTokens(tokens);
}

std::unordered_map<std::string, int> vocabOf(const std::string& path, const json& model) {
    if (!model.contains("vocab") || !model["vocab"].is_object() || model["vocab"].empty())
        throw FileFormatError(path + ": model.vocab is missing or not an object of token → id");
    std::unordered_map<std::string, int> vocab;
    for (const auto& [token, id] : model["vocab"].items()) {
        if (!id.is_number_integer()) throw FileFormatError(path + ": model.vocab[\"" + token + "\"] is not an integer id");
        vocab.emplace(token, id.get<int>());
    }
    return vocab;
}

std::unique_ptr<TokenCounter> wordPiece(const std::string& path, const json& root, Specials specials) {
    const json& model = root["model"];
    WordPieceSettings s;
    s.vocab = vocabOf(path, model);
    s.unkToken = model.value("unk_token", "[UNK]");
    s.continuingSubwordPrefix = model.value("continuing_subword_prefix", "##");
    s.maxInputCharsPerWord = model.value("max_input_chars_per_word", std::size_t{100});
    const json normalizer = root.value("normalizer", json());
    if (const json* bert = findComponent(normalizer, "BertNormalizer", "normalizers")) {
        s.normalization.cleanText = bert->value("clean_text", true);
        s.normalization.handleChineseChars = bert->value("handle_chinese_chars", true);
        s.normalization.lowercase = bert->value("lowercase", true);
        const json strip = bert->value("strip_accents", json());
        s.normalization.stripAccents = strip.is_boolean() ? strip.get<bool>() : s.normalization.lowercase;
    } else {
        s.normalization = {false, false, false, false};
    }
    s.addedTokens = addedTokens(root);
    s.prefixTokens = std::move(specials.prefix);
    s.suffixTokens = std::move(specials.suffix);
    s.source = path;
    return std::make_unique<WordPieceTokenizer>(std::move(s));
}

std::unique_ptr<TokenCounter> byteLevelBpe(const std::string& path, const json& root, Specials specials) {
    const json& model = root["model"];
    const json preTokenizer = root.value("pre_tokenizer", json());
    const json* byteLevel = findComponent(preTokenizer, "ByteLevel", "pretokenizers");
    if (!byteLevel)
        throw FileFormatError(path + ": a BPE model without a ByteLevel pre-tokenizer is not supported (only "
                                     "GPT-2/RoBERTa-style byte-level BPE); give the token counts with --lengths");
    ByteLevelBpeSettings s;
    s.vocab = vocabOf(path, model);
    if (!model.contains("merges") || !model["merges"].is_array())
        throw FileFormatError(path + ": model.merges is missing or not a list");
    for (const json& m : model["merges"]) {
        if (m.is_string()) {
            const std::string text = m;
            const std::size_t space = text.find(' ');
            if (space == std::string::npos) throw FileFormatError(path + ": model.merges has \"" + text + "\", not \"left right\"");
            s.merges.emplace_back(text.substr(0, space), text.substr(space + 1));
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            s.merges.emplace_back(m[0], m[1]);
        } else {
            throw FileFormatError(path + ": model.merges has an entry that is neither \"left right\" nor [left, right]");
        }
    }
    s.addPrefixSpace = byteLevel->value("add_prefix_space", false);
    s.addedTokens = addedTokens(root);
    s.prefixTokens = std::move(specials.prefix);
    s.suffixTokens = std::move(specials.suffix);
    s.source = path;
    return std::make_unique<ByteLevelBpeTokenizer>(std::move(s));
}

} // namespace

std::unique_ptr<TokenCounter> loadTokenizerJson(const std::string& path) {
    json root = parseJsonText(readFileBytes(path), path + ": ");
    if (!root.is_object() || !root.contains("model") || !root["model"].is_object())
        throw FileFormatError(path + ": no \"model\" object: not a HuggingFace tokenizer.json");
    try {
        Specials specials;
        addSpecials(path, root.value("post_processor", json()), specials);
        const std::string type = root["model"].value("type", "");
        if (type == "WordPiece") return wordPiece(path, root, std::move(specials));
        if (type == "BPE") return byteLevelBpe(path, root, std::move(specials));
        throw FileFormatError(path + ": model type '" + type + "' is not supported (WordPiece or byte-level BPE; " +
                              "a SentencePiece checkpoint needs its sentencepiece.bpe.model beside it)");
    } catch (const json::exception& e) {
        throw FileFormatError(path + ": unexpected content (" + e.what() + ")");
    }
}

} // namespace bertbench

#include "core/workload/TokenizerFiles.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/util/Errors.h"
#include "core/workload/ByteLevelBpeTokenizer.h"
#include "core/workload/JsonText.h"
#include "core/workload/SentencePieceTokenizer.h"
#include "core/workload/TextFileLines.h"
#include "core/workload/WordPieceTokenizer.h"

namespace bertbench {

namespace fs = std::filesystem;

#ifndef BERTBENCH_HAVE_TOKENIZERS
namespace {
[[noreturn]] void noTokenizers(const std::string& what) {
    throw InputError(what + ": this build has no tokenizers (built without ICU, as the device preset is); count "
                            "the tokens with a core or default build (`bertbench-cli workload FILE --tokenizer DIR "
                            "--counts > lengths.txt`) and give them with --lengths");
}
} // namespace
bool hasTokenizerFiles(const std::string&) { return false; }
std::unique_ptr<TokenCounter> loadTokenizer(const std::string& folder) { noTokenizers(folder); }
std::unique_ptr<TokenCounter> loadTokenizerJson(const std::string& path) { noTokenizers(path); }
#else
namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// A folder's JSON file (tokenizer_config.json, config.json), or {} when it is absent.
nlohmann::json optionalJson(const fs::path& path) {
    if (!isFile(path)) return nlohmann::json::object();
    nlohmann::json json = parseJsonText(readFileBytes(path.string()), path.string() + ": ");
    if (!json.is_object()) throw FileFormatError(path.string() + ": expected a JSON object");
    return json;
}

bool boolOr(const nlohmann::json& config, const char* key, bool fallback) {
    const auto it = config.find(key);
    return it != config.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string tokenOr(const nlohmann::json& config, const char* key, const std::string& fallback) {
    const auto it = config.find(key);
    if (it == config.end()) return fallback;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) return (*it)["content"];
    return fallback;
}

// The special tokens HF's slow-to-fast converters register, those the vocabulary has.
AddedTokens specialsInVocab(const std::unordered_map<std::string, int>& vocab, const std::vector<AddedToken>& specials) {
    std::vector<AddedToken> present;
    for (const AddedToken& t : specials)
        if (vocab.count(t.content)) present.push_back(t);
    return AddedTokens(present);
}

std::unique_ptr<TokenCounter> wordPieceFromVocabTxt(const fs::path& folder) {
    const nlohmann::json config = optionalJson(folder / "tokenizer_config.json");
    WordPieceSettings s;
    s.vocab = readWordPieceVocab((folder / "vocab.txt").string());
    s.normalization.lowercase = boolOr(config, "do_lower_case", true);
    s.normalization.stripAccents = boolOr(config, "strip_accents", s.normalization.lowercase);
    s.normalization.handleChineseChars = boolOr(config, "tokenize_chinese_chars", true);
    s.unkToken = tokenOr(config, "unk_token", "[UNK]");
    s.prefixTokens = {tokenOr(config, "cls_token", "[CLS]")};
    s.suffixTokens = {tokenOr(config, "sep_token", "[SEP]")};
    std::vector<AddedToken> specials;
    for (const char* key : {"pad_token", "unk_token", "cls_token", "sep_token", "mask_token"})
        specials.push_back({tokenOr(config, key, ""), false, false});
    for (const char* name : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) specials.push_back({name, false, false});
    s.addedTokens = specialsInVocab(s.vocab, specials);
    s.source = (folder / "vocab.txt").string();
    return std::make_unique<WordPieceTokenizer>(std::move(s));
}

// RoBERTa-style (adds <s> … </s>): the configs say so, or the vocabulary has both tokens.
bool robertaStyle(const nlohmann::json& tokenizerConfig, const nlohmann::json& modelConfig,
                  const std::unordered_map<std::string, int>& vocab) {
    const std::string cls = tokenizerConfig.value("tokenizer_class", std::string());
    if (cls.rfind("GPT2", 0) == 0) return false;
    if (cls.find("Roberta") != std::string::npos || cls.find("Bart") != std::string::npos ||
        cls.find("Longformer") != std::string::npos)
        return true;
    const std::string type = modelConfig.value("model_type", std::string());
    if (type == "gpt2") return false;
    if (type == "roberta" || type == "longformer" || type == "bart") return true;
    return vocab.count("<s>") && vocab.count("</s>");
}

std::unique_ptr<TokenCounter> byteLevelFromVocabJson(const fs::path& folder) {
    const nlohmann::json config = optionalJson(folder / "tokenizer_config.json");
    const nlohmann::json modelConfig = optionalJson(folder / "config.json");
    ByteLevelBpeSettings s;
    s.vocab = readBpeVocabJson((folder / "vocab.json").string());
    s.merges = readBpeMerges((folder / "merges.txt").string());
    s.addPrefixSpace = boolOr(config, "add_prefix_space", false);
    if (robertaStyle(config, modelConfig, s.vocab)) {
        s.prefixTokens = {tokenOr(config, "bos_token", "<s>")};
        s.suffixTokens = {tokenOr(config, "eos_token", "</s>")};
        s.addedTokens = specialsInVocab(s.vocab, {{"<s>"}, {"</s>"}, {"<pad>"}, {"<unk>"}, {"<mask>", true, false}});
    } else {
        s.addedTokens = specialsInVocab(s.vocab, {{"<|endoftext|>"}});
    }
    s.source = (folder / "vocab.json").string() + " + merges.txt";
    return std::make_unique<ByteLevelBpeTokenizer>(std::move(s));
}

std::unique_ptr<TokenCounter> sentencePieceFromModel(const fs::path& folder) {
    SentencePieceSettings s;
    s.modelPath = (folder / "sentencepiece.bpe.model").string();
    s.addedTokens = AddedTokens({{"<s>"}, {"</s>"}, {"<pad>"}, {"<unk>"}, {"<mask>", true, false}});
    return std::make_unique<SentencePieceTokenizer>(std::move(s));
}

bool tokenizerJsonIsUnigram(const fs::path& path) {
    try {
        const nlohmann::json json = nlohmann::json::parse(readFileBytes(path.string()));
        return json.contains("model") && json["model"].value("type", "") == "Unigram";
    } catch (const nlohmann::json::exception&) {
        return false;
    }
}

} // namespace

bool hasTokenizerFiles(const std::string& folder) {
    const fs::path f(folder);
    return isFile(f / "tokenizer.json") || isFile(f / "vocab.txt") ||
           (isFile(f / "vocab.json") && isFile(f / "merges.txt")) || isFile(f / "sentencepiece.bpe.model");
}

std::unique_ptr<TokenCounter> loadTokenizer(const std::string& folder) {
    const fs::path f(folder);
    std::error_code ec;
    if (!fs::is_directory(f, ec))
        throw InputError(folder + ": not a folder (a tokenizer is a checkpoint folder with tokenizer.json, "
                                  "vocab.txt, vocab.json + merges.txt or sentencepiece.bpe.model)");
    const bool spm = isFile(f / "sentencepiece.bpe.model");
    if (isFile(f / "tokenizer.json") && !(spm && tokenizerJsonIsUnigram(f / "tokenizer.json")))
        return loadTokenizerJson((f / "tokenizer.json").string());
    if (isFile(f / "vocab.txt")) return wordPieceFromVocabTxt(f);
    if (isFile(f / "vocab.json") && isFile(f / "merges.txt")) return byteLevelFromVocabJson(f);
    if (spm) return sentencePieceFromModel(f);
    throw InputError(folder + ": no tokenizer files (tokenizer.json, vocab.txt, vocab.json + merges.txt or "
                              "sentencepiece.bpe.model); give the token counts instead with --lengths FILE");
}

#endif

} // namespace bertbench

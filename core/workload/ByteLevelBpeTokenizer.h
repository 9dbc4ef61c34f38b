#pragma once
// Byte-level BPE for GPT-2 and RoBERTa-style checkpoints, as HF's GPT2TokenizerFast /
// RobertaTokenizerFast: added tokens cut out first, GPT-2's pre-tokenisation, each piece's UTF-8
// bytes mapped to GPT-2's printable byte alphabet, then merges applied by rank (lowest first).
// RoBERTa-style checkpoints add <s> … </s> (prefix/suffix tokens); GPT-2 adds none.
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/workload/AddedTokens.h"
#include "core/workload/TokenCounter.h"

namespace bertbench {

struct ByteLevelBpeSettings {
    std::unordered_map<std::string, int> vocab;
    std::vector<std::pair<std::string, std::string>> merges;  // in rank order
    bool addPrefixSpace = false;
    AddedTokens addedTokens;
    std::vector<std::string> prefixTokens;  // {"<s>"} for RoBERTa-style checkpoints
    std::vector<std::string> suffixTokens;  // {"</s>"}
    std::string source;                     // "vocab.json + merges.txt" or "tokenizer.json"
};

class ByteLevelBpeTokenizer : public TokenCounter {
public:
    explicit ByteLevelBpeTokenizer(ByteLevelBpeSettings settings);
    std::vector<std::string> tokens(std::string_view text) const override;
    std::string description() const override;
    // One pre-tokenised piece (already in the byte alphabet) into its BPE symbols.
    std::vector<std::string> bpe(const std::string& mappedPiece) const;

private:
    ByteLevelBpeSettings s_;
    std::unordered_map<std::string, int> ranks_;  // "left right" → rank
};

// GPT-2's byte → printable character map (bytes_to_unicode), as UTF-8 strings.
const std::vector<std::string>& byteLevelAlphabet();

// vocab.json (a JSON object token → id) and merges.txt ("left right" per line, "#version" line
// skipped). Throw FileFormatError naming the file and line.
std::unordered_map<std::string, int> readBpeVocabJson(const std::string& path);
std::vector<std::pair<std::string, std::string>> readBpeMerges(const std::string& path);

} // namespace bertbench

#pragma once
// WordPiece for BERT-style checkpoints, as HF's BertTokenizerFast: the added tokens cut out first,
// BERT's basic tokenizer, then per word greedy longest-match-first with "##" continuations; a word
// longer than max_input_chars_per_word, or one with a piece not in the vocabulary, is one [UNK].
// The post-processor's special tokens ([CLS] … [SEP]: 2) are counted.
#include <cstddef>
#include <string>
#include <unordered_map>

#include "core/workload/AddedTokens.h"
#include "core/workload/BertBasicTokenizer.h"
#include "core/workload/TokenCounter.h"

namespace bertbench {

struct WordPieceSettings {
    std::unordered_map<std::string, int> vocab;
    std::string unkToken = "[UNK]";
    std::string continuingSubwordPrefix = "##";
    std::size_t maxInputCharsPerWord = 100;
    BertNormalization normalization;
    AddedTokens addedTokens;
    std::vector<std::string> prefixTokens{"[CLS]"};  // what the post-processor adds around a text
    std::vector<std::string> suffixTokens{"[SEP]"};
    std::string source;  // for description(): "vocab.txt" or "tokenizer.json"
};

class WordPieceTokenizer : public TokenCounter {
public:
    explicit WordPieceTokenizer(WordPieceSettings settings);
    std::vector<std::string> tokens(std::string_view text) const override;
    std::string description() const override;
    // One word (already normalised) into its pieces.
    void appendWordPieces(const std::u32string& word, std::vector<std::string>& out) const;

private:
    WordPieceSettings s_;
};

// Reads a vocab.txt (one token per line, the line number is its id). Throws FileFormatError
// naming the file (missing, empty, binary, invalid UTF-8 with its line).
std::unordered_map<std::string, int> readWordPieceVocab(const std::string& path);

} // namespace bertbench

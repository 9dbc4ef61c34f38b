#pragma once
// A tokenizer as BertBench needs one: how many tokens a text becomes, counted exactly as
// HuggingFace's fast tokenizer of the same checkpoint counts them, special tokens included
// (what `input_ids` would hold without truncation or padding).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bertbench {

class TokenCounter {
public:
    virtual ~TokenCounter() = default;
    // The tokens of one text (valid UTF-8), special tokens included, as HF would spell them.
    virtual std::vector<std::string> tokens(std::string_view text) const = 0;
    // tokens(text).size(); a tokenizer may count without spelling the tokens.
    virtual std::size_t count(std::string_view text) const { return tokens(text).size(); }
    // One line for people and run files: "WordPiece, 30522 tokens, uncased, [CLS] … [SEP] (vocab.txt)".
    virtual std::string description() const = 0;
};

} // namespace bertbench

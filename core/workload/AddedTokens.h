#pragma once
// The tokens a tokenizer matches in the raw text before anything else (HF's added vocabulary:
// [CLS], [SEP], [MASK], <s>, <mask>, <|endoftext|>, …): a text that contains "[SEP]" gets one token
// for it, not five. Leftmost-longest matching on the text as given; lstrip/rstrip swallow the
// whitespace beside a match, as HF's AddedToken options do.
#include <string>
#include <string_view>
#include <vector>

namespace bertbench {

struct AddedToken {
    std::string content;
    bool lstrip = false;
    bool rstrip = false;
};

class AddedTokens {
public:
    AddedTokens() = default;
    explicit AddedTokens(std::vector<AddedToken> tokens);

    struct Segment {
        std::string_view text;
        bool added = false;  // an added token (one token), else text for the model
    };
    // The text cut at every added token; empty plain segments are left out.
    std::vector<Segment> split(std::string_view text) const;
    bool empty() const { return tokens_.empty(); }

private:
    std::vector<AddedToken> tokens_;
};

} // namespace bertbench

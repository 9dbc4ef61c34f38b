#pragma once
// SentencePiece models (XLM-R's and CamemBERT's sentencepiece.bpe.model) through Google's
// SentencePiece library (Debian's libsentencepiece-dev), plus the special tokens the checkpoint's
// post-processor adds (<s> … </s> for XLM-R and CamemBERT). Counts are the library's own; they
// are not checked against HF's XLMRobertaTokenizerFast (tests/fixtures/tokenizers/README.md).
#include <memory>
#include <string>
#include <vector>

#include "core/workload/AddedTokens.h"
#include "core/workload/TokenCounter.h"

namespace bertbench {

struct SentencePieceSettings {
    std::string modelPath;
    AddedTokens addedTokens;
    std::vector<std::string> prefixTokens{"<s>"};
    std::vector<std::string> suffixTokens{"</s>"};
};

class SentencePieceTokenizer : public TokenCounter {
public:
    // Throws FileFormatError naming the model file when the library cannot load it, and
    // InputError when this build has no SentencePiece.
    explicit SentencePieceTokenizer(SentencePieceSettings settings);
    ~SentencePieceTokenizer() override;
    std::vector<std::string> tokens(std::string_view text) const override;
    std::string description() const override;

private:
    struct Impl;
    SentencePieceSettings s_;
    std::unique_ptr<Impl> impl_;
};

// Whether this build links the SentencePiece library.
bool sentencePieceAvailable();

} // namespace bertbench

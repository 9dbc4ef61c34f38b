#include "core/workload/SentencePieceTokenizer.h"

#include "core/util/Errors.h"

#ifdef BERTBENCH_HAVE_SENTENCEPIECE
#include <sentencepiece_processor.h>
#endif

namespace bertbench {

#ifdef BERTBENCH_HAVE_SENTENCEPIECE
struct SentencePieceTokenizer::Impl {
    sentencepiece::SentencePieceProcessor processor;
};
bool sentencePieceAvailable() { return true; }
#else
struct SentencePieceTokenizer::Impl {};
bool sentencePieceAvailable() { return false; }
#endif

SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceSettings settings)
    : s_(std::move(settings)), impl_(std::make_unique<Impl>()) {
#ifdef BERTBENCH_HAVE_SENTENCEPIECE
    const auto status = impl_->processor.Load(s_.modelPath);
    if (!status.ok())
        throw FileFormatError(s_.modelPath + ": not a SentencePiece model the library can load (" + status.ToString() + ")");
#else
    throw InputError(s_.modelPath + ": this build has no SentencePiece library (install libsentencepiece-dev and "
                     "rebuild), so it cannot count this checkpoint's tokens; pass the lengths with --lengths");
#endif
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<std::string> SentencePieceTokenizer::tokens(std::string_view text) const {
    std::vector<std::string> out(s_.prefixTokens.begin(), s_.prefixTokens.end());
#ifdef BERTBENCH_HAVE_SENTENCEPIECE
    for (const AddedTokens::Segment& segment : s_.addedTokens.split(text)) {
        if (segment.added) {
            out.emplace_back(segment.text);
            continue;
        }
        std::vector<std::string> pieces;
        impl_->processor.Encode(std::string(segment.text), &pieces).IgnoreError();
        for (std::string& p : pieces) out.push_back(std::move(p));
    }
#else
    (void)text;
#endif
    out.insert(out.end(), s_.suffixTokens.begin(), s_.suffixTokens.end());
    return out;
}

std::string SentencePieceTokenizer::description() const {
    std::string text = "SentencePiece";
#ifdef BERTBENCH_HAVE_SENTENCEPIECE
    text += ", " + std::to_string(impl_->processor.GetPieceSize()) + " pieces";
#endif
    text += ", special tokens:";
    for (const std::string& t : s_.prefixTokens) text += " " + t;
    text += " …";
    for (const std::string& t : s_.suffixTokens) text += " " + t;
    return text + " (" + s_.modelPath + ")";
}

} // namespace bertbench

#include "core/workload/AddedTokens.h"

#include <algorithm>

#include "core/workload/BertBasicTokenizer.h"
#include "core/workload/Utf8.h"

namespace bertbench {

namespace {

// Bytes of whitespace that end (or, with forward, start) `text`.
std::size_t whitespaceBytes(std::string_view text, bool forward) {
    const std::u32string cps = toCodePoints(text);
    std::size_t bytes = 0;
    std::string one;
    for (std::size_t k = 0; k < cps.size(); ++k) {
        const char32_t c = forward ? cps[k] : cps[cps.size() - 1 - k];
        if (!isBertWhitespace(c)) break;
        one.clear();
        appendUtf8(one, c);
        bytes += one.size();
    }
    return bytes;
}

} // namespace

AddedTokens::AddedTokens(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
    std::erase_if(tokens_, [](const AddedToken& t) { return t.content.empty(); });
    // Longest first: the first that matches at a position is the longest there.
    std::stable_sort(tokens_.begin(), tokens_.end(),
                     [](const AddedToken& a, const AddedToken& b) { return a.content.size() > b.content.size(); });
}

std::vector<AddedTokens::Segment> AddedTokens::split(std::string_view text) const {
    std::vector<Segment> segments;
    if (tokens_.empty()) {
        if (!text.empty()) segments.push_back({text, false});
        return segments;
    }
    std::size_t plainStart = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const AddedToken* match = nullptr;
        for (const AddedToken& t : tokens_)
            if (text.compare(i, t.content.size(), t.content) == 0) {
                match = &t;
                break;
            }
        if (!match) {
            ++i;
            continue;
        }
        std::string_view plain = text.substr(plainStart, i - plainStart);
        if (match->lstrip) plain.remove_suffix(whitespaceBytes(plain, false));
        if (!plain.empty()) segments.push_back({plain, false});
        segments.push_back({text.substr(i, match->content.size()), true});
        i += match->content.size();
        if (match->rstrip) i += whitespaceBytes(text.substr(i), true);
        plainStart = i;
    }
    if (plainStart < text.size()) segments.push_back({text.substr(plainStart), false});
    return segments;
}

} // namespace bertbench

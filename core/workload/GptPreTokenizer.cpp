#include "core/workload/GptPreTokenizer.h"

#include <unicode/uchar.h>

namespace bertbench {

namespace {

enum class CharClass { Letter, Number, Space, Other };

CharClass classify(char32_t c) {
    const auto u = static_cast<UChar32>(c);
    if (u_hasBinaryProperty(u, UCHAR_WHITE_SPACE)) return CharClass::Space;
    const int32_t mask = U_GET_GC_MASK(u);
    if (mask & U_GC_L_MASK) return CharClass::Letter;
    if (mask & U_GC_N_MASK) return CharClass::Number;
    return CharClass::Other;
}

// The length of the contraction at i ('s 't 'm 'd 're 've 'll), or 0.
std::size_t contraction(std::u32string_view t, std::size_t i) {
    if (t[i] != U'\'' || i + 1 >= t.size()) return 0;
    const char32_t a = t[i + 1];
    if (a == U's' || a == U't' || a == U'm' || a == U'd') return 2;
    if (i + 2 < t.size()) {
        const char32_t b = t[i + 2];
        if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) return 3;
    }
    return 0;
}

std::size_t runOf(std::u32string_view t, std::size_t from, CharClass cls) {
    std::size_t j = from;
    while (j < t.size() && classify(t[j]) == cls) ++j;
    return j;
}

// The end of the match that starts at i.
std::size_t matchEnd(std::u32string_view t, std::size_t i) {
    if (const std::size_t n = contraction(t, i)) return i + n;
    const CharClass first = classify(t[i]);
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional ' ' then a run of one class.
    for (CharClass cls : {CharClass::Letter, CharClass::Number, CharClass::Other}) {
        if (t[i] == U' ' && i + 1 < t.size() && classify(t[i + 1]) == cls) return runOf(t, i + 1, cls);
        if (first == cls) return runOf(t, i, cls);
    }
    // "\s+(?!\S)": whitespace not followed by a non-space: the run, less its last character when
    // something follows it; else "\s+": the run (of one character, then).
    const std::size_t end = runOf(t, i, CharClass::Space);
    if (end == t.size()) return end;
    return end - 1 > i ? end - 1 : end;
}

} // namespace

std::vector<std::u32string> gptPreTokenize(std::u32string_view text) {
    std::vector<std::u32string> pieces;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t end = matchEnd(text, i);
        pieces.emplace_back(text.substr(i, end - i));
        i = end;
    }
    return pieces;
}

} // namespace bertbench

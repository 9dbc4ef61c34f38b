#include "core/workload/BertBasicTokenizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "core/workload/Utf8.h"

namespace bertbench {

bool isBertWhitespace(char32_t c) {
    return c == U'\t' || c == U'\n' || c == U'\r' || u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE);
}

bool isBertControl(char32_t c) {
    if (c == U'\t' || c == U'\n' || c == U'\r') return false;
    switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_SURROGATE:
    case U_PRIVATE_USE_CHAR:
    case U_UNASSIGNED: return true;
    default: return false;
    }
}

bool isBertPunctuation(char32_t c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
    switch (u_charType(static_cast<UChar32>(c))) {
    case U_CONNECTOR_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_OTHER_PUNCTUATION: return true;
    default: return false;
    }
}

// The ranges of HF tokenizers' is_chinese_char (BERT's, with its 0x2B920 start kept).
bool isCjkIdeograph(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

namespace {

std::u32string nfd(std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* normalizer = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) return std::u32string(text);
    const std::string utf8 = toUtf8(text);
    icu::UnicodeString decomposed = normalizer->normalize(icu::UnicodeString::fromUTF8(utf8), status);
    if (U_FAILURE(status)) return std::u32string(text);
    std::string out;
    decomposed.toUTF8String(out);
    return toCodePoints(out);
}

// Each character lower-cased on its own, as Rust's char::to_lowercase: the full mapping
// (U+0130 becomes "i̇"), no context (a final Σ becomes σ).
void appendLowercase(std::u32string& out, char32_t c) {
    if (c == 0x130) {
        out += U"i\u0307";
        return;
    }
    out.push_back(static_cast<char32_t>(u_tolower(static_cast<UChar32>(c))));
}

} // namespace

std::u32string bertNormalize(std::u32string_view text, const BertNormalization& options) {
    std::u32string s;
    s.reserve(text.size());
    for (char32_t c : text) {
        if (options.cleanText) {
            if (c == 0 || c == 0xFFFD || isBertControl(c)) continue;
            if (isBertWhitespace(c)) c = U' ';
        }
        if (options.handleChineseChars && isCjkIdeograph(c)) {
            s.push_back(U' ');
            s.push_back(c);
            s.push_back(U' ');
        } else {
            s.push_back(c);
        }
    }
    if (options.stripAccents) {
        std::u32string stripped;
        for (char32_t c : nfd(s))
            if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) stripped.push_back(c);
        s = std::move(stripped);
    }
    if (options.lowercase) {
        std::u32string lowered;
        lowered.reserve(s.size());
        for (char32_t c : s) appendLowercase(lowered, c);
        s = std::move(lowered);
    }
    return s;
}

std::vector<std::u32string> bertPreTokenize(std::u32string_view normalized) {
    std::vector<std::u32string> words;
    std::u32string word;
    auto flush = [&] {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
    };
    for (char32_t c : normalized) {
        if (isBertWhitespace(c)) {
            flush();
        } else if (isBertPunctuation(c)) {
            flush();
            words.emplace_back(1, c);
        } else {
            word.push_back(c);
        }
    }
    flush();
    return words;
}

std::vector<std::u32string> bertBasicTokenize(std::string_view utf8, const BertNormalization& options) {
    return bertPreTokenize(bertNormalize(toCodePoints(utf8), options));
}

} // namespace bertbench

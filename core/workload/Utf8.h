#pragma once
// UTF-8 ⇄ code points for the tokenizers (ICU's U8 macros underneath).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bertbench {

// The byte offset of the first ill-formed sequence (a bad lead or continuation byte, an
// overlong form, a surrogate, past U+10FFFF, a truncated sequence); nullopt when it is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view bytes);

// The code points of valid UTF-8 (an ill-formed sequence becomes U+FFFD).
std::u32string toCodePoints(std::string_view utf8);

void appendUtf8(std::string& out, char32_t codePoint);
std::string toUtf8(std::u32string_view codePoints);

} // namespace bertbench

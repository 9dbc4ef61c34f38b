#include "core/workload/Utf8.h"

#include <unicode/utf8.h>

namespace bertbench {

std::optional<std::size_t> firstInvalidUtf8(std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    const int32_t length = static_cast<int32_t>(bytes.size());
    int32_t i = 0;
    while (i < length) {
        const int32_t start = i;
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        if (c < 0) return static_cast<std::size_t>(start);
    }
    return std::nullopt;
}

std::u32string toCodePoints(std::string_view utf8) {
    const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
    const int32_t length = static_cast<int32_t>(utf8.size());
    std::u32string out;
    out.reserve(utf8.size());
    int32_t i = 0;
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(s, i, length, c);
        out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
    }
    return out;
}

void appendUtf8(std::string& out, char32_t codePoint) {
    uint8_t buffer[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buffer, n, U8_MAX_LENGTH, static_cast<UChar32>(codePoint), error);
    if (error) {
        appendUtf8(out, U'\uFFFD');
        return;
    }
    out.append(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

std::string toUtf8(std::u32string_view codePoints) {
    std::string out;
    out.reserve(codePoints.size());
    for (char32_t c : codePoints) appendUtf8(out, c);
    return out;
}

} // namespace bertbench

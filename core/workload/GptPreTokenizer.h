#pragma once
// GPT-2's pre-tokenisation, the pattern HF's ByteLevel pre-tokenizer uses:
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matched by hand over code points (std::regex has no \p{…}), with ICU's character properties:
// \p{L} letters, \p{N} numbers, \s Unicode White_Space.
#include <string>
#include <string_view>
#include <vector>

namespace bertbench {

// The pieces of `text` in order; together they are the whole text.
std::vector<std::u32string> gptPreTokenize(std::u32string_view text);

} // namespace bertbench

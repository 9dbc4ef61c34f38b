#pragma once
// BERT's basic tokenizer as HF's fast tokenizers run it: the BertNormalizer (control characters
// removed, whitespace as a space, CJK ideographs spaced out, accents stripped, lower-cased) and
// the BertPreTokenizer (split on whitespace, every punctuation character its own word).
#include <string>
#include <string_view>
#include <vector>

namespace bertbench {

struct BertNormalization {
    bool cleanText = true;           // drop NUL, U+FFFD and control characters; whitespace → ' '
    bool handleChineseChars = true;  // a space on each side of every CJK ideograph
    bool stripAccents = true;        // NFD, then drop non-spacing marks (Mn)
    bool lowercase = true;
};

// The normalised text, as code points.
std::u32string bertNormalize(std::u32string_view text, const BertNormalization& options);

// The words of normalised text: whitespace removed, punctuation isolated.
std::vector<std::u32string> bertPreTokenize(std::u32string_view normalized);

// Both: the words WordPiece then splits.
std::vector<std::u32string> bertBasicTokenize(std::string_view utf8, const BertNormalization& options);

// The character classes, as HF's tokenizers define them (exposed for tests).
bool isBertWhitespace(char32_t c);   // \t \n \r or Unicode White_Space
bool isBertControl(char32_t c);      // a C* category other than \t \n \r
bool isBertPunctuation(char32_t c);  // ASCII punctuation (incl. $ + < = > ^ ` | ~) or a P* category
bool isCjkIdeograph(char32_t c);     // the CJK blocks of BERT's _is_chinese_char

} // namespace bertbench

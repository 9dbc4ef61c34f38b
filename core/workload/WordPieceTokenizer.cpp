#include "core/workload/WordPieceTokenizer.h"

#include "core/workload/TextFileLines.h"
#include "core/workload/Utf8.h"

namespace bertbench {

WordPieceTokenizer::WordPieceTokenizer(WordPieceSettings settings) : s_(std::move(settings)) {}

void WordPieceTokenizer::appendWordPieces(const std::u32string& word, std::vector<std::string>& out) const {
    if (word.size() > s_.maxInputCharsPerWord) {
        out.push_back(s_.unkToken);
        return;
    }
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (start < word.size()) {
        std::size_t end = word.size();
        std::string found;
        while (start < end) {
            std::string candidate = start > 0 ? s_.continuingSubwordPrefix : std::string();
            candidate += toUtf8(std::u32string_view(word).substr(start, end - start));
            if (s_.vocab.count(candidate)) {
                found = std::move(candidate);
                break;
            }
            --end;
        }
        if (found.empty()) {
            out.push_back(s_.unkToken);
            return;
        }
        pieces.push_back(std::move(found));
        start = end;
    }
    for (std::string& p : pieces) out.push_back(std::move(p));
}

std::vector<std::string> WordPieceTokenizer::tokens(std::string_view text) const {
    std::vector<std::string> out(s_.prefixTokens.begin(), s_.prefixTokens.end());
    for (const AddedTokens::Segment& segment : s_.addedTokens.split(text)) {
        if (segment.added) {
            out.emplace_back(segment.text);
            continue;
        }
        for (const std::u32string& word : bertBasicTokenize(segment.text, s_.normalization))
            appendWordPieces(word, out);
    }
    out.insert(out.end(), s_.suffixTokens.begin(), s_.suffixTokens.end());
    return out;
}

std::string WordPieceTokenizer::description() const {
    std::string text = "WordPiece, " + std::to_string(s_.vocab.size()) + " tokens, " +
                       (s_.normalization.lowercase ? "uncased" : "cased");
    text += ", special tokens:";
    for (const std::string& t : s_.prefixTokens) text += " " + t;
    text += " …";
    for (const std::string& t : s_.suffixTokens) text += " " + t;
    if (!s_.source.empty()) text += " (" + s_.source + ")";
    return text;
}

std::unordered_map<std::string, int> readWordPieceVocab(const std::string& path) {
    const std::vector<TextLine> lines = readTextFileLines(path);
    std::unordered_map<std::string, int> vocab;
    int id = 0;
    for (const TextLine& line : lines) {
        std::string token = line.text;
        while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.pop_back();
        vocab.emplace(std::move(token), id++);
    }
    return vocab;
}

} // namespace bertbench

#include "core/workload/ByteLevelBpeTokenizer.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "core/util/Errors.h"
#include "core/workload/GptPreTokenizer.h"
#include "core/workload/JsonText.h"
#include "core/workload/TextFileLines.h"
#include "core/workload/Utf8.h"

namespace bertbench {

const std::vector<std::string>& byteLevelAlphabet() {
    static const std::vector<std::string> alphabet = [] {
        std::vector<std::string> map(256);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            appendUtf8(map[static_cast<std::size_t>(b)], static_cast<char32_t>(printable ? b : next++));
        }
        return map;
    }();
    return alphabet;
}

ByteLevelBpeTokenizer::ByteLevelBpeTokenizer(ByteLevelBpeSettings settings) : s_(std::move(settings)) {
    for (std::size_t r = 0; r < s_.merges.size(); ++r)
        ranks_.emplace(s_.merges[r].first + " " + s_.merges[r].second, static_cast<int>(r));
}

std::vector<std::string> ByteLevelBpeTokenizer::bpe(const std::string& mapped) const {
    std::vector<std::string> symbols;
    for (char32_t c : toCodePoints(mapped)) {
        symbols.emplace_back();
        appendUtf8(symbols.back(), c);
    }
    while (symbols.size() > 1) {
        int best = std::numeric_limits<int>::max();
        std::string bestLeft, bestRight;
        for (std::size_t k = 0; k + 1 < symbols.size(); ++k) {
            const auto it = ranks_.find(symbols[k] + " " + symbols[k + 1]);
            if (it != ranks_.end() && it->second < best) {
                best = it->second;
                bestLeft = symbols[k];
                bestRight = symbols[k + 1];
            }
        }
        if (best == std::numeric_limits<int>::max()) break;
        std::vector<std::string> merged;
        merged.reserve(symbols.size());
        for (std::size_t k = 0; k < symbols.size(); ++k) {
            if (k + 1 < symbols.size() && symbols[k] == bestLeft && symbols[k + 1] == bestRight) {
                merged.push_back(symbols[k] + symbols[k + 1]);
                ++k;
            } else {
                merged.push_back(std::move(symbols[k]));
            }
        }
        symbols = std::move(merged);
    }
    return symbols;
}

std::vector<std::string> ByteLevelBpeTokenizer::tokens(std::string_view text) const {
    const std::vector<std::string>& alphabet = byteLevelAlphabet();
    std::vector<std::string> out(s_.prefixTokens.begin(), s_.prefixTokens.end());
    bool first = true;
    for (const AddedTokens::Segment& segment : s_.addedTokens.split(text)) {
        if (segment.added) {
            out.emplace_back(segment.text);
            first = false;
            continue;
        }
        std::u32string cps = toCodePoints(segment.text);
        if (s_.addPrefixSpace && first && (cps.empty() || cps.front() != U' ')) cps.insert(cps.begin(), U' ');
        first = false;
        for (const std::u32string& piece : gptPreTokenize(cps)) {
            std::string mapped;
            for (unsigned char byte : toUtf8(piece)) mapped += alphabet[byte];
            for (std::string& symbol : bpe(mapped)) out.push_back(std::move(symbol));
        }
    }
    out.insert(out.end(), s_.suffixTokens.begin(), s_.suffixTokens.end());
    return out;
}

std::string ByteLevelBpeTokenizer::description() const {
    std::string text = "byte-level BPE, " + std::to_string(s_.vocab.size()) + " tokens, " +
                       std::to_string(s_.merges.size()) + " merges, ";
    if (s_.prefixTokens.empty() && s_.suffixTokens.empty()) {
        text += "no special tokens";
    } else {
        text += "special tokens:";
        for (const std::string& t : s_.prefixTokens) text += " " + t;
        text += " …";
        for (const std::string& t : s_.suffixTokens) text += " " + t;
    }
    if (!s_.source.empty()) text += " (" + s_.source + ")";
    return text;
}

std::unordered_map<std::string, int> readBpeVocabJson(const std::string& path) {
    const std::string bytes = readFileBytes(path);
    const nlohmann::json json = parseJsonText(bytes, path + ": ");
    if (!json.is_object() || json.empty())
        throw FileFormatError(path + ": expected a JSON object of token → id (a BPE vocab.json)");
    std::unordered_map<std::string, int> vocab;
    for (const auto& [token, id] : json.items()) {
        if (!id.is_number_integer())
            throw FileFormatError(path + ": the id of token \"" + token + "\" is not an integer");
        vocab.emplace(token, id.get<int>());
    }
    return vocab;
}

std::vector<std::pair<std::string, std::string>> readBpeMerges(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> merges;
    for (const TextLine& line : readTextFileLines(path)) {
        if (line.text.empty() || (line.number == 1 && line.text.rfind("#version", 0) == 0)) continue;
        const std::size_t space = line.text.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 == line.text.size() ||
            line.text.find(' ', space + 1) != std::string::npos)
            throw FileFormatError(fileLine(path, line.number) + "expected a merge \"left right\", got \"" + line.text + "\"");
        merges.emplace_back(line.text.substr(0, space), line.text.substr(space + 1));
    }
    if (merges.empty()) throw FileFormatError(path + ": no merges");
    return merges;
}

} // namespace bertbench

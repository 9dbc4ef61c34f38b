#include "core/workload/WorkloadFiles.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/util/Errors.h"
#include "core/workload/DelimitedTable.h"
#include "core/workload/JsonText.h"
#include "core/workload/TextFileLines.h"

namespace bertbench {

namespace {

constexpr long long kMaxLength = 1'000'000'000;

std::string trimmed(const std::string& s) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    const auto b = std::find_if(s.begin(), s.end(), notSpace);
    const auto e = std::find_if(s.rbegin(), s.rend(), notSpace).base();
    return b < e ? std::string(b, e) : std::string();
}

std::string lowered(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shown(const std::string& value) {
    return "'" + (value.size() > 40 ? value.substr(0, 40) + "…" : value) + "'";
}

// A token count: a whole number from 1 to a billion.
int parseLength(const std::string& where, const std::string& raw) {
    const std::string text = trimmed(raw);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        throw FileFormatError(where + shown(text) + " is not a whole number of tokens");
    if (value < 1 || value > kMaxLength)
        throw FileFormatError(where + "length " + text + " is out of range (1.." + std::to_string(kMaxLength) + ")");
    return static_cast<int>(value);
}

std::string firstContentLine(const std::vector<TextLine>& lines) {
    for (const TextLine& l : lines)
        if (!trimmed(l.text).empty()) return trimmed(l.text);
    return {};
}

std::vector<int> lengthsFromJson(const std::string& path, const std::string& bytes) {
    const nlohmann::json json = parseJsonText(bytes, path + ": ");
    if (!json.is_array()) throw FileFormatError(path + ": expected a JSON array of token counts");
    if (json.empty()) throw FileFormatError(path + ": the JSON array is empty: no examples");
    std::vector<int> lengths;
    for (std::size_t k = 0; k < json.size(); ++k) {
        const std::string where = path + " element " + std::to_string(k) + ": ";
        if (!json[k].is_number_integer()) throw FileFormatError(where + json[k].dump() + " is not a whole number of tokens");
        lengths.push_back(parseLength(where, json[k].dump()));
    }
    return lengths;
}

std::vector<int> lengthsFromTable(const std::string& path, const std::string& bytes, char separator) {
    const DelimitedTable table = parseDelimited(path, bytes, separator);
    int column = -1;
    for (std::size_t c = 0; c < table.header.size() && column < 0; ++c)
        for (const std::string& name : lengthColumnNames())
            if (lowered(table.header[c]) == name) column = static_cast<int>(c);
    if (column < 0) {
        std::string names;
        for (const std::string& h : table.header) names += (names.empty() ? "" : ", ") + h;
        throw FileFormatError(path + " line 1: no length column (length, len, num_tokens or tokens) in the header: " + names);
    }
    if (table.records.empty()) throw FileFormatError(path + ": a header and no rows: no examples");
    std::vector<int> lengths;
    for (const DelimitedRecord& r : table.records)
        lengths.push_back(parseLength(fileLine(path, r.line) + "column " + table.header[column] + ": ",
                                      r.fields[static_cast<std::size_t>(column)]));
    return lengths;
}

std::string fieldNames(const nlohmann::json& object) {
    std::string names;
    for (const auto& item : object.items()) names += (names.empty() ? "" : ", ") + item.key();
    return names.empty() ? "none" : names;
}

std::vector<TextExample> textsFromJsonLines(const std::string& path, const std::vector<TextLine>& lines,
                                            const std::string& field) {
    std::vector<TextExample> texts;
    for (const TextLine& line : lines) {
        if (trimmed(line.text).empty()) continue;
        const nlohmann::json json = parseJsonText(line.text, fileLine(path, line.number));
        if (!json.is_object()) throw FileFormatError(fileLine(path, line.number) + "expected a JSON object");
        if (!json.contains(field))
            throw FileFormatError(fileLine(path, line.number) + "no field \"" + field + "\" (fields: " + fieldNames(json) +
                                  "); name the text field with --text-field");
        if (!json[field].is_string())
            throw FileFormatError(fileLine(path, line.number) + "field \"" + field + "\" is " + json[field].type_name() +
                                  ", not a string");
        texts.push_back({line.number, json[field].get<std::string>()});
    }
    if (texts.empty()) throw FileFormatError(path + ": no JSON lines: no examples");
    return texts;
}

std::vector<TextExample> textsFromTable(const std::string& path, const std::string& bytes, const std::string& field) {
    const DelimitedTable table = parseDelimited(path, bytes, guessSeparator(path, bytes.substr(0, bytes.find('\n'))));
    const int column = table.column(field);
    if (column < 0) {
        std::string names;
        for (const std::string& h : table.header) names += (names.empty() ? "" : ", ") + h;
        throw FileFormatError(path + " line 1: no column \"" + field + "\" (columns: " + names +
                              "); name the text column with --text-field");
    }
    if (table.records.empty()) throw FileFormatError(path + ": a header and no rows: no examples");
    std::vector<TextExample> texts;
    for (const DelimitedRecord& r : table.records) texts.push_back({r.line, r.fields[static_cast<std::size_t>(column)]});
    return texts;
}

} // namespace

const std::vector<std::string>& lengthColumnNames() {
    static const std::vector<std::string> names{"length", "len", "num_tokens", "tokens"};
    return names;
}

std::vector<int> readLengthsFile(const std::string& path) {
    const std::string bytes = readFileBytes(path);
    const std::vector<TextLine> lines = splitTextLines(path, bytes);  // binary and UTF-8 checks, with lines
    const std::string first = firstContentLine(lines);
    if (first.empty()) throw FileFormatError(path + ": only blank lines: no examples");
    if (first.front() == '[') return lengthsFromJson(path, bytes);
    long long probe = 0;
    const auto [end, ec] = std::from_chars(first.data(), first.data() + first.size(), probe);
    const bool numeric = ec == std::errc() && end == first.data() + first.size();
    if (!numeric && (first.find(',') != std::string::npos || first.find('\t') != std::string::npos ||
                     endsWith(path, ".csv") || endsWith(path, ".tsv") ||
                     std::find(lengthColumnNames().begin(), lengthColumnNames().end(), lowered(first)) !=
                         lengthColumnNames().end()))
        return lengthsFromTable(path, bytes, guessSeparator(path, first));
    std::vector<int> lengths;
    for (const TextLine& line : lines)
        if (!trimmed(line.text).empty()) lengths.push_back(parseLength(fileLine(path, line.number), line.text));
    return lengths;
}

std::vector<TextExample> readTextsFile(const std::string& path, const std::string& textField) {
    const std::string bytes = readFileBytes(path);
    const std::vector<TextLine> lines = splitTextLines(path, bytes);
    const std::string field = textField.empty() ? "text" : textField;
    const std::string first = firstContentLine(lines);
    if (endsWith(path, ".jsonl") || endsWith(path, ".ndjson") || (!first.empty() && first.front() == '{'))
        return textsFromJsonLines(path, lines, field);
    if (endsWith(path, ".csv") || endsWith(path, ".tsv")) return textsFromTable(path, bytes, field);
    if (!textField.empty())
        throw InputError(path + ": --text-field names a field of a JSON Lines (.jsonl) or a column of a CSV/TSV "
                                "file; this file is plain text, one example per line");
    std::vector<TextExample> texts;
    for (const TextLine& line : lines) texts.push_back({line.number, line.text});
    return texts;
}

} // namespace bertbench

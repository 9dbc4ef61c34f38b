#include "app/cli/TextTable.h"

#include <algorithm>

namespace bertbench::cli {

namespace {
// Terminal columns of UTF-8 text: code points (continuation bytes 10xxxxxx do not count).
size_t displayWidth(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}
} // namespace

void TextTable::addRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    rows_.push_back(std::move(cells));
}

std::string TextTable::line(const std::vector<Column>& columns, const std::vector<size_t>& widths,
                            const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < columns.size(); ++c) {
        const std::string cell = c < cells.size() ? cells[c] : "";
        const size_t width = c < widths.size() ? widths[c] : cell.size();
        const size_t shown = displayWidth(cell);
        const std::string fill(width > shown ? width - shown : 0, ' ');
        if (c > 0) out += "  ";
        out += columns[c].align == Align::Right ? fill + cell : cell + fill;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string TextTable::str(const std::string& indent) const {
    std::vector<size_t> widths(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) {
        widths[c] = displayWidth(columns_[c].header);
        for (const auto& row : rows_) widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
    std::vector<std::string> headers;
    std::vector<std::string> rules;
    for (size_t c = 0; c < columns_.size(); ++c) {
        headers.push_back(columns_[c].header);
        rules.push_back(std::string(widths[c], '-'));
    }
    std::string out = indent + line(columns_, widths, headers) + "\n";
    out += indent + line(columns_, widths, rules) + "\n";
    for (const auto& row : rows_) out += indent + line(columns_, widths, row) + "\n";
    return out;
}

} // namespace bertbench::cli

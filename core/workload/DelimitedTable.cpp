#include "core/workload/DelimitedTable.h"

#include <algorithm>

#include "core/util/Errors.h"
#include "core/workload/TextFileLines.h"

namespace bertbench {

int DelimitedTable::column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

char guessSeparator(const std::string& path, const std::string& firstLine) {
    const auto endsWith = [&](const char* ext) {
        const std::string e(ext);
        return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
    };
    if (endsWith(".tsv")) return '\t';
    if (endsWith(".csv")) return ',';
    return firstLine.find('\t') != std::string::npos ? '\t' : ',';
}

DelimitedTable parseDelimited(const std::string& path, const std::string& bytes, char separator) {
    std::vector<DelimitedRecord> rows;
    std::size_t i = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::size_t line = 1;
    while (i < bytes.size()) {
        DelimitedRecord record{line, {}};
        std::string field;
        bool quoted = false, wasQuoted = false;
        const std::size_t startLine = line;
        for (; i < bytes.size(); ++i) {
            const char c = bytes[i];
            if (quoted) {
                if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') ++line;
                    field += c;
                }
            } else if (c == '"' && field.empty() && !wasQuoted) {
                quoted = wasQuoted = true;
            } else if (c == separator) {
                record.fields.push_back(std::move(field));
                field.clear();
                wasQuoted = false;
            } else if (c == '\n') {
                break;
            } else if (c != '\r' || (i + 1 < bytes.size() && bytes[i + 1] != '\n')) {
                field += c;
            }
        }
        if (quoted) throw FileFormatError(fileLine(path, startLine) + "a quoted field is never closed");
        record.fields.push_back(std::move(field));
        ++i;  // past '\n'
        ++line;
        const bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) rows.push_back(std::move(record));
    }
    if (rows.empty()) throw FileFormatError(path + ": empty file");
    DelimitedTable table;
    table.header = std::move(rows.front().fields);
    for (std::string& h : table.header) {
        while (!h.empty() && (h.back() == ' ')) h.pop_back();
        while (!h.empty() && (h.front() == ' ')) h.erase(h.begin());
    }
    for (std::size_t r = 1; r < rows.size(); ++r) {
        if (rows[r].fields.size() > table.header.size())
            throw FileFormatError(fileLine(path, rows[r].line) + std::to_string(rows[r].fields.size()) +
                                  " fields, but the header has " + std::to_string(table.header.size()));
        rows[r].fields.resize(table.header.size());
        table.records.push_back(std::move(rows[r]));
    }
    return table;
}

} // namespace bertbench

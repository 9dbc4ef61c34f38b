#pragma once
// CSV (",") and TSV ("\t") with a header row, RFC 4180 quoting ("a, b", "say ""hi""", newlines
// inside quotes), for the workload files' named columns.
#include <cstddef>
#include <string>
#include <vector>

namespace bertbench {

struct DelimitedRecord {
    std::size_t line = 0;  // the line the record starts on (1-based)
    std::vector<std::string> fields;
};

struct DelimitedTable {
    std::vector<std::string> header;
    std::vector<DelimitedRecord> records;

    // The column's index, or -1.
    int column(const std::string& name) const;
};

// `bytes` is the file's content (already checked as UTF-8 text); `path` names it in messages.
// Throws FileFormatError for an unterminated quote or a record with more fields than the header.
DelimitedTable parseDelimited(const std::string& path, const std::string& bytes, char separator);

// "," or "\t": the extension (.tsv → tab), else whichever of the two the first line has.
char guessSeparator(const std::string& path, const std::string& firstLine);

} // namespace bertbench

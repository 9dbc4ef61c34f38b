#pragma once
// The files a workload comes from, read with a message for every bad input that names the file,
// the line and the problem (FileFormatError, an InputError: exit code 2).
//
// Lengths (token counts, special tokens included): one whole number per line; or a CSV/TSV with a
// header and a column named length, len, num_tokens or tokens; or a JSON array of numbers.
// Texts: plain text, one example per line (an empty line is an empty example); JSON Lines (.jsonl,
// .ndjson, or a first line that starts with "{"), the string field `textField` (default "text");
// CSV/TSV (.csv, .tsv), the column `textField` (default "text").
#include <cstddef>
#include <string>
#include <vector>

namespace bertbench {

struct TextExample {
    std::size_t line = 0;  // where it starts in the file (1-based)
    std::string text;
};

std::vector<int> readLengthsFile(const std::string& path);

std::vector<TextExample> readTextsFile(const std::string& path, const std::string& textField = "");

// The column names a lengths table may use.
const std::vector<std::string>& lengthColumnNames();

} // namespace bertbench

#pragma once
// Internal to core/results: a small RFC 4180 CSV tokenizer and writer helpers.
// Quoted fields may hold commas, doubled quotes and line breaks; records end at LF or CRLF.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::csv {

struct Record {
    std::vector<std::string> fields;
    int line = 0;   // 1-based line on which the record starts
};

// Splits `text` into records. Blank lines are skipped; a leading UTF-8 BOM is ignored.
// Throws FileFormatError naming `sourceName` and the line on an unterminated quoted field or
// a character between a closing quote and the next separator.
std::vector<Record> parse(std::string_view text, const std::string& sourceName);

// One field, quoted when it holds a comma, a quote, CR/LF or leading/trailing spaces.
std::string field(std::string_view value);
// Appends the fields joined by commas and a terminating '\n'.
void appendRecord(std::string& out, const std::vector<std::string>& fields);

// Numbers as text, independent of the locale.
// The shortest text that reads back to exactly `x` ("0", "0.1", "1e-07"; "nan", "inf", "-inf").
std::string shortest(double x);
// Fixed with `decimals` digits, like Python's "%.3f" ("nan", "inf", "-inf" when not finite).
std::string fixed(double x, int decimals);
// Whole-string parses: no surrounding spaces, no '+'; doubles also take nan/inf/infinity.
std::optional<double> parseDouble(std::string_view s);
std::optional<int64_t> parseInt(std::string_view s);
// What a CSV file lacks, rebuilt from its rows: the first row's baseline and num_batches, and
// the axes as axesOfRows derives them (tasks and candidates in order of first appearance,
// batch sizes, seq lens and pads ascending). The other fields keep their defaults.
SweepSpec specFromRows(const std::vector<ResultRow>& rows, DType dtype);

// "a/b/c.csv" -> "c.csv".
std::string baseName(const std::string& path);
// Trims spaces and tabs at both ends.
std::string_view trim(std::string_view s);

} // namespace bertbench::csv

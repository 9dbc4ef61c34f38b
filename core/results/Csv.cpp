// A small RFC 4180 CSV tokenizer (quotes, doubled quotes, embedded commas and line breaks,
// LF or CRLF line ends) and the matching field writer.
#include "core/results/Csv.h"

#include <charconv>
#include <cmath>

#include "core/sweep/RunAxes.h"
#include "core/util/Errors.h"

namespace bertbench::csv {

std::vector<Record> parse(std::string_view text, const std::string& sourceName) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Record> records;
    const size_t n = text.size();
    size_t i = 0;
    int line = 1;
    auto fail = [&](int atLine, const std::string& what) {
        throw FileFormatError(sourceName + ": line " + std::to_string(atLine) + ": " + what);
    };
    while (i < n) {
        Record rec;
        rec.line = line;
        bool sawContent = false;   // anything on this record besides its line end
        bool endOfRecord = false;
        while (!endOfRecord) {
            std::string value;
            if (i < n && text[i] == '"') {
                sawContent = true;
                const int startLine = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < n && text[i] == '"') {
                            value += '"';
                            ++i;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        if (c == '\n') ++line;
                        value += c;
                    }
                }
                if (!closed)
                    fail(startLine, "unterminated quoted field (a '\"' without its closing '\"')");
                if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    fail(line, std::string("unexpected character '") + text[i] +
                                   "' after a closing quote (expected ',' or a line end)");
            } else {
                while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    value += text[i++];
                if (!value.empty()) sawContent = true;
            }
            rec.fields.push_back(std::move(value));
            if (i >= n) {
                endOfRecord = true;
            } else if (text[i] == ',') {
                sawContent = true;
                ++i;   // at the very end, the next pass adds the empty last field
            } else {   // '\n', "\r\n" or a lone '\r'
                if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
                ++i;
                ++line;
                endOfRecord = true;
            }
        }
        if (sawContent) records.push_back(std::move(rec));
    }
    return records;
}

std::string field(std::string_view value) {
    bool quote = !value.empty() && (value.front() == ' ' || value.back() == ' ');
    for (char c : value) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote) return std::string(value);
    std::string out;
    out.reserve(value.size() + 2);
    out += '"';
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

void appendRecord(std::string& out, const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += field(fields[i]);
    }
    out += '\n';
}

namespace {

std::string nonFinite(double x) {
    if (std::isnan(x)) return "nan";
    return x > 0 ? "inf" : "-inf";
}

} // namespace

std::string shortest(double x) {
    if (!std::isfinite(x)) return nonFinite(x);
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}

std::string fixed(double x, int decimals) {
    if (!std::isfinite(x)) return nonFinite(x);
    char buf[400];   // the largest double in fixed notation has 309 integer digits
    const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, decimals);
    if (r.ec != std::errc()) return shortest(x);
    return std::string(buf, r.ptr);
}

std::optional<double> parseDouble(std::string_view s) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<int64_t> parseInt(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

SweepSpec specFromRows(const std::vector<ResultRow>& rows, DType dtype) {
    SweepSpec spec;
    spec.dtype = dtype;
    if (rows.empty()) return spec;
    spec.baseline = rows.front().baseline.backend;
    spec.numBatches = rows.front().numBatches;
    // The same axes the GUI draws: a file with holes (failed or skipped cells) or rows out of
    // order still gives ascending lists.
    RunAxes axes = axesOfRows(rows);
    spec.models = std::move(axes.models);   // {""} when the file records none
    spec.tasks = std::move(axes.tasks);
    spec.candidates = std::move(axes.candidates);
    spec.batchSizes = std::move(axes.batchSizes);
    spec.seqLens = std::move(axes.seqLens);
    spec.pads = std::move(axes.pads);
    // Rows of a data workload: the file says which policies, not which data (run.json does).
    for (Batching b : axes.batchings)
        if (b != Batching::None) {
            if (!spec.workload.isData()) spec.workload.batching.clear();
            spec.workload.kind = WorkloadKind::Lengths;
            spec.workload.batching.push_back(b);
        }
    return spec;
}

std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

} // namespace bertbench::csv

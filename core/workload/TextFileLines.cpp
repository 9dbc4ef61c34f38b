#include "core/workload/TextFileLines.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/Errors.h"
#include "core/workload/Utf8.h"

namespace bertbench {

std::string fileLine(const std::string& path, std::size_t line) {
    return path + " line " + std::to_string(line) + ": ";
}

std::string readFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileFormatError(path + ": cannot be read (" + std::strerror(errno) + ")");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw FileFormatError(path + ": cannot be read");
    std::string bytes = buffer.str();
    if (bytes.empty()) throw FileFormatError(path + ": empty file");
    return bytes;
}

std::vector<TextLine> splitTextLines(const std::string& path, const std::string& bytes) {
    std::vector<TextLine> lines;
    std::size_t start = bytes.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::size_t number = 1;
    while (start < bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        const std::size_t next = end == std::string::npos ? bytes.size() : end + 1;
        if (end == std::string::npos) end = bytes.size();
        std::string_view text(bytes.data() + start, end - start);
        if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
        if (const auto nul = text.find('\0'); nul != std::string_view::npos)
            throw FileFormatError(fileLine(path, number) + "binary data (a NUL byte at byte " + std::to_string(nul + 1) +
                                  "); expected UTF-8 text");
        if (const auto bad = firstInvalidUtf8(text))
            throw FileFormatError(fileLine(path, number) + "invalid UTF-8 at byte " + std::to_string(*bad + 1) +
                                  " of the line");
        lines.push_back({number, std::string(text)});
        start = next;
        ++number;
    }
    if (lines.empty()) throw FileFormatError(path + ": empty file");
    return lines;
}

std::vector<TextLine> readTextFileLines(const std::string& path) {
    return splitTextLines(path, readFileBytes(path));
}

} // namespace bertbench

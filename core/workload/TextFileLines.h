#pragma once
// A text file read as lines, with the checks every workload and tokenizer file needs: the file
// exists and is readable, is not empty, is not binary (a NUL byte), and every line is valid UTF-8.
// Each problem is a FileFormatError naming the file, the line and what is wrong.
#include <cstddef>
#include <string>
#include <vector>

namespace bertbench {

struct TextLine {
    std::size_t number = 0;  // 1-based
    std::string text;        // without the line end ("\n" or "\r\n")
};

// The whole file as bytes. Throws FileFormatError: "FILE: cannot be read (No such file …)", "FILE: empty".
std::string readFileBytes(const std::string& path);

// Every line of a UTF-8 text file (a BOM is dropped; a last line without "\n" counts).
std::vector<TextLine> readTextFileLines(const std::string& path);

// The same checks on bytes already read (`path` only names them in messages).
std::vector<TextLine> splitTextLines(const std::string& path, const std::string& bytes);

// "FILE line N: " for messages.
std::string fileLine(const std::string& path, std::size_t line);

} // namespace bertbench

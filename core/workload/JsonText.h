#pragma once
// The JSON of a user's file (a lengths array, a JSON Lines row, vocab.json, tokenizer_config.json)
// parsed, or a FileFormatError naming where. nlohmann throws parse_error for bad syntax but
// out_of_range for a number beyond a double (1e999): both are the file's fault, both get the message.
#include <string>

#include <nlohmann/json.hpp>

namespace bertbench {

// `where` starts the message: "file.json: " or fileLine(path, n).
nlohmann::json parseJsonText(const std::string& text, const std::string& where);

} // namespace bertbench

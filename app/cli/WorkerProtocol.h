#pragma once
// The lines a `run --gpus` parent and its worker processes exchange over two pipes (the
// worker's stdin and a private copy of its stdout). One message per line, "<word> <payload>":
//   parent → worker   "cell <k>"   measure cell k of cellsOf(spec)      "stop"   no more cells
//   worker → parent   "ready <pid>"                 the model and backends are loaded
//                     "gpu <index>\t<name>\t<uuid>" the GPU it measures on (GPU workers)
//                     "row <json>"                  a finished row, already in its journal
//                     "done <k>"                    every row of cell k has been sent
//                     "options <json>"              what each backend ran with (its kernel options),
//                                                   once the worker's cells are done
//                     "log <text>"                  a progress note
//                     "fatal <text>"                it cannot go on (then it exits 1)
// A worker holds one cell at a time, so a worker that dies loses at most that cell.
#include <string>
#include <utility>

namespace bertbench::cli::worker {

// The hidden command that runs a worker (not listed in the help: only `run --gpus` starts it).
constexpr const char* kCommand = "__worker";

// "row {...}" → {"row", "{...}"}; a line without a space is all word.
inline std::pair<std::string, std::string> splitMessage(const std::string& line) {
    const size_t space = line.find(' ');
    if (space == std::string::npos) return {line, {}};
    return {line.substr(0, space), line.substr(space + 1)};
}

// Text on one line: line breaks become spaces.
inline std::string oneLine(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

} // namespace bertbench::cli::worker

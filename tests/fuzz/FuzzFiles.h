#pragma once
// For readers that take a path: the fuzz input written to a file of this process's own, so
// libFuzzer's bytes reach the reader exactly as a user's file would. The first byte may pick the
// file's extension (readers choose the format by it).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace bertbench::fuzz {

// <temp>/bertbench-fuzz-<pid>/, removed when the process ends.
struct InputFolder {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("bertbench-fuzz-" + std::to_string(getpid()));
    InputFolder() { std::filesystem::create_directories(path); }
    ~InputFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

// Writes `bytes` to the process's input folder as `name` and returns its path.
inline std::string writeInputFile(const std::string& name, const std::string& bytes) {
    static const InputFolder folder;
    const std::filesystem::path path = folder.path / name;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), std::streamsize(bytes.size()));
    return path.string();
}

// The input's first byte picks one of `names`; the rest is the file's content.
inline std::string writeInputFileNamedByFirstByte(const std::vector<std::string>& names, const std::string& input) {
    if (input.empty()) return writeInputFile(names.front(), input);
    return writeInputFile(names[size_t(static_cast<unsigned char>(input[0])) % names.size()], input.substr(1));
}

} // namespace bertbench::fuzz

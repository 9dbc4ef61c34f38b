#pragma once
// What the suites that run bertbench-cli as a child process share (resume after kill -9, worker
// pools): where the binary is, and how many rows a run journal holds so far.
#include <QCoreApplication>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace bertbench::cli::test {

// Tests live in <build>/tests, the CLI in <build>/app.
inline std::string cliBinary() {
    return (std::filesystem::path(QCoreApplication::applicationDirPath().toStdString()) / ".." / "app" / "bertbench-cli")
        .string();
}

// Rows journaled so far: the non-empty lines after the header line.
inline int journalRows(const std::string& path) {
    std::ifstream in(path);
    int lines = 0;
    for (std::string line; std::getline(in, line);) lines += line.empty() ? 0 : 1;
    return std::max(0, lines - 1);
}

} // namespace bertbench::cli::test

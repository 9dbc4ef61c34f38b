#pragma once
// The tokenizer fixtures (tests/fixtures/tokenizers/) and HF's counts of texts.txt.
#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace bertbench::testing {

inline std::string tokenizerFixture(const std::string& name) {
    return std::string(BERTBENCH_FIXTURES_DIR) + "/tokenizers/" + name;
}

inline nlohmann::json expectedCounts() {
    std::ifstream in(tokenizerFixture("expected_counts.json"));
    return nlohmann::json::parse(in);
}

inline std::vector<int> expectedCounts(const std::string& key) { return expectedCounts()[key].get<std::vector<int>>(); }

inline std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.path().toStdString() + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

} // namespace bertbench::testing

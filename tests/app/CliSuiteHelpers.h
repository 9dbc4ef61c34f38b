#pragma once
// What the test_cli* suites share beyond CliTestSupport.h: a plan from flags, paths in a
// temporary folder, a quick single-cell run's flags, a file's lines, the seed CSV fixtures.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/CliTestSupport.h"
#include "app/cli/ArgParser.h"
#include "app/cli/RunPlan.h"
#include "app/common/Backends.h"

namespace bertbench::cli::test {

inline const std::string kSeedFixtures = std::string(BERTBENCH_FIXTURES_DIR) + "/seed-csv";

inline std::vector<std::string> fileLines(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

inline RunPlan plan(const CommandArgs& args) {
    static const BackendRegistry registry = app::makeRegistry();
    return planRun(parseArgs(args, runHelp().options), registry);
}

inline std::string dir(const QTemporaryDir& tmp, const std::string& name = "") {
    return (std::filesystem::path(tmp.path().toStdString()) / name).string();
}

// A small, quick single-cell run's flags (CPU, tiny).
inline CommandArgs quickRun(const std::string& out) {
    return {"run", "--device", "cpu", "--model", "tiny", "--batch-size", "2", "--max-seqlen", "32", "--avg-seqlen",
            "16", "--num-batches", "2", "--warmup", "1", "--threads", "2", "--quiet", "--out", out};
}

inline QString notFound(const std::string& text, const std::string& part) {
    return QStringLiteral("'%1' not in:\n%2").arg(QString::fromStdString(part), QString::fromStdString(text));
}

} // namespace bertbench::cli::test

#define EXPECT_CONTAINS(text, part) QVERIFY2(contains(text, part), qPrintable(notFound(text, part)))

#pragma once
// What the app/ suites share: run the CLI in-process and keep its exit code and both streams.
#include <sstream>
#include <string>

#include "app/cli/Command.h"

namespace bertbench::cli::test {

struct CliResult {
    int code = -1;
    std::string out;
    std::string err;
};

inline CliResult runCliCaptured(const CommandArgs& args) {
    std::ostringstream out, err;
    CliResult r;
    r.code = runCli(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

} // namespace bertbench::cli::test

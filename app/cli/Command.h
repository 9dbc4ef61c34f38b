#pragma once
// A bertbench-cli subcommand: args exclude the program and command names.
// Exit codes: 0 ok, 1 a failed cell / check, 2 bad input.
#include <iosfwd>
#include <string>
#include <vector>

namespace bertbench::cli {

using CommandArgs = std::vector<std::string>;
constexpr int kExitOk = 0;
constexpr int kExitFailedCell = 1;
constexpr int kExitBadInput = 2;

// verify: every GPU backend against the CPU fp32 reference (app/cli/VerifyCommand.cpp).
int verifyCommand(const CommandArgs& args, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli

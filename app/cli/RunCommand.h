#pragma once
// The body shared by `run` and `demo` (which is `run` with preset flags).
#include <iosfwd>
#include <string>

#include "app/cli/ArgParser.h"

namespace bertbench::cli {

// Parses `args` against help.options, checks the plan, measures, writes run.json,
// results.csv and the seed CSVs into --out, prints a summary. Returns the exit code;
// throws UsageError/InputError for bad input (guardedCommand maps them to 2).
int executeRun(const std::string& command, const CommandHelp& help, const CommandArgs& args, std::ostream& out,
               std::ostream& err);

} // namespace bertbench::cli

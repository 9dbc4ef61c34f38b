#pragma once
// What every command shares: the exception → exit-code mapping and small text helpers.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "app/cli/ArgParser.h"
#include "app/cli/Command.h"

namespace bertbench::cli {

// Runs a command body and maps what it throws to an exit code with a message on `err`:
// UsageError → 2 plus "Try 'bertbench-cli CMD --help'", InputError → 2, anything else → 1.
int guardedCommand(const std::string& command, std::ostream& err, const std::function<int()>& body);

// Parses args against `help.options`; prints help to `out` and returns true when -h/--help was given.
bool parseOrHelp(const CommandArgs& args, const CommandHelp& help, std::ostream& out, ParsedArgs& parsed);

// Fixed-point text: fixed(3.14159, 2) == "3.14"; NaN/inf as "-".
std::string fixed(double value, int decimals);
// "+12.3%" / "-4.0%"; NaN as "-".
std::string signedPercent(double value, int decimals = 1);
// "0:42", "12:05", "1:02:03".
std::string clockText(double seconds);
// "1,2,4".
std::string joinInts(const std::vector<int>& values);
std::string joinNumbers(const std::vector<double>& values);
std::string joinStrings(const std::vector<std::string>& values, const std::string& sep = ", ");

} // namespace bertbench::cli

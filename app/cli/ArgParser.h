#pragma once
// A small command-line parser shared by every bertbench-cli command: `--flag value`,
// `--flag=value`, boolean `--flag`, `--` to end options, `-h`/`--help` everywhere.
// Each command declares its options once; the same table drives parsing and `--help`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/Command.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

// Bad command-line input: an unknown flag, a missing or malformed value. Exit code 2.
struct UsageError : InputError {
    using InputError::InputError;
};

struct OptionDef {
    std::string name;                  // "--num-batches"
    std::string valueName;             // "N"; empty = a boolean flag that takes no value
    std::string help;                  // one or more lines; "\n" starts a new line
    std::vector<std::string> aliases;  // "--task" for "--tasks"
    std::string group;                 // heading in --help ("" = "Options")

    bool takesValue() const { return !valueName.empty(); }
};

struct CommandHelp {
    std::string usage;         // "bertbench-cli run [options]"
    std::string summary;       // one paragraph
    std::vector<OptionDef> options;
    std::string notes;         // free text after the options (examples, exit codes)
};

class ParsedArgs {
public:
    bool helpRequested = false;
    std::vector<std::string> positionals;

    // Options are stored under their canonical name; aliases resolve to it. A repeated
    // option keeps its last value (so `demo --num-batches 3` overrides the demo's default).
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    std::optional<std::string> value(const std::string& name) const;
    // The spelling the user typed (an alias, maybe), for messages.
    std::string spelling(const std::string& name) const;

    void set(const std::string& name, const std::string& typed, std::string value);

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, std::string> typed_;
};

// Throws UsageError: "unknown option --num-batch (did you mean --num-batches?)",
// "--batch-size needs a value", "--use-half takes no value (got '--use-half=1')".
ParsedArgs parseArgs(const CommandArgs& args, const std::vector<OptionDef>& options);

// The text `--help` prints.
std::string formatHelp(const CommandHelp& help);

// Typed values; errors name the flag and the accepted form or range.
int64_t parseInteger(const std::string& flag, const std::string& text, int64_t lo, int64_t hi);
uint64_t parseUnsigned(const std::string& flag, const std::string& text);
double parseNumber(const std::string& flag, const std::string& text, double lo, double hi);
// "1,2,4" (spaces allowed around the commas). An empty item is an error.
std::vector<std::string> splitList(const std::string& flag, const std::string& text);
std::vector<int> parseIntList(const std::string& flag, const std::string& text);
std::vector<double> parseNumberList(const std::string& flag, const std::string& text);

} // namespace bertbench::cli

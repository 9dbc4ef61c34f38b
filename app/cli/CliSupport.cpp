#include "app/cli/CliSupport.h"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace bertbench::cli {

int guardedCommand(const std::string& command, std::ostream& err, const std::function<int()>& body) {
    const std::string prefix = "bertbench-cli " + command + ": ";
    try {
        return body();
    } catch (const UsageError& e) {
        err << prefix << e.what() << "\nTry 'bertbench-cli " << command << " --help'.\n";
        return kExitBadInput;
    } catch (const InputError& e) {
        err << prefix << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        err << prefix << "error: " << e.what() << "\n";
        return kExitFailedCell;
    }
}

bool parseOrHelp(const CommandArgs& args, const CommandHelp& help, std::ostream& out, ParsedArgs& parsed) {
    parsed = parseArgs(args, help.options);
    if (parsed.helpRequested) {
        out << formatHelp(help);
        return true;
    }
    return false;
}

std::string fixed(double value, int decimals) {
    if (!std::isfinite(value)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string signedPercent(double value, int decimals) {
    if (!std::isfinite(value)) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%+.*f%%", decimals, value);
    return buf;
}

std::string clockText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--";
    const long total = std::lround(seconds);
    const long h = total / 3600, m = (total / 60) % 60, s = total % 60;
    char buf[32];
    if (h > 0)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", h, m, s);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", m, s);
    return buf;
}

std::string joinInts(const std::vector<int>& values) {
    std::string s;
    for (int v : values) {
        if (!s.empty()) s += ',';
        s += std::to_string(v);
    }
    return s;
}

std::string joinNumbers(const std::vector<double>& values) {
    std::string s;
    for (double v : values) {
        std::ostringstream one;
        one << v;
        if (!s.empty()) s += ',';
        s += one.str();
    }
    return s;
}

std::string joinStrings(const std::vector<std::string>& values, const std::string& sep) {
    std::string s;
    for (const std::string& v : values) {
        if (!s.empty()) s += sep;
        s += v;
    }
    return s;
}

} // namespace bertbench::cli

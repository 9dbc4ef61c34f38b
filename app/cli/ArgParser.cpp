#include "app/cli/ArgParser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <sstream>

namespace bertbench::cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string ParsedArgs::spelling(const std::string& name) const {
    const auto it = typed_.find(name);
    return it == typed_.end() ? name : it->second;
}

void ParsedArgs::set(const std::string& name, const std::string& typed, std::string value) {
    values_[name] = std::move(value);
    typed_[name] = typed;
}

namespace {

size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// The closest known spelling, when it is close enough to be a likely typo.
std::string suggestion(const std::string& typed, const std::vector<OptionDef>& options) {
    std::string best;
    size_t bestDistance = 3;
    auto consider = [&](const std::string& candidate) {
        const size_t d = editDistance(typed, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    };
    for (const OptionDef& o : options) {
        consider(o.name);
        for (const std::string& a : o.aliases) consider(a);
    }
    return best;
}

const OptionDef* findOption(const std::string& spelled, const std::vector<OptionDef>& options) {
    for (const OptionDef& o : options) {
        if (o.name == spelled) return &o;
        if (std::find(o.aliases.begin(), o.aliases.end(), spelled) != o.aliases.end()) return &o;
    }
    return nullptr;
}

std::string trim(const std::string& s) {
    const size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return "";
    const size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

} // namespace

ParsedArgs parseArgs(const CommandArgs& args, const std::vector<OptionDef>& options) {
    ParsedArgs parsed;
    bool optionsEnded = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-' || arg == "-") {
            parsed.positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            parsed.helpRequested = true;
            continue;
        }
        // A negative number is a positional, not an option ("-1" never names a flag).
        if (arg[0] == '-' && arg[1] != '-' && (std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.')) {
            parsed.positionals.push_back(arg);
            continue;
        }
        std::string spelled = arg;
        std::optional<std::string> inlineValue;
        if (const size_t eq = arg.find('='); eq != std::string::npos) {
            spelled = arg.substr(0, eq);
            inlineValue = arg.substr(eq + 1);
        }
        const OptionDef* option = findOption(spelled, options);
        if (option == nullptr) {
            std::string message = "unknown option " + spelled;
            const std::string near = suggestion(spelled, options);
            if (!near.empty()) message += " (did you mean " + near + "?)";
            throw UsageError(message);
        }
        if (!option->takesValue()) {
            if (inlineValue) throw UsageError(spelled + " is a switch and takes no value (got '" + arg + "')");
            parsed.set(option->name, spelled, "");
            continue;
        }
        if (inlineValue) {
            parsed.set(option->name, spelled, *inlineValue);
            continue;
        }
        // The next word is the value, unless it is another option (a negative number is a value).
        const bool nextIsValue =
            i + 1 < args.size() &&
            (args[i + 1].size() < 2 || args[i + 1][0] != '-' || std::isdigit(static_cast<unsigned char>(args[i + 1][1])) ||
             args[i + 1][1] == '.');
        if (!nextIsValue) throw UsageError(spelled + " needs a value (" + option->valueName + ")");
        parsed.set(option->name, spelled, args[++i]);
    }
    return parsed;
}

std::string formatHelp(const CommandHelp& help) {
    std::ostringstream out;
    out << "Usage: " << help.usage << "\n";
    if (!help.summary.empty()) out << "\n" << help.summary << "\n";

    // Groups in order of first appearance.
    std::vector<std::string> groups;
    for (const OptionDef& o : help.options)
        if (std::find(groups.begin(), groups.end(), o.group) == groups.end()) groups.push_back(o.group);

    auto label = [](const OptionDef& o) {
        std::string s = o.name;
        for (const std::string& a : o.aliases) s += ", " + a;
        if (o.takesValue()) s += " " + o.valueName;
        return s;
    };
    size_t width = std::string("-h, --help").size();
    for (const OptionDef& o : help.options) width = std::max(width, label(o).size());
    width = std::min<size_t>(width, 34);

    auto printOption = [&](const std::string& name, const std::string& text) {
        out << "  " << name;
        std::istringstream lines(text);
        std::string line;
        bool first = true;
        while (std::getline(lines, line)) {
            if (first && name.size() <= width) {
                out << std::string(width - name.size() + 2, ' ') << line << "\n";
            } else {
                if (first) out << "\n";
                out << std::string(width + 4, ' ') << line << "\n";
            }
            first = false;
        }
        if (first) out << "\n";
    };

    for (const std::string& group : groups) {
        out << "\n" << (group.empty() ? "Options" : group) << ":\n";
        for (const OptionDef& o : help.options)
            if (o.group == group) printOption(label(o), o.help);
    }
    if (groups.empty()) out << "\nOptions:\n";
    printOption("-h, --help", "show this help and exit");
    if (!help.notes.empty()) out << "\n" << help.notes << (help.notes.back() == '\n' ? "" : "\n");
    return out.str();
}

int64_t parseInteger(const std::string& flag, const std::string& text, int64_t lo, int64_t hi) {
    const std::string t = trim(text);
    int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec == std::errc::invalid_argument || ptr != t.data() + t.size())
        throw UsageError(flag + ": expected an integer, got '" + text + "'");
    if (ec == std::errc::result_out_of_range || v < lo || v > hi)
        throw UsageError(flag + ": " + t + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
    return v;
}

uint64_t parseUnsigned(const std::string& flag, const std::string& text) {
    const std::string t = trim(text);
    uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
        throw UsageError(flag + ": expected a non-negative integer (0.." + std::to_string(UINT64_MAX) + "), got '" +
                         text + "'");
    return v;
}

double parseNumber(const std::string& flag, const std::string& text, double lo, double hi) {
    const std::string t = trim(text);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    auto range = [&] {
        std::ostringstream s;
        s << lo << ".." << hi;
        return s.str();
    };
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v))
        throw UsageError(flag + ": expected a number, got '" + text + "'");
    if (v < lo || v > hi) throw UsageError(flag + ": " + t + " is out of range " + range());
    return v;
}

std::vector<std::string> splitList(const std::string& flag, const std::string& text) {
    std::vector<std::string> items;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ',')) items.push_back(trim(item));
    if (!text.empty() && text.back() == ',') items.push_back("");
    if (items.empty()) throw UsageError(flag + ": expected a comma-separated list, got an empty value");
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].empty())
            throw UsageError(flag + ": item " + std::to_string(i + 1) + " of '" + text + "' is empty");
    return items;
}

std::vector<int> parseIntList(const std::string& flag, const std::string& text) {
    std::vector<int> out;
    for (const std::string& item : splitList(flag, text)) out.push_back(int(parseInteger(flag, item, INT_MIN, INT_MAX)));
    return out;
}

std::vector<double> parseNumberList(const std::string& flag, const std::string& text) {
    std::vector<double> out;
    for (const std::string& item : splitList(flag, text)) {
        const std::string t = trim(item);
        double v = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v))
            throw UsageError(flag + ": expected a number, got '" + item + "'");
        out.push_back(v);
    }
    return out;
}

} // namespace bertbench::cli

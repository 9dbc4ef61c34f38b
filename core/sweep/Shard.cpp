#include "core/sweep/Shard.h"

#include <cctype>

#include "core/util/Errors.h"

namespace bertbench {

namespace {

constexpr int kMaxShards = 100000;

// A whole non-negative decimal number of at most 9 digits, or -1.
int parseCount(const std::string& text) {
    if (text.empty() || text.size() > 9) return -1;
    int value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

Shard parseShard(const std::string& flag, const std::string& text) {
    const std::string form = " (expected i/n: shard i of n, 0 <= i < n, e.g. 0/4 ... 3/4)";
    const size_t slash = text.find('/');
    if (slash == std::string::npos) throw InputError(flag + ": '" + text + "' is not of the form i/n" + form);
    const int index = parseCount(text.substr(0, slash));
    const int count = parseCount(text.substr(slash + 1));
    if (index < 0 || count < 0) throw InputError(flag + ": '" + text + "' is not of the form i/n" + form);
    if (count < 1 || count > kMaxShards)
        throw InputError(flag + ": '" + text + "': the shard count must be 1.." + std::to_string(kMaxShards));
    if (index >= count)
        throw InputError(flag + ": '" + text + "': shard index " + std::to_string(index) + " is out of range 0.." +
                         std::to_string(count - 1) + form);
    return Shard{index, count};
}

std::string toString(const Shard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

int shardOfCell(int cellIndex, int shardCount) { return shardCount > 0 ? cellIndex % shardCount : 0; }

std::vector<Cell> shardCells(const SweepSpec& spec, const Shard& shard) {
    const std::vector<Cell> all = cellsOf(spec);
    std::vector<Cell> mine;
    for (size_t k = 0; k < all.size(); ++k)
        if (shardOfCell(int(k), shard.count) == shard.index) mine.push_back(all[k]);
    return mine;
}

std::vector<Cell> cellsOutsideShard(const SweepSpec& spec, const Shard& shard) {
    const std::vector<Cell> all = cellsOf(spec);
    std::vector<Cell> others;
    for (size_t k = 0; k < all.size(); ++k)
        if (shardOfCell(int(k), shard.count) != shard.index) others.push_back(all[k]);
    return others;
}

} // namespace bertbench

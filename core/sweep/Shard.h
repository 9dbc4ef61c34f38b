#pragma once
// A deterministic split of a sweep's cells into n shards, for clusters (--shard i/n, SLURM job
// arrays). Cell k of the canonical order (cellsOf) belongs to shard k mod n:
//   - stable: the split depends only on the spec's axes, never on the backends, the machine or
//     what ran before, so every array task computes the same split independently;
//   - balanced: neighbouring cells (the pads of one batch × length) cost about the same and
//     land in different shards, so every shard gets a similar mix of cheap and expensive cells.
#include <string>
#include <vector>

#include "core/sweep/SweepSpec.h"

namespace bertbench {

struct Shard {
    int index = 0;   // 0-based, as SLURM_ARRAY_TASK_ID of `--array=0-(n-1)`
    int count = 1;
    bool operator==(const Shard& o) const = default;
};

// "i/n" with 0 <= i < n, 1 <= n <= 100000. Throws InputError naming `flag` and the rule.
Shard parseShard(const std::string& flag, const std::string& text);
std::string toString(const Shard& shard);   // "1/3"

// The shard that cell number `cellIndex` (in cellsOf order) belongs to.
int shardOfCell(int cellIndex, int shardCount);
// The cells of `shard`, in cellsOf order (empty when there are fewer cells than shards).
std::vector<Cell> shardCells(const SweepSpec& spec, const Shard& shard);
// The cells of the sweep outside `shard`: what a shard run skips.
std::vector<Cell> cellsOutsideShard(const SweepSpec& spec, const Shard& shard);

} // namespace bertbench

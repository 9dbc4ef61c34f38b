#pragma once
// Where a sweep's batch lengths come from (DESIGN.md's "workload"): `synthetic` (the old script's
// Normal((1 − pad)·max, stdev), the default), a lengths file (token counts), or a texts file
// tokenized with each model's tokenizer; and, for the two data workloads, the batching policy
// axis (random: rows in arrival order; sorted: the cell's rows sorted by length, then cut into
// consecutive batches, as bucketing servers do). Spec key "workload" (SpecJson.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bertbench {

enum class WorkloadKind { Synthetic, Lengths, Texts };
std::string toString(WorkloadKind kind);   // "synthetic", "lengths", "texts"
std::optional<WorkloadKind> parseWorkloadKind(const std::string& s);

// A cell's batching policy. None: a synthetic cell (one generated batch at the cell's pad).
enum class Batching { None, Random, Sorted };
std::string toString(Batching b);          // "none", "random", "sorted"
std::optional<Batching> parseBatching(const std::string& s);   // "random" or "sorted"

struct WorkloadSpec {
    WorkloadKind kind = WorkloadKind::Synthetic;
    std::string file;        // the lengths or texts file (the CLI stores it absolute)
    std::string textField;   // texts: a JSON Lines field or CSV/TSV column ("" = "text")
    // texts: the tokenizer folder of every model; "" = each checkpoint folder's own tokenizer files
    // (a preset has none, so a sweep over presets needs one).
    std::string tokenizer;
    std::vector<Batching> batching{Batching::Random};   // the policy axis (replaces the pads)
    int batchesPerCell = 8;  // batches a cell's rows are drawn into; each timed forward runs them all
    // The file's identity, recorded when a run starts: a rerun or resume that finds other bytes
    // under the name is refused. Empty / -1 = not recorded yet.
    std::string sha256;
    int64_t bytes = -1;

    bool isData() const { return kind != WorkloadKind::Synthetic; }
    bool operator==(const WorkloadSpec&) const = default;
};

struct SpecProblem;
// The workload's own fields (file named, policies known and listed once, batches per cell in
// range, text-only keys only for texts, SHA-256 well-formed); field paths start "workload.".
void addWorkloadProblems(const WorkloadSpec& workload, std::vector<SpecProblem>& problems);

// The most batches a cell may draw (each timed forward runs every one).
constexpr int kMaxBatchesPerCell = 1000;

} // namespace bertbench

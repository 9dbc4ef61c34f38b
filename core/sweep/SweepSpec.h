#pragma once
// What to measure: the axes of a sweep and how each cell is measured.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/backend/Task.h"
#include "core/sweep/WorkloadSpec.h"

namespace bertbench {

struct SweepSpec {
    // Preset names or HF checkpoint folders: a model axis like the task axis. Every cell is
    // measured for every model, each against the baseline backend running that same model.
    std::vector<std::string> models{"tiny"};
    std::vector<Task> tasks{Task::Encoder};
    std::string baseline = "cpu:eager";
    std::vector<std::string> candidates{"cpu:sdpa", "cpu:flash_attention_2"};
    DType dtype = DType::Float32;
    // The baseline's own data type where it differs from the candidates' (`--baseline
    // cuda:eager:fp32`): fp8 or fp16 candidates against an fp32 baseline, so that every row's
    // error and task agreement are against fp32 on the same batch. Unset = `dtype`.
    std::optional<DType> baselineDType;
    std::vector<int> batchSizes{1, 2, 4, 8, 16, 32, 64, 128};
    std::vector<int> seqLens{128, 256, 512};
    std::vector<double> pads{0.0, 0.1, 0.2, 0.5, 0.75};
    double seqlenStdev = 10.0;
    int warmup = 2;
    int numBatches = 50;                        // timed forwards per backend per cell (fixed-count mode)
    // Adaptive sampling (maxNoisePct > 0; docs/ARCHITECTURE.md "Uncertainty"): a side is timed until
    // the half-width of its median's 95 % interval is below maxNoisePct % of the median, and the
    // cell's timing has run minTimeS; at maxTimeS of the cell's timing every side still going stops.
    // Times are wall seconds of a cell's timed forwards, all sides together.
    double maxNoisePct = 0;                     // 0 = fixed count: numBatches forwards a side
    double minTimeS = 0;
    double maxTimeS = 10;
    // Baseline and candidates of a cell timed in alternating rounds (A B C A B C ...) so that clock,
    // thermal and power drift fall on every side alike; false = one backend after the other.
    bool interleave = true;
    uint64_t seed = 0;
    bool cudaGraphs = false;
    int64_t memoryLimitMb = 0;                  // 0 = none
    double cellTimeoutS = 0;                    // 0 = none
    bool profile = true;                        // one per-op profiling forward per backend per cell (--no-profile)
    // Where the lengths come from (WorkloadSpec.h). A data workload replaces the pads with its
    // batching policies: its cells have pad 0 and a policy, and the padding is what the data gives.
    WorkloadSpec workload;
};

// The data type the baseline runs in: its own where set, else the candidates'.
inline DType baselineDTypeOf(const SweepSpec& spec) { return spec.baselineDType.value_or(spec.dtype); }
// "cuda:eager fp32" where the baseline has its own data type, else "cuda:eager".
std::string baselineLabel(const SweepSpec& spec);

// One (task, batch size, max seq len, pad fraction, model) point. The model is last so that a
// cell can be written {task, batch, seq, pad} where the model does not matter; the runner and
// every reader of a run file set it (files that record none get the spec's first model).
// A data workload's cell has pad 0 and its batching policy (None in a synthetic cell).
struct Cell {
    Task task = Task::Encoder;
    int batchSize = 1;
    int seqLen = 128;
    double pad = 0.0;
    std::string model;
    Batching batching = Batching::None;
    bool operator==(const Cell& o) const = default;
};

// Cells model by model (each is loaded once), then task by task, and within a task in the old
// script's order: batch size, then seq len, then pad (a data workload: its batching policies).
std::vector<Cell> cellsOf(const SweepSpec& spec);
// Per-cell batch seed: derived from the spec seed and the cell, so a resumed or
// partial sweep sees exactly the batch a full sweep would. Model and task are left out: every
// model and task of a sweep sees batches of the same lengths. So is the batching policy: a data
// workload's random and sorted cells draw the same rows and differ only in how they are batched.
uint64_t cellSeed(const SweepSpec& spec, const Cell& cell);

// How titles, selectors and file names call a model: a preset's name, a checkpoint folder's last
// component ("/data/ckpt/roberta-base/" → "roberta-base"), "model not recorded" for "".
std::string modelLabel(const std::string& model);

// A problem with one field. `field` is the JSON path, e.g. "batch_sizes[2]".
struct SpecProblem {
    std::string field;
    std::string message;   // names the value and the allowed range
};
// Checks every field against its bounds (batch 1..4096, lengths 1..maxPositions, pad [0,1), ...).
// maxPositions <= 0 skips the model-dependent checks. knownBackends empty skips backend checks.
std::vector<SpecProblem> validateSpec(const SweepSpec& spec, int maxPositions,
                                      const std::vector<std::string>& knownBackends);

} // namespace bertbench

#pragma once
// A cell's batches: the one seeded synthetic batch (makeBatch), or a data workload's batches drawn
// from its lengths (WorkloadSampler.h), each padded to its longest row — at most the cell's max
// length — as servers pad a batch (HF's padding=True): with the cell's max length as the width,
// every backend that pads would compute the same positions whatever the policy, and sorting would
// buy nothing. Plus what the row records: real tokens, realised pad, rows drawn and truncated.
#include <cstdint>
#include <vector>

#include "core/backend/Backend.h"
#include "core/batch/Batch.h"
#include "core/model/ModelConfig.h"
#include "core/profile/Flops.h"
#include "core/sweep/Run.h"
#include "core/sweep/SweepSpec.h"

namespace bertbench {

struct CellBatches {
    std::vector<Batch> batches;   // one (synthetic) or the spec's batches per cell (data)
    int64_t realTokens = 0;       // real tokens per forward: the mean over the batches, rounded
    double realisedPad = 0;       // 1 − real tokens / padded positions (Σ batch × width) over the batches
    FlopCount flops;              // per forward: the mean over the batches
    int workloadRows = 0;         // data: rows drawn for the cell; 0 = synthetic
    int truncatedRows = 0;        // data: of those, longer than the cell's max length

    // The batch whose output is compared with the baseline's: the last (a timed forward of a
    // data cell runs every batch in order, so it is the one each backend's output holds).
    const Batch& reference() const { return batches.back(); }
};

// `lengths`: the workload's token counts for the cell's model (nullptr for a synthetic spec).
// Throws InputError for a data cell without lengths.
CellBatches makeCellBatches(const SweepSpec& spec, const Cell& cell, const ModelConfig& config,
                            const std::vector<int>* lengths);

// A data cell of several batches is timed a cycle at a time (BatchCycle.h), while the timing's
// energy and efficiency figures count one batch, the reference: this makes them per batch over
// the cell's batches (joules per forward and per 1k tokens, tokens/s and TFLOP/s from the mean
// real tokens and FLOPs). Nothing to do for one batch.
// `dtype` and `probeDType` as for efficiencyFor.
void perBatchFigures(Measurement& m, const Backend& backend, DType dtype, DType probeDType, const Environment& env,
                     const CellBatches& cell);

} // namespace bertbench

#pragma once
// Random against sorted batching in a data workload's run: per (task, batch size, max length)
// and backend (the baseline and each candidate), the tokens/s and the pad each policy gave and
// what sorting bought. The run's two policies batch the very same rows (WorkloadSampler.h), so
// the gain is the batching's alone. Shown in the run view's Workload tab.
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench::ui {

struct BatchingComparisonRow {
    Task task = Task::Encoder;
    int batchSize = 0, seqLen = 0;
    std::string backend;
    bool baseline = false;
    double tokensPerSRandom = -1, tokensPerSSorted = -1;   // < 0 = not measured
    double padRandom = -1, padSorted = -1;
    double gainPct() const;   // (sorted / random − 1) × 100; NaN unless both measured
};

// In the run's order (task, batch, seq; the baseline first, then the candidates). Empty unless
// the run measured both policies.
std::vector<BatchingComparisonRow> batchingComparison(const Run& run);

} // namespace bertbench::ui

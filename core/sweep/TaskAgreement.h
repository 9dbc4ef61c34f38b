#pragma once
// Task-level agreement of a candidate's outputs with the baseline's on the same batch: how often
// the two pick the same answer, which is what a user of the model sees (rel L2 says how far the
// numbers moved, not whether the answer changed). fp8 trades accuracy for speed; this makes the
// trade visible per row.
//
//   classification        argmax over the labels, per row                    (B decisions)
//   token_classification  argmax over the labels, per real position          (Σ lengths decisions)
//   mlm                   argmax over the vocabulary, per real position      (Σ lengths decisions)
//   qa                    argmax over the row's real positions of the start logits, and of the
//                         end logits, separately                             (2·B decisions)
//   encoder               no decision: not measured
//
// Agreement is exact: the same index, ties broken to the lowest index on both sides. A NaN in
// the candidate's scores for a decision makes it disagree; a NaN in the baseline's is skipped
// (no answer to agree with). docs/VERIFY.md states the tolerance the checks apply.
#include <cstdint>
#include <limits>

#include "core/backend/Backend.h"
#include "core/batch/Batch.h"

namespace bertbench {

struct TaskAgreement {
    int64_t decisions = 0;   // compared (0 = the task has none, or nothing to compare)
    int64_t agreed = 0;
    // agreed / decisions · 100; NaN when there was nothing to compare (encoder).
    double percent() const {
        return decisions > 0 ? 100.0 * double(agreed) / double(decisions) : std::numeric_limits<double>::quiet_NaN();
    }
};

// Throws BackendError when the shapes differ or do not fit the task and batch.
TaskAgreement taskAgreement(Task task, const TaskOutput& candidate, const TaskOutput& reference, const Batch& batch);

// Whether a task has decisions to agree on (every task but encoder).
bool hasTaskAgreement(Task task);

} // namespace bertbench

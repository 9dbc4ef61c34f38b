#include "core/sweep/TaskAgreement.h"

#include <cmath>
#include <string>

#include "core/util/Errors.h"

namespace bertbench {

namespace {

// Index of the largest of n scores at `p` spaced by `stride`; ties to the lowest index. -1 when a
// score is NaN (no answer).
int64_t argmax(const float* p, int64_t n, int64_t stride) {
    int64_t best = -1;
    float bestValue = 0;
    for (int64_t i = 0; i < n; ++i) {
        const float v = p[i * stride];
        if (std::isnan(v)) return -1;
        if (best < 0 || v > bestValue) {
            best = i;
            bestValue = v;
        }
    }
    return best;
}

struct Counter {
    TaskAgreement a;
    void add(int64_t cand, int64_t ref) {
        if (ref < 0) return;   // the baseline has no answer here
        ++a.decisions;
        if (cand == ref) ++a.agreed;
    }
};

void expectShape(bool ok, Task task, const TaskOutput& out) {
    if (ok) return;
    std::string dims;
    for (size_t i = 0; i < out.shape.size(); ++i) dims += (i ? "," : "") + std::to_string(out.shape[i]);
    throw BackendError("task agreement: " + toString(task) + " output of shape [" + dims + "] does not fit the batch");
}

} // namespace

bool hasTaskAgreement(Task task) { return task != Task::Encoder; }

TaskAgreement taskAgreement(Task task, const TaskOutput& candidate, const TaskOutput& reference, const Batch& batch) {
    if (!hasTaskAgreement(task)) return {};
    if (candidate.shape != reference.shape || candidate.values.size() != reference.values.size())
        throw BackendError("output shape differs from the baseline's");
    const std::vector<int64_t>& s = reference.shape;
    int64_t elements = 1;
    for (int64_t d : s) elements *= d;
    expectShape(elements == int64_t(reference.values.size()), task, reference);
    const int64_t B = batch.batchSize;
    Counter c;
    if (task == Task::Classification) {
        expectShape(s.size() == 2 && s[0] == B && s[1] > 0, task, reference);
        const int64_t labels = s[1];
        for (int64_t row = 0; row < B; ++row)
            c.add(argmax(candidate.values.data() + row * labels, labels, 1),
                  argmax(reference.values.data() + row * labels, labels, 1));
        return c.a;
    }
    expectShape(s.size() == 3 && s[0] == B && s[1] == batch.maxSeqLen && s[2] > 0, task, reference);
    const int64_t S = s[1], width = s[2];
    if (task == Task::Qa) {
        expectShape(width == 2, task, reference);
        for (int64_t row = 0; row < B; ++row) {
            const int64_t len = batch.lengths[size_t(row)];
            if (len <= 0) continue;
            for (int64_t which = 0; which < 2; ++which) {   // start, then end
                const size_t at = size_t(row * S * width + which);
                c.add(argmax(candidate.values.data() + at, len, width), argmax(reference.values.data() + at, len, width));
            }
        }
        return c.a;
    }
    // mlm, token_classification: one decision per real position.
    for (int64_t row = 0; row < B; ++row) {
        const int64_t len = batch.lengths[size_t(row)];
        for (int64_t pos = 0; pos < len && pos < S; ++pos) {
            const size_t at = size_t((row * S + pos) * width);
            c.add(argmax(candidate.values.data() + at, width, 1), argmax(reference.values.data() + at, width, 1));
        }
    }
    return c.a;
}

} // namespace bertbench

#include <cmath>

#include "core/sweep/SweepRunner.h"
#include "core/util/Errors.h"

namespace bertbench {

OutputError compareOutputs(const TaskOutput& candidate, const TaskOutput& reference, const Batch& batch) {
    if (candidate.shape != reference.shape || candidate.values.size() != reference.values.size())
        throw BackendError("output shape differs from the baseline's");
    double maxAbs = 0, diff2 = 0, ref2 = 0;
    auto accumulate = [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            const double r = reference.values[i];
            const double d = double(candidate.values[i]) - r;
            // NaN must never pass: make it the worst error there is.
            if (std::isnan(d)) {
                maxAbs = INFINITY;
                diff2 = INFINITY;
                continue;
            }
            maxAbs = std::max(maxAbs, std::fabs(d));
            diff2 += d * d;
            ref2 += r * r;
        }
    };
    if (reference.perPosition) {
        if (reference.shape.size() != 3 || reference.shape[0] != batch.batchSize || reference.shape[1] != batch.maxSeqLen)
            throw BackendError("per-position output does not have the batch's [B,S,X] shape");
        const size_t width = size_t(reference.shape[2]);
        for (int row = 0; row < batch.batchSize; ++row) {
            const size_t begin = (size_t(row) * size_t(batch.maxSeqLen)) * width;
            accumulate(begin, begin + size_t(batch.lengths[size_t(row)]) * width);
        }
    } else {
        accumulate(0, reference.values.size());
    }
    OutputError e;
    e.maxAbs = maxAbs;
    e.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    return e;
}

} // namespace bertbench

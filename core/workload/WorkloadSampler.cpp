#include "core/workload/WorkloadSampler.h"

#include <algorithm>

#include "core/util/Errors.h"
#include "core/util/Random.h"

namespace bertbench {

SampledRows sampleRows(const std::vector<int>& lengths, Batching policy, int batchSize, int maxLength, int batches,
                       uint64_t seed) {
    if (lengths.empty()) throw InputError("the workload has no examples");
    if (policy == Batching::None) throw InputError("a data workload's cell needs a batching policy (random or sorted)");
    if (batchSize < 1 || maxLength < 1 || batches < 1)
        throw InputError("batch size, max length and batches per cell must be >= 1");
    Rng rng(seed);
    const int64_t last = int64_t(lengths.size()) - 1;
    std::vector<int> drawn(size_t(batchSize) * size_t(batches));
    SampledRows out;
    out.rows = int(drawn.size());
    for (int& len : drawn) {
        const int full = lengths[size_t(rng.uniformInt(0, last))];
        if (full > maxLength) ++out.truncated;
        len = std::min(full, maxLength);
    }
    // Stable: equal lengths keep their arrival order (only the lengths reach the batch anyway).
    if (policy == Batching::Sorted) std::stable_sort(drawn.begin(), drawn.end());
    out.batches.reserve(size_t(batches));
    for (int b = 0; b < batches; ++b)
        out.batches.emplace_back(drawn.begin() + ptrdiff_t(b) * batchSize, drawn.begin() + ptrdiff_t(b + 1) * batchSize);
    return out;
}

} // namespace bertbench

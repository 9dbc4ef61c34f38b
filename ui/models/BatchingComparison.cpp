#include "ui/models/BatchingComparison.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bertbench::ui {

double BatchingComparisonRow::gainPct() const {
    if (!(tokensPerSRandom > 0) || !(tokensPerSSorted > 0)) return std::numeric_limits<double>::quiet_NaN();
    return (tokensPerSSorted / tokensPerSRandom - 1) * 100;
}

std::vector<BatchingComparisonRow> batchingComparison(const Run& run) {
    std::vector<BatchingComparisonRow> out;
    bool random = false, sorted = false;
    for (const ResultRow& r : run.rows) {
        random = random || r.cell.batching == Batching::Random;
        sorted = sorted || r.cell.batching == Batching::Sorted;
    }
    if (!random || !sorted) return out;
    auto note = [&](const ResultRow& r, const Measurement& m, bool baseline) {
        if (m.backend.empty()) return;
        if (!baseline && r.status != RowStatus::Ok) return;
        if (baseline && !(m.latency.medianMs > 0)) return;
        auto it = std::find_if(out.begin(), out.end(), [&](const BatchingComparisonRow& c) {
            return c.task == r.cell.task && c.batchSize == r.cell.batchSize && c.seqLen == r.cell.seqLen &&
                   c.backend == m.backend;
        });
        if (it == out.end()) {
            BatchingComparisonRow c;
            c.task = r.cell.task;
            c.batchSize = r.cell.batchSize;
            c.seqLen = r.cell.seqLen;
            c.backend = m.backend;
            c.baseline = baseline;
            out.push_back(c);
            it = out.end() - 1;
        }
        const double tps = m.efficiency.recorded ? m.efficiency.tokensPerS : -1;
        const double pad = std::isfinite(r.realisedPad) ? r.realisedPad : -1;
        if (r.cell.batching == Batching::Random) {
            it->tokensPerSRandom = tps;
            it->padRandom = pad;
        } else if (r.cell.batching == Batching::Sorted) {
            it->tokensPerSSorted = tps;
            it->padSorted = pad;
        }
    };
    for (const ResultRow& r : run.rows) {
        if (r.cell.batching == Batching::None) continue;
        note(r, r.baseline, true);
        note(r, r.candidate, false);
    }
    return out;
}

} // namespace bertbench::ui

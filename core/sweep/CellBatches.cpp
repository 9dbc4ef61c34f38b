#include "core/sweep/CellBatches.h"

#include <algorithm>
#include <cmath>

#include "core/sweep/BatchCycle.h"
#include "core/sweep/MeasurementProfile.h"
#include "core/util/Errors.h"
#include "core/util/Random.h"
#include "core/workload/WorkloadSampler.h"

namespace bertbench {

CellBatches makeCellBatches(const SweepSpec& spec, const Cell& cell, const ModelConfig& config,
                            const std::vector<int>* lengths) {
    CellBatches out;
    const uint64_t seed = cellSeed(spec, cell);
    if (!spec.workload.isData() || cell.batching == Batching::None) {
        BatchSpec bs;
        bs.batchSize = cell.batchSize;
        bs.maxSeqLen = cell.seqLen;
        bs.padFraction = cell.pad;
        bs.seqlenStdev = spec.seqlenStdev;
        bs.vocabSize = config.vocabSize;
        bs.padTokenId = config.padTokenId;
        bs.seed = seed;
        out.batches.push_back(makeBatch(bs));
    } else {
        if (lengths == nullptr || lengths->empty())
            throw InputError("the workload has no lengths for model " + cell.model + " (loadWorkload first)");
        const SampledRows rows =
            sampleRows(*lengths, cell.batching, cell.batchSize, cell.seqLen, spec.workload.batchesPerCell, seed);
        out.workloadRows = rows.rows;
        out.truncatedRows = rows.truncated;
        // The ids of each batch from a seed of their own, derived from the cell's.
        uint64_t idSeed = seed ^ 0x5bd1e995a7c3f00dull;
        for (const std::vector<int>& batchRows : rows.batches) {
            const int width = *std::max_element(batchRows.begin(), batchRows.end());
            out.batches.push_back(makeBatchOfLengths(batchRows, width, config.vocabSize, config.padTokenId,
                                                     Rng::splitmix64(idSeed)));
        }
    }
    int64_t real = 0, padded = 0;
    for (const Batch& b : out.batches) {
        real += b.realTokens();
        padded += b.paddedTokens();
        const FlopCount f = forwardFlops(config, cell.task, b.lengths, b.maxSeqLen);
        out.flops.real += f.real;
        out.flops.padded += f.padded;
    }
    const double n = double(out.batches.size());
    out.flops.real /= n;
    out.flops.padded /= n;
    out.realTokens = std::llround(double(real) / n);
    out.realisedPad = padded > 0 ? 1.0 - double(real) / double(padded) : 0.0;
    return out;
}

void perBatchFigures(Measurement& m, const Backend& backend, DType dtype, DType probeDType, const Environment& env,
                     const CellBatches& cell) {
    if (cell.batches.size() < 2) return;
    energyPerBatch(m.energy, int(cell.batches.size()));
    if (m.energy.joulesPerForward >= 0 && cell.realTokens > 0)
        m.energy.joulesPer1kTokens = m.energy.joulesPerForward / double(cell.realTokens) * 1000.0;
    if (m.efficiency.recorded && m.latency.medianMs > 0)
        m.efficiency = efficiencyFor(backend, dtype, probeDType, env, cell.flops.real, cell.flops.padded,
                                     m.latency.medianMs, cell.realTokens);
}

} // namespace bertbench

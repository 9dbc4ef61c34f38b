#pragma once
// Synthetic rows with breakdown, efficiency and energy for the UI suites and the Breakdown
// screenshots: per-op parts shaped like BERT's (GEMMs ∝ tokens, attention ∝ batch · length², padding work only on the packed
// path), energy per forward ∝ time, one throttled cell. Deterministic; no GPU needed.
#include <cmath>

#include "core/profile/OpCategory.h"
#include "core/sweep/Run.h"
#include "UiTestSupport.h"

namespace bertbench::test {

// ms of each category for one backend in one cell (a made-up but plausible cost model).
inline OpBreakdown syntheticBreakdown(const std::string& backend, int batch, int seq, double pad) {
    const bool packed = backend.find("flash") != std::string::npos;
    const bool fused = packed || backend.find("sdpa") != std::string::npos;
    const double tokens = double(batch) * seq * (packed ? 1 - pad : 1);
    const double real = double(seq) * (1 - pad);
    const double attention = double(batch) * (packed ? real * real : double(seq) * seq) * (fused ? 0.2e-6 : 0.5e-6);
    OpBreakdown b = emptyBreakdown();
    addToBreakdown(b, "embeddings", 0.02 + tokens * 4e-6);
    addToBreakdown(b, "qkv_gemm", tokens * 9e-5);
    addToBreakdown(b, "attention", attention);
    addToBreakdown(b, "attn_out_ln", tokens * 3.5e-5);
    addToBreakdown(b, "ffn_up_gelu", tokens * 1.3e-4);
    addToBreakdown(b, "ffn_down_ln", tokens * 1.2e-4);
    if (packed) addToBreakdown(b, "padding", 0.01 + double(batch) * seq * 2e-6);
    double sum = 0;
    for (const OpPart& p : b.parts) sum += p.ms;
    finishBreakdown(b, sum * 1.06 + 0.05);   // launch overhead and gaps on top
    return b;
}

inline void addProfile(Measurement& m, const Cell& cell, bool throttled) {
    m.breakdown = syntheticBreakdown(m.backend, cell.batchSize, cell.seqLen, cell.pad);
    m.latency.medianMs = m.breakdown->forwardMs;
    m.latency.meanMs = m.latency.medianMs;
    m.latency.p10Ms = m.latency.medianMs * 0.97;
    m.latency.p90Ms = m.latency.medianMs * 1.04;
    const double realTokens = cell.batchSize * cell.seqLen * (1 - cell.pad);
    // Peak memory: weights, activations ∝ tokens, and eager's materialised B·H·S² scores.
    const bool eager = m.backend.find("eager") != std::string::npos;
    m.peakMemMb = 220 + double(cell.batchSize) * cell.seqLen * 0.02 +
                  (eager ? double(cell.batchSize) * 12 * cell.seqLen * cell.seqLen * 2e-6 : 0);
    m.efficiency.recorded = true;
    m.efficiency.flopsReal = realTokens * 2 * 110e6;
    m.efficiency.flopsPadded = double(cell.batchSize) * cell.seqLen * 2 * 110e6;
    m.efficiency.achievedTflops = m.efficiency.flopsReal / (m.latency.medianMs * 1e-3) / 1e12;
    m.efficiency.tokensPerS = realTokens / (m.latency.medianMs * 1e-3);
    m.efficiency.pctOfPeak = m.efficiency.achievedTflops / 700 * 100;
    m.energy.available = true;
    m.energy.meanPowerW = m.backend.find("eager") != std::string::npos ? 420 : 380;
    m.energy.joulesPerForward = m.energy.meanPowerW * m.latency.medianMs * 1e-3;
    m.energy.joulesPer1kTokens = m.energy.joulesPerForward / realTokens * 1000;
    m.energy.smClockStartMhz = 1980;
    m.energy.smClockEndMhz = throttled ? 1590 : 1980;
    m.energy.tempStartC = 41;
    m.energy.tempEndC = throttled ? 83 : 52;
    m.energy.throttled = throttled;
}

// A run of cuda:eager against cuda:sdpa and cuda:flash_attention_2 over a small grid, every
// row with breakdown, efficiency and energy; batch 32 · seq 512 · pad 0.5 throttled.
inline Run syntheticProfiledRun() {
    Run run;
    run.spec.models = {"bert-base"};
    run.spec.baseline = "cuda:eager";
    run.spec.candidates = {"cuda:sdpa", "cuda:flash_attention_2"};
    run.spec.dtype = DType::Float16;
    run.spec.batchSizes = {1, 4, 8, 16, 32};
    run.spec.seqLens = {128, 512};
    run.spec.pads = {0.0, 0.25, 0.5};
    run.spec.numBatches = 20;
    run.environment.source = "bertbench";
    run.environment.host = "synthetic";
    run.environment.gpu = "synthetic GPU (test data)";
    run.environment.gemmPeakTflops = 700;
    for (int b : run.spec.batchSizes)
        for (int s : run.spec.seqLens)
            for (double p : run.spec.pads)
                for (const std::string& c : run.spec.candidates) {
                    ResultRow r = makeRow(Task::Encoder, c, b, s, p, 1, 1);
                    r.baseline.backend = run.spec.baseline;
                    r.isCuda = true;
                    r.isHalf = true;
                    const bool throttled = b == 32 && s == 512 && p == 0.5;
                    addProfile(r.baseline, r.cell, false);
                    addProfile(r.candidate, r.cell, throttled);
                    r.realTokens = int64_t(b * s * (1 - p));
                    run.rows.push_back(r);
                }
    return run;
}

// The same rows for two models (bert-base and modernbert-base, the second a copy of the first):
// the run header then has its Model selector too, its widest form.
inline Run syntheticTwoModelProfiledRun() {
    Run run = syntheticProfiledRun();
    run.spec.models = {"bert-base", "modernbert-base"};
    const std::vector<ResultRow> one = run.rows;
    run.rows.clear();
    for (const std::string& model : run.spec.models)
        for (ResultRow r : one) {
            r.cell.model = model;
            run.rows.push_back(r);
        }
    return run;
}

} // namespace bertbench::test

#include "core/profile/Flops.h"

#include "core/util/Errors.h"

namespace bertbench {

namespace {
// Per-token GEMM FLOPs of one encoder layer (QKV, attention output, FFN up, FFN down).
double layerGemmFlopsPerToken(const ModelConfig& c) {
    const double H = c.hiddenSize, I = c.intermediateSize;
    const double up = c.isModernBert() ? 2 * I : I;   // GeGLU's input and gate
    return 2 * H * 3 * H + 2 * H * H + 2 * H * up + 2 * I * H;
}

// Query-key pairs of a row of length L that a window of ±w lets attend: L² less the pairs farther
// apart, 2·(L − d) at each distance d > w.
double windowPairs(double L, double w) {
    if (L <= w + 1) return L * L;
    return L * L - (L - w - 1) * (L - w);
}

// Head FLOPs over `tokens` token rows and `rows` sequences.
double headFlops(const ModelConfig& c, Task task, double tokens, double rows) {
    const double H = c.hiddenSize;
    switch (task) {
    case Task::Encoder: return 0;
    case Task::Mlm: return 2 * tokens * H * H + 2 * tokens * H * double(c.vocabSize);
    case Task::TokenClassification: return (c.isModernBert() ? 2 * tokens * H * H : 0) + 2 * tokens * H * double(c.numLabels);
    case Task::Qa: return (c.isModernBert() ? 2 * tokens * H * H : 0) + 2 * tokens * H * 2;
    case Task::Classification: return 2 * rows * H * H + 2 * rows * H * double(c.numLabels);
    }
    return 0;
}
} // namespace

FlopCount forwardFlops(const ModelConfig& config, Task task, const std::vector<int>& lengths, int maxSeqLen) {
    if (maxSeqLen <= 0) throw InputError("forwardFlops: max sequence length must be positive, got " + std::to_string(maxSeqLen));
    // ModernBERT's local layers see a window; every other layer is global.
    int localLayers = 0;
    if (config.isModernBert())
        for (bool global : config.modernBert.globalLayers) localLayers += global ? 0 : 1;
    const double halfWindow = config.isModernBert() ? config.modernBert.halfWindow() : 0;
    double realTokens = 0, realPairs = 0, realLocalPairs = 0;
    for (int len : lengths) {
        if (len < 1 || len > maxSeqLen)
            throw InputError("forwardFlops: a row length of " + std::to_string(len) + " is outside [1, " +
                             std::to_string(maxSeqLen) + "]");
        realTokens += len;
        realPairs += double(len) * len;
        realLocalPairs += windowPairs(len, halfWindow);
    }
    const double rows = double(lengths.size());
    const double paddedTokens = rows * maxSeqLen;
    const double paddedPairs = rows * double(maxSeqLen) * maxSeqLen;
    const double paddedLocalPairs = rows * windowPairs(maxSeqLen, halfWindow);
    const double layers = config.numLayers, globalLayers = layers - localLayers;
    const double H = config.hiddenSize;
    // Q·Kᵀ and P·V: 2·L·L·d each per head, heads·d = H.
    auto attention = [&](double pairs, double localPairs) {
        return 4 * H * (globalLayers * pairs + double(localLayers) * localPairs);
    };
    FlopCount f;
    f.real = layers * realTokens * layerGemmFlopsPerToken(config) + attention(realPairs, realLocalPairs) +
             headFlops(config, task, realTokens, rows);
    f.padded = layers * paddedTokens * layerGemmFlopsPerToken(config) + attention(paddedPairs, paddedLocalPairs) +
               headFlops(config, task, paddedTokens, rows);
    return f;
}

} // namespace bertbench

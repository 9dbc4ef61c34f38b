#include "core/cpu/CpuAttention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/cpu/CpuMath.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/ThreadPool.h"

namespace bertbench::cpu {

namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

// Online-softmax attention of one head over one sequence: queries [nq, D], keys and values
// [nk, D] (row stride ld), keys at index >= validKeys masked out, and with window >= 0 the keys
// farther than `window` from the query too. Output rows stride ldo; a query without a single
// visible key (a padding row past a short sequence's window) gets zeros.
void streamingHead(const float* q, const float* k, const float* v, int ld, int nq, int nk, int validKeys, int window,
                   float* out, int ldo, int D, float scale, float* ws) {
    float* s = ws;                                   // [kQueryBlock, kKeyBlock]
    float* acc = s + kQueryBlock * kKeyBlock;        // [kQueryBlock, D]
    float* m = acc + size_t(kQueryBlock) * D;        // running max
    float* l = m + kQueryBlock;                      // running sum
    for (int i0 = 0; i0 < nq; i0 += kQueryBlock) {
        const int qb = std::min(kQueryBlock, nq - i0);
        std::fill(m, m + qb, kNegInf);
        std::fill(l, l + qb, 0.0f);
        std::fill(acc, acc + size_t(qb) * D, 0.0f);
        // The keys any query of this block can see: a window skips the key blocks outside it.
        const int keyBegin = window < 0 ? 0 : std::max(0, i0 - window);
        const int keyEnd = window < 0 ? nk : std::min(nk, i0 + qb + window);
        for (int j0 = keyBegin; j0 < keyEnd; j0 += kKeyBlock) {
            const int kb = std::min(kKeyBlock, keyEnd - j0);
            sgemm(true, qb, kb, D, scale, q + int64_t(i0) * ld, ld, k + int64_t(j0) * ld, ld, 0.0f, s, kb);
            const int firstMasked = std::clamp(validKeys - j0, 0, kb);
            for (int r = 0; r < qb; ++r) {
                float* row = s + r * kb;
                // Visible keys of this row in the block: [lo, hi).
                const int i = i0 + r;
                const int lo = window < 0 ? 0 : std::clamp(i - window - j0, 0, kb);
                const int hi = window < 0 ? firstMasked : std::min(firstMasked, std::clamp(i + window + 1 - j0, 0, kb));
                if (lo >= hi) {   // nothing to see here: no contribution, running max untouched
                    std::fill(row, row + kb, 0.0f);
                    continue;
                }
                std::fill(row, row + lo, kNegInf);
                std::fill(row + hi, row + kb, kNegInf);
                // The row has a visible key here, so mNew is finite.
                const float mNew = std::max(m[r], rowMax(row, kb));
                const float corr = expApprox(m[r] - mNew);
                l[r] = l[r] * corr + expShiftedSum(row, kb, mNew);
                m[r] = mNew;
                if (corr != 1.0f) scaleRow(acc + size_t(r) * D, D, corr);
            }
            sgemm(false, qb, D, kb, 1.0f, s, kb, v + int64_t(j0) * ld, ld, 1.0f, acc, D);
        }
        for (int r = 0; r < qb; ++r) {
            const float inv = l[r] > 0.0f ? 1.0f / l[r] : 0.0f;
            const float* a = acc + size_t(r) * D;
            float* o = out + int64_t(i0 + r) * ldo;
            for (int d = 0; d < D; ++d) o[d] = a[d] * inv;
        }
    }
}

void softmaxRow(float* row, int n) {
    const float sum = expShiftedSum(row, n, rowMax(row, n));
    scaleRow(row, n, 1.0f / sum);
}

} // namespace

size_t eagerScoresFloats(const AttentionShape& s) {
    return size_t(s.batch) * size_t(s.heads) * size_t(s.seqLen) * size_t(s.seqLen);
}

size_t streamingWorkspaceFloats(int headDim) {
    return size_t(kQueryBlock) * kKeyBlock + size_t(kQueryBlock) * size_t(headDim) + 2 * size_t(kQueryBlock);
}

void eagerAttention(const AttentionShape& s, const float* qkv, float* ctx, float* scores) {
    const int H = s.heads * s.headDim, ld = 3 * H, S = s.seqLen, D = s.headDim;
    const float scale = 1.0f / std::sqrt(float(D));
    cpuPool().run(int64_t(s.batch) * s.heads, [&](int64_t task, int) {
        const int b = int(task / s.heads), h = int(task % s.heads);
        const float* q = qkv + int64_t(b) * S * ld + h * D;
        float* sc = scores + size_t(task) * S * S;
        sgemm(true, S, S, D, scale, q, ld, q + H, ld, 0.0f, sc, S);
        // HF's extended attention mask: (1 − mask) · lowest, added to the scores.
        // ModernBERT's sliding window: the keys outside it get the same lowest (HF's
        // sliding_window_mask, the padding mask with the far keys filled too).
        const float lowest = std::numeric_limits<float>::lowest();
        const int len = s.lengths[b], w = s.window;
        for (int i = 0; i < S; ++i) {
            float* row = sc + int64_t(i) * S;
            const int lo = w < 0 ? 0 : std::max(0, i - w);
            const int hi = w < 0 ? len : std::min(len, i + w + 1);
            for (int j = 0; j < S; ++j)
                if (j < lo || j >= hi) row[j] += lowest;
            softmaxRow(row, S);
        }
        sgemm(false, S, D, S, 1.0f, sc, S, q + 2 * H, ld, 0.0f, ctx + int64_t(b) * S * H + h * D, H);
    });
}

void sdpaAttention(const AttentionShape& s, const float* qkv, float* ctx, float* workspace) {
    const int H = s.heads * s.headDim, ld = 3 * H, S = s.seqLen, D = s.headDim;
    const float scale = 1.0f / std::sqrt(float(D));
    const size_t wsFloats = streamingWorkspaceFloats(D);
    cpuPool().run(int64_t(s.batch) * s.heads, [&](int64_t task, int worker) {
        const int b = int(task / s.heads), h = int(task % s.heads);
        const float* q = qkv + int64_t(b) * S * ld + h * D;
        streamingHead(q, q + H, q + 2 * H, ld, S, S, s.lengths[b], s.window, ctx + int64_t(b) * S * H + h * D, H, D,
                      scale, workspace + size_t(worker) * wsFloats);
    });
}

void flashAttention(const AttentionShape& s, const float* qkv, float* ctx, float* workspace) {
    const int H = s.heads * s.headDim, ld = 3 * H, D = s.headDim;
    const float scale = 1.0f / std::sqrt(float(D));
    const size_t wsFloats = streamingWorkspaceFloats(D);
    // Longest sequences first: tasks are handed out dynamically, so the short ones fill the gaps.
    std::vector<int> order(size_t(s.batch));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return s.lengths[a] > s.lengths[b]; });
    cpuPool().run(int64_t(s.batch) * s.heads, [&](int64_t task, int worker) {
        const int b = order[size_t(task / s.heads)], h = int(task % s.heads);
        const int len = s.lengths[b];
        const float* q = qkv + s.offsets[b] * ld + h * D;
        streamingHead(q, q + H, q + 2 * H, ld, len, len, len, s.window, ctx + s.offsets[b] * H + h * D, H, D, scale,
                      workspace + size_t(worker) * wsFloats);
    });
}

} // namespace bertbench::cpu

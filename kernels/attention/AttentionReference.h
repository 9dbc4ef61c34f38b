#pragma once
// CPU twin of FusedAttention.h, plain C++ (no CUDA): the same function, in double precision,
// one sequence at a time. Used by bench/attention to check the kernels; small enough to read
// against the kernel's header comment.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace bertbench::attention {

// One sequence, all heads. q/k/v point at the sequence's first token (row strides in elements,
// head h at column h·headDim); query rows [0, qRows) attend over keys [0, kLen), kLen ≥ 1.
// out: qRows rows with the given stride, head h at column h·headDim.
inline void attentionReferenceSequence(const float* q, const float* k, const float* v,
                                       int64_t qRowStride, int64_t kRowStride, int64_t vRowStride,
                                       float* out, int64_t outRowStride, int numHeads, int headDim,
                                       double scale, int qRows, int kLen)
{
    std::vector<double> scores(static_cast<size_t>(std::max(kLen, 1)));
    std::vector<double> acc(static_cast<size_t>(headDim));
    for (int h = 0; h < numHeads; ++h) {
        const int64_t col = int64_t(h) * headDim;
        for (int i = 0; i < qRows; ++i) {
            const float* qi = q + i * qRowStride + col;
            double mx = -INFINITY;
            for (int j = 0; j < kLen; ++j) {
                const float* kj = k + j * kRowStride + col;
                double dot = 0.0;
                for (int d = 0; d < headDim; ++d) dot += double(qi[d]) * double(kj[d]);
                scores[size_t(j)] = dot * scale;
                mx = std::max(mx, scores[size_t(j)]);
            }
            double sum = 0.0;
            for (int j = 0; j < kLen; ++j) {
                scores[size_t(j)] = std::exp(scores[size_t(j)] - mx);
                sum += scores[size_t(j)];
            }
            std::fill(acc.begin(), acc.end(), 0.0);
            for (int j = 0; j < kLen; ++j) {
                const float* vj = v + j * vRowStride + col;
                const double pj = scores[size_t(j)] / sum;
                for (int d = 0; d < headDim; ++d) acc[size_t(d)] += pj * double(vj[d]);
            }
            float* oi = out + i * outRowStride + col;
            for (int d = 0; d < headDim; ++d) oi[d] = float(acc[size_t(d)]);
        }
    }
}

// Varlen twin: sequence b = tokens [cuSeqlens[b], cuSeqlens[b+1]) of a packed buffer.
inline void attentionReferenceVarlen(const float* q, const float* k, const float* v,
                                     int64_t qkvRowStride, float* out, int64_t outRowStride,
                                     int numHeads, int headDim, double scale,
                                     const std::vector<int32_t>& cuSeqlens)
{
    for (size_t b = 0; b + 1 < cuSeqlens.size(); ++b) {
        const int64_t start = cuSeqlens[b];
        const int len = cuSeqlens[b + 1] - cuSeqlens[b];
        if (len <= 0) continue;
        attentionReferenceSequence(q + start * qkvRowStride, k + start * qkvRowStride,
                                   v + start * qkvRowStride, qkvRowStride, qkvRowStride,
                                   qkvRowStride, out + start * outRowStride, outRowStride,
                                   numHeads, headDim, scale, len, len);
    }
}

// Padded twin: row b = tokens [b·seqLen, (b+1)·seqLen), keys masked from lengths[b]; only the
// real query rows are defined (the kernel's padding rows are any finite value).
inline void attentionReferencePadded(const float* q, const float* k, const float* v,
                                     int64_t qkvRowStride, float* out, int64_t outRowStride,
                                     int numHeads, int headDim, double scale,
                                     const std::vector<int32_t>& lengths, int seqLen)
{
    for (size_t b = 0; b < lengths.size(); ++b) {
        const int64_t start = int64_t(b) * seqLen;
        const int len = std::clamp(lengths[b], 0, seqLen);
        if (len <= 0) continue;
        attentionReferenceSequence(q + start * qkvRowStride, k + start * qkvRowStride,
                                   v + start * qkvRowStride, qkvRowStride, qkvRowStride,
                                   qkvRowStride, out + start * outRowStride, outRowStride,
                                   numHeads, headDim, scale, len, len);
    }
}

} // namespace bertbench::attention

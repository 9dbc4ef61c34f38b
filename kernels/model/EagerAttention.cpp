#include "kernels/model/EagerAttention.h"

#include "core/util/Errors.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/Gemm.h"

namespace bertbench::cuda {

namespace {
size_t align256(size_t bytes) { return (bytes + 255) / 256 * 256; }
} // namespace

void EagerAttention::checkSupported(int numHeads, int headDim, DType /*dtype*/) const {
    if (numHeads <= 0 || headDim <= 0 || headDim % 8 != 0) {
        throw BackendError("cuda:eager needs a head dim that is a multiple of 8 (got " + std::to_string(headDim) + ")");
    }
}

size_t EagerAttention::workspaceBytes(const AttentionShape& s) const {
    const size_t e = elementSize(s.dtype);
    const size_t heads = size_t(s.batch) * size_t(s.numHeads);
    const size_t perTensor = align256(heads * size_t(s.maxSeqLen) * size_t(s.headDim) * e);
    const size_t scores = align256(heads * size_t(s.maxSeqLen) * size_t(scoreStride(s.maxSeqLen)) * e);
    return 3 * perTensor + scores;
}

void EagerAttention::run(const AttentionShape& s, const AttentionArgs& args, CudaContext& context) {
    const size_t e = elementSize(s.dtype);
    const int B = s.batch, S = s.maxSeqLen, H = s.numHeads, d = s.headDim;
    const int batchHeads = B * H;
    const int64_t ldS = scoreStride(S);
    const size_t perTensor = align256(size_t(batchHeads) * size_t(S) * size_t(d) * e);
    auto* base = static_cast<unsigned char*>(args.workspace);
    void* q = base;
    void* k = base + perTensor;
    void* v = base + 2 * perTensor;
    void* scores = base + 3 * perTensor;
    void* ctx = q;   // q is dead once the scores exist
    OpProfiler* prof = context.profiler();
    const double headBytes = double(batchHeads) * S * d * double(e);
    const double scoreBytes = double(batchHeads) * S * double(ldS) * double(e);
    const double gemmFlops = 2.0 * batchHeads * double(S) * S * d;

    {
        OpScope scope(prof, args.stream, "attention.split_merge_heads", 2 * 3 * headBytes);
        ops::splitHeads(s.dtype, q, k, v, args.qkv, args.lengths, args.cuSeqlens, s.packed, B, S, H, d, args.stream,
                        args.rotary);
    }
    {
        // Column-major: scoresᵀ[key, query] = kᵀ(as op_T of the [d × S] view) · q, alpha = scale.
        OpScope scope(prof, args.stream, "attention.gemm", 2 * headBytes + scoreBytes, gemmFlops);
        stridedBatchedGemm(context, s.dtype, true, false, S, S, d, args.scale, k, d, int64_t(S) * d, q, d,
                           int64_t(S) * d, 0.f, scores, ldS, int64_t(S) * ldS, batchHeads);
    }
    {
        OpScope scope(prof, args.stream, "attention.softmax", 2 * scoreBytes);
        ops::maskedSoftmax(s.dtype, scores, ldS, args.lengths, B, H, S, 1.f, args.stream, args.window);
    }
    {
        // ctxᵀ[dim, query] = v(as [d × S]) · p(as [S_keys × S_queries], ld ldS).
        OpScope scope(prof, args.stream, "attention.gemm", 2 * headBytes + scoreBytes, gemmFlops);
        stridedBatchedGemm(context, s.dtype, false, false, d, S, S, 1.f, v, d, int64_t(S) * d, scores, ldS,
                           int64_t(S) * ldS, 0.f, ctx, d, int64_t(S) * d, batchHeads);
    }
    {
        OpScope scope(prof, args.stream, "attention.split_merge_heads", 2 * headBytes);
        ops::mergeHeads(s.dtype, args.out, ctx, s.packed ? args.rowToPadded : nullptr, s.tokens, S, H, d, args.stream);
    }
}

AttentionStrategyInfo eagerAttentionInfo() {
    AttentionStrategyInfo info;
    info.name = "eager";
    info.description = "HF eager attention on the GPU: scores [B,H,S,S] materialised, masked softmax, cuBLAS GEMMs";
    info.dtypes = {DType::Float32, DType::Float16, DType::BFloat16};
    info.create = [](const KernelOptions&) { return std::make_unique<EagerAttention>(false); };
    return info;
}

} // namespace bertbench::cuda

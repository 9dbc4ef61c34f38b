#include "kernels/attention/FusedAttentionStrategy.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>

#include "core/util/Errors.h"
#include "kernels/attention/FusedAttention.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/OpProfiler.h"

namespace bertbench::cuda {

void FusedAttentionStrategy::checkSupported(int numHeads, int headDim, DType dtype) const
{
    const std::string who = "cuda:" + name();
    if (!isHalf(dtype))
        throw BackendError(who + " runs fp16 or bf16 models only (got " + toString(dtype) +
                           "); use cuda:eager for fp32");
    if (!attention::fusedAttentionSupportsHeadDim(headDim))
        throw BackendError(who + " supports head dims 32, 64 and 128 (got " + std::to_string(headDim) + ")");
    if (numHeads < 1 || numHeads > 65535)
        throw BackendError(who + ": head count " + std::to_string(numHeads) + " is out of range 1..65535");
}

attention::FusedAttentionParams FusedAttentionStrategy::params(const AttentionShape& s, const AttentionArgs& args) const
{
    const int64_t hidden = s.hidden;
    const size_t e = elementSize(s.dtype);
    attention::FusedAttentionParams p;
    const auto* qkv = static_cast<const unsigned char*>(args.qkv);
    p.q = qkv;
    p.k = qkv + hidden * int64_t(e);
    p.v = qkv + 2 * hidden * int64_t(e);
    p.out = args.out;
    p.qRowStride = p.kRowStride = p.vRowStride = 3 * hidden;
    p.outRowStride = args.outRowStride > 0 ? args.outRowStride : hidden;
    p.numHeads = s.numHeads;
    p.headDim = s.headDim;
    p.softmaxScale = args.scale;
    p.dtype = s.dtype == DType::BFloat16 ? attention::AttnDType::BF16 : attention::AttnDType::F16;
    p.totalRows = s.tokens;
    p.allowHopper = allowHopper_;
    p.window = args.window;
    return p;
}

bool FusedAttentionStrategy::usesHopper(const AttentionShape& s, const AttentionArgs& args) const
{
    return attention::fusedAttentionUsesHopper(params(s, args), s.maxSeqLen);
}

void FusedAttentionStrategy::run(const AttentionShape& s, const AttentionArgs& args, CudaContext& context)
{
    const attention::FusedAttentionParams p = params(s, args);
    const int64_t hidden = s.hidden;
    const size_t e = elementSize(s.dtype);
    // For the profiler: bytes read and written once; flops 4·H·d·Σ len², of which the host knows
    // only a bound: B·S² padded (an upper bound, what the kernel may touch), tokens²/B packed
    // (the lower bound, exact when all lengths are equal).
    const double bytes = double(s.tokens) * double(4 * hidden) * double(e);
    double pairs = packed_ ? double(s.tokens) * double(s.tokens) / s.batch
                           : double(s.batch) * s.maxSeqLen * double(s.maxSeqLen);
    if (args.window >= 0) {   // a sliding window: at most 2w + 1 keys per query row
        const double rows = packed_ ? double(s.tokens) : double(s.batch) * s.maxSeqLen;
        pairs = std::min(pairs, rows * double(2 * args.window + 1));
    }
    OpScope scope(context.profiler(), args.stream, "attention.fused", bytes, 4.0 * s.numHeads * s.headDim * pairs);
    try {
        if (packed_)
            attention::launchFlashAttentionVarlen(p, args.cuSeqlens, s.batch, s.maxSeqLen, args.stream);
        else
            attention::launchSdpaPadded(p, args.lengths, s.batch, s.maxSeqLen, args.stream);
    } catch (const std::exception& ex) {
        throw BackendError("cuda:" + name() + ": " + ex.what());
    }
}

std::vector<AttentionStrategyInfo> fusedAttentionStrategies()
{
    AttentionStrategyInfo sdpa;
    sdpa.name = "sdpa";
    sdpa.description = "fused attention (FlashAttention-2 kernel, key-padding mask) over the padded batch; fp16/bf16";
    sdpa.dtypes = {DType::Float16, DType::BFloat16};
    sdpa.create = [](const KernelOptions& o) { return std::make_unique<FusedAttentionStrategy>(false, o.hopperAttention); };

    AttentionStrategyInfo flash;
    flash.name = "flash_attention_2";
    flash.description = "padding-free encoder on real tokens + FlashAttention-2 on packed sequences; fp16/bf16";
    flash.dtypes = {DType::Float16, DType::BFloat16};
    flash.create = [](const KernelOptions& o) { return std::make_unique<FusedAttentionStrategy>(true, o.hopperAttention); };
    return {sdpa, flash};
}

} // namespace bertbench::cuda

// FusedAttention.h's calls: check the arguments, resolve the sequence addressing, dispatch to the
// (head dim, dtype) instantiation. The kernels themselves are compiled in FlashFwd_hdim*_*.cu.
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention.
#include "kernels/attention/FusedAttention.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "kernels/attention/FlashAttentionLaunch.cuh"
#ifdef BERTBENCH_HAVE_HOPPER_ATTENTION
#include "kernels/attention/hopper/HopperAttention.h"
#endif

namespace bertbench::attention {
namespace detail {
// Compiled elsewhere, once each.
extern template void runFlashForwardDefault<32, __half>(const FlashKernelParams&, int, int, int, cudaStream_t);
extern template void runFlashForwardDefault<32, __nv_bfloat16>(const FlashKernelParams&, int, int, int, cudaStream_t);
extern template void runFlashForwardDefault<64, __half>(const FlashKernelParams&, int, int, int, cudaStream_t);
extern template void runFlashForwardDefault<64, __nv_bfloat16>(const FlashKernelParams&, int, int, int, cudaStream_t);
extern template void runFlashForwardDefault<128, __half>(const FlashKernelParams&, int, int, int, cudaStream_t);
extern template void runFlashForwardDefault<128, __nv_bfloat16>(const FlashKernelParams&, int, int, int, cudaStream_t);
} // namespace detail

namespace {

void require(bool ok, const std::string& what)
{
    if (!ok) throw std::invalid_argument("fused attention: " + what);
}

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

void checkCommon(const FusedAttentionParams& p, int batch, int rows)
{
    require(fusedAttentionSupportsHeadDim(p.headDim),
            "head dim " + std::to_string(p.headDim) + " is not one of 32, 64, 128");
    require(p.numHeads >= 1 && p.numHeads <= 65535, "head count " + std::to_string(p.numHeads) + " is out of range 1..65535");
    require(batch >= 1 && batch <= 65535, "batch " + std::to_string(batch) + " is out of range 1..65535");
    require(rows >= 1, "sequence length " + std::to_string(rows) + " must be at least 1");
    require(p.q && p.k && p.v && p.out, "a q/k/v/out pointer is null");
    require(aligned16(p.q) && aligned16(p.k) && aligned16(p.v) && aligned16(p.out),
            "q, k, v and out must be 16-byte aligned");
    const int64_t minStride = int64_t(p.numHeads) * p.headDim;
    for (int64_t s : {p.qRowStride, p.kRowStride, p.vRowStride, p.outRowStride}) {
        require(s % 8 == 0, "row stride " + std::to_string(s) + " is not a multiple of 8 elements");
        require(s >= minStride, "row stride " + std::to_string(s) + " is under heads × head dim = " + std::to_string(minStride));
    }
    require(std::isfinite(p.softmaxScale) && p.softmaxScale > 0.f, "softmax scale must be positive and finite");
}

#ifdef BERTBENCH_HAVE_HOPPER_ATTENTION
hopper::HopperLaunch hopperLaunch(const FusedAttentionParams& p, const detail::FlashKernelParams& kp, int batch, int rows)
{
    hopper::HopperLaunch L;
    L.q = p.q;
    L.k = p.k;
    L.v = p.v;
    L.out = p.out;
    L.qRowStride = p.qRowStride;
    L.kRowStride = p.kRowStride;
    L.vRowStride = p.vRowStride;
    L.outRowStride = p.outRowStride;
    L.totalRows = p.totalRows;
    L.numHeads = p.numHeads;
    L.headDim = p.headDim;
    L.bf16 = p.dtype == AttnDType::BF16;
    L.scaleLog2 = kp.scaleLog2;
    L.cuSeqlens = kp.cuSeqlens;
    L.lengths = kp.lengths;
    L.paddedSeqLen = kp.paddedSeqLen;
    L.batch = batch;
    L.maxRows = rows;
    L.window = p.window;
    return L;
}

bool hopperFits(const FusedAttentionParams& p, const hopper::HopperLaunch& launch)
{
    return p.allowHopper && p.totalRows > 0 && hopper::hopperAttentionUsable(launch);
}
#endif

void dispatch(const FusedAttentionParams& p, const detail::FlashKernelParams& kp, int batch, int rows, cudaStream_t stream)
{
    using namespace detail;
#ifdef BERTBENCH_HAVE_HOPPER_ATTENTION
    const hopper::HopperLaunch launch = hopperLaunch(p, kp, batch, rows);
    if (hopperFits(p, launch)) {
        hopper::runHopperAttention(launch, stream);
        return;
    }
#endif
    const bool bf16 = p.dtype == AttnDType::BF16;
    switch (p.headDim) {
    case 32:
        bf16 ? runFlashForwardDefault<32, __nv_bfloat16>(kp, batch, p.numHeads, rows, stream)
             : runFlashForwardDefault<32, __half>(kp, batch, p.numHeads, rows, stream);
        break;
    case 64:
        bf16 ? runFlashForwardDefault<64, __nv_bfloat16>(kp, batch, p.numHeads, rows, stream)
             : runFlashForwardDefault<64, __half>(kp, batch, p.numHeads, rows, stream);
        break;
    case 128:
        bf16 ? runFlashForwardDefault<128, __nv_bfloat16>(kp, batch, p.numHeads, rows, stream)
             : runFlashForwardDefault<128, __half>(kp, batch, p.numHeads, rows, stream);
        break;
    default:
        break;  // rejected by checkCommon
    }
}

detail::FlashKernelParams kernelParams(const FusedAttentionParams& p)
{
    detail::FlashKernelParams kp{};
    kp.q = p.q;
    kp.k = p.k;
    kp.v = p.v;
    kp.out = p.out;
    kp.qRowStride = p.qRowStride;
    kp.kRowStride = p.kRowStride;
    kp.vRowStride = p.vRowStride;
    kp.outRowStride = p.outRowStride;
    kp.scaleLog2 = p.softmaxScale * 1.4426950408889634f;
    kp.window = p.window < 0 ? -1 : p.window;
    return kp;
}

} // namespace

bool fusedAttentionUsesHopper(const FusedAttentionParams& params, int maxSeqlen)
{
#ifdef BERTBENCH_HAVE_HOPPER_ATTENTION
    return hopperFits(params, hopperLaunch(params, kernelParams(params), 1, maxSeqlen));
#else
    (void)params, (void)maxSeqlen;
    return false;
#endif
}

bool fusedAttentionHopperAvailable(int headDim)
{
#ifdef BERTBENCH_HAVE_HOPPER_ATTENTION
    return hopper::hopperAttentionAvailable(headDim);
#else
    (void)headDim;
    return false;
#endif
}

bool fusedAttentionSupportsHeadDim(int headDim)
{
    return headDim == 32 || headDim == 64 || headDim == 128;
}

FusedAttentionTile fusedAttentionTile(int headDim)
{
    using namespace detail;
    auto tile = [](auto traits) {
        using T = decltype(traits);
        return FusedAttentionTile{T::kBlockM, T::kBlockN, T::kWarps};
    };
    switch (headDim) {
    case 32: return tile(DefaultFlashTraits<32, __half>::type{});
    case 64: return tile(DefaultFlashTraits<64, __half>::type{});
    case 128: return tile(DefaultFlashTraits<128, __half>::type{});
    default: return {};
    }
}

void launchFlashAttentionVarlen(const FusedAttentionParams& params, const int32_t* cuSeqlens,
                                int batch, int maxSeqlen, cudaStream_t stream)
{
    checkCommon(params, batch, maxSeqlen);
    require(cuSeqlens != nullptr, "cuSeqlens is null");
    detail::FlashKernelParams kp = kernelParams(params);
    kp.cuSeqlens = cuSeqlens;
    dispatch(params, kp, batch, maxSeqlen, stream);
}

void launchSdpaPadded(const FusedAttentionParams& params, const int32_t* lengths, int batch,
                      int seqLen, cudaStream_t stream)
{
    checkCommon(params, batch, seqLen);
    require(lengths != nullptr, "lengths is null");
    detail::FlashKernelParams kp = kernelParams(params);
    kp.lengths = lengths;
    kp.paddedSeqLen = seqLen;
    dispatch(params, kp, batch, seqLen, stream);
}

} // namespace bertbench::attention

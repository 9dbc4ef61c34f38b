// The attention benchmark's bench-only tile shapes: the FlashAttention-2 kernel instantiated
// with other tile shapes than the library's, launched the way the library launches its own, for
// attn_bench --variants (attn_bench.cu: checked on the quick cases, then timed).
//
// Build: part of the CMake target bertbench-attn-bench (kernels/CMakeLists.txt); the only part
// that instantiates the kernel templates, so the slow one to compile.
#include <cstdio>
#include <type_traits>
#include <vector>

#include <cuda_runtime.h>

#include "bench/attention/attn_bench.h"
#include "kernels/attention/FlashAttentionLaunch.cuh"

namespace bertbench::attnbench {

namespace {

template <class T>
Kernel variantKernel()
{
    char name[96];
    std::snprintf(name, sizeof name, "variant d%d %dw x %dm, %dx%d, min %d blk, Q in %s", T::kHeadDim, T::kWarps,
                  T::kMTiles, T::kBlockM, T::kBlockN, T::kMinBlocks, T::kQInRegisters ? "regs" : "smem");
    const AttnDType dt = std::is_same_v<typename T::Element, __half> ? AttnDType::F16 : AttnDType::BF16;
    return {name, T::kHeadDim, dt,
            [](const FusedAttentionParams& p, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t s) {
                detail::FlashKernelParams kp{};
                kp.q = p.q; kp.k = p.k; kp.v = p.v; kp.out = p.out;
                kp.qRowStride = p.qRowStride; kp.kRowStride = p.kRowStride;
                kp.vRowStride = p.vRowStride; kp.outRowStride = p.outRowStride;
                kp.scaleLog2 = p.softmaxScale * 1.4426950408889634f;
                kp.cuSeqlens = cu;
                kp.lengths = lengths;
                kp.paddedSeqLen = cu ? 0 : rows;
                kp.window = p.window;   // -1 unless a sliding window is asked for
                detail::runFlashForward<T>(kp, batch, p.numHeads, rows, s);
            }};
}

} // namespace

// Bench-only tile shapes: FlashTraits<d, warps, m-tiles per warp, keys per tile, min blocks/SM,
// Q fragments in registers>.
std::vector<Kernel> variants()
{
    using namespace detail;
    return {
        variantKernel<FlashTraits<64, 4, 2, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 64, 3, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 1, 64, 3, true, __half>>(),
        variantKernel<FlashTraits<64, 4, 1, 128, 2, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 32, 2, true, __half>>(),
        variantKernel<FlashTraits<64, 8, 1, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<32, 4, 2, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<32, 4, 2, 64, 3, false, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<128, 8, 1, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 32, 1, true, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 32, 2, false, __half>>(),
    };
}

} // namespace bertbench::attnbench

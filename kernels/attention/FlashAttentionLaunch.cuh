#pragma once
// Launch side of the FlashAttention-2 kernel: the tile shape shipped per head dim, and the one
// launch template that every instantiation file (FlashFwd_hdim*_*.cu) instantiates once.
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention (allowHopper false: this kernel).
#include <stdexcept>
#include <string>

#include "kernels/attention/FlashAttentionKernel.cuh"

namespace bertbench::attention::detail {

// Shipped tile shapes: FlashTraits<headDim, warps, m16 tiles per warp, keys per tile,
// min blocks per SM (register cap), Q fragments kept in registers, Element>.
// Chosen by bench/attention (RESULTS.md has the variant table). Registers bound the shape:
// a warp holds S (16·kMTiles × kBlockN), O (16·kMTiles × d) in fp32 and its Q fragments.
template <int kHeadDim, typename Element>
struct DefaultFlashTraits;
template <typename Element>
struct DefaultFlashTraits<32, Element> { using type = FlashTraits<32, 4, 2, 64, 3, false, Element>; };
template <typename Element>
struct DefaultFlashTraits<64, Element> { using type = FlashTraits<64, 4, 2, 64, 2, false, Element>; };
template <typename Element>
struct DefaultFlashTraits<128, Element> { using type = FlashTraits<128, 4, 1, 64, 2, false, Element>; };

// Grid: x = query tiles of the longest sequence, y = heads, z = sequences. Consecutive blocks
// share one (sequence, head), so its K/V tiles are re-read from L2, not from memory.
template <class T>
void runFlashForward(const FlashKernelParams& kp, int batch, int numHeads, int maxRows, cudaStream_t stream)
{
    auto kernel = flashAttentionForward<T>;
    if constexpr (T::kSmemBytes > 48 * 1024) {
        const cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, T::kSmemBytes);
        if (e != cudaSuccess)
            throw std::runtime_error("flash attention: cannot raise shared memory to " +
                                     std::to_string(T::kSmemBytes) + " bytes: " + cudaGetErrorString(e));
    }
    const dim3 grid(unsigned((maxRows + T::kBlockM - 1) / T::kBlockM), unsigned(numHeads), unsigned(batch));
    kernel<<<grid, T::kThreads, T::kSmemBytes, stream>>>(kp);
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess)
        throw std::runtime_error(std::string("flash attention launch failed: ") + cudaGetErrorString(e));
}

// The library's entry per (head dim, dtype); defined once per instantiation file.
template <int kHeadDim, typename Element>
void runFlashForwardDefault(const FlashKernelParams& kp, int batch, int numHeads, int maxRows, cudaStream_t stream)
{
    runFlashForward<typename DefaultFlashTraits<kHeadDim, Element>::type>(kp, batch, numHeads, maxRows, stream);
}

} // namespace bertbench::attention::detail

// Host side of the Hopper attention kernel: the three TMA tensor maps, the persistent grid, and
// the one instantiation per (head dim, dtype, window or not). Compiled for sm_90a only (kernels/CMakeLists.txt).
// CPU reference: core/cpu/CpuAttention.cpp:sdpaAttention (padded), flashAttention (packed).
// Check: kernels/verify/AttentionChecks.cpp:checkFusedAttention (allowHopper true, on an H100/H200).
#include "kernels/attention/hopper/HopperAttention.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <cuda.h>

#include "kernels/attention/hopper/HopperAttentionKernel.cuh"
#include "kernels/hopper/HopperDevice.h"
#include "kernels/hopper/TensorMap.cuh"

namespace bertbench::attention::hopper {

namespace {

using bertbench::hopper::encodeTiledFunction;

CUtensorMap tensorMap(const void* base, int64_t rowStride, int64_t totalRows, int columns, bool bf16)
{
    return bertbench::hopper::tensorMap128x64(base, rowStride, totalRows, columns, bf16, "hopper attention");
}

using bertbench::hopper::aligned16;
using bertbench::hopper::currentDevice;

// Per device, through the d64 fp16 instantiation's image.
bertbench::hopper::HopperDeviceInfo deviceInfo(int device)
{
    return bertbench::hopper::hopperDeviceInfo<&hopperAttentionForward<HopperTraits<64, __half>>>(device);
}

template <class T>
void launch(const HopperLaunch& L, cudaStream_t stream, int sms)
{
    // Once per instantiation; the result is kept, so a failure is reported on every call.
    static const cudaError_t attributeError =
        cudaFuncSetAttribute(hopperAttentionForward<T>, cudaFuncAttributeMaxDynamicSharedMemorySize, T::kSmemBytes);
    if (attributeError != cudaSuccess)
        throw std::runtime_error("hopper attention: cannot raise shared memory to " + std::to_string(T::kSmemBytes) +
                                 " bytes: " + cudaGetErrorString(attributeError));
    const int columns = L.numHeads * L.headDim;
    const CUtensorMap tmQ = tensorMap(L.q, L.qRowStride, L.totalRows, columns, L.bf16);
    const CUtensorMap tmK = tensorMap(L.k, L.kRowStride, L.totalRows, columns, L.bf16);
    const CUtensorMap tmV = tensorMap(L.v, L.vRowStride, L.totalRows, columns, L.bf16);
    HopperKernelParams kp{};
    kp.out = L.out;
    kp.outRowStride = L.outRowStride;
    kp.scaleLog2 = L.scaleLog2;
    kp.cuSeqlens = L.cuSeqlens;
    kp.lengths = L.lengths;
    kp.paddedSeqLen = L.paddedSeqLen;
    kp.batch = L.batch;
    kp.numHeads = L.numHeads;
    kp.mTiles = (L.maxRows + T::kBlockM - 1) / T::kBlockM;
    kp.window = L.window;
    const int64_t tiles = int64_t(kp.mTiles) * kp.numHeads * kp.batch;
    const int grid = int(std::min<int64_t>(tiles, sms));
    hopperAttentionForward<T><<<grid, T::kThreads, T::kSmemBytes, stream>>>(tmQ, tmK, tmV, kp);
    const cudaError_t e = cudaGetLastError();
    if (e != cudaSuccess) throw std::runtime_error(std::string("hopper attention launch failed: ") + cudaGetErrorString(e));
}

// The sliding-window instantiation where the launch has a window (≥ 0), BERT's otherwise.
template <int D, typename Element>
void launchWindowedOrNot(const HopperLaunch& L, cudaStream_t stream, int sms)
{
    if (L.window >= 0) launch<HopperTraits<D, Element, true>>(L, stream, sms);
    else launch<HopperTraits<D, Element>>(L, stream, sms);
}

} // namespace

bool hopperAttentionAvailable(int headDim)
{
    return (headDim == 64 || headDim == 128) && deviceInfo(currentDevice()).usable;
}

bool hopperAttentionUsable(const HopperLaunch& L)
{
    if (L.totalRows <= 0 || L.totalRows >= (int64_t(1) << 31) || L.maxRows <= 0) return false;
    if (!aligned16(L.q) || !aligned16(L.k) || !aligned16(L.v) || !aligned16(L.out)) return false;
    for (int64_t s : {L.qRowStride, L.kRowStride, L.vRowStride})
        if (s % 8 != 0 || s <= 0) return false;   // TMA: row stride a multiple of 16 bytes
    return hopperAttentionAvailable(L.headDim);
}

void runHopperAttention(const HopperLaunch& L, cudaStream_t stream)
{
    const int sms = deviceInfo(currentDevice()).sms;
    if (L.headDim == 64)
        L.bf16 ? launchWindowedOrNot<64, __nv_bfloat16>(L, stream, sms) : launchWindowedOrNot<64, __half>(L, stream, sms);
    else if (L.headDim == 128)
        L.bf16 ? launchWindowedOrNot<128, __nv_bfloat16>(L, stream, sms) : launchWindowedOrNot<128, __half>(L, stream, sms);
    else
        throw std::invalid_argument("hopper attention: head dim " + std::to_string(L.headDim) + " is not 64 or 128");
}

} // namespace bertbench::attention::hopper

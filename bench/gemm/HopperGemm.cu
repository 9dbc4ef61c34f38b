// Host side of the Hopper GEMM: the two TMA tensor maps, the persistent grid and the one
// instantiation per dtype. Compiled for sm_90a only (kernels/CMakeLists.txt).
#include "bench/gemm/HopperGemm.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "kernels/hopper/HopperDevice.h"
#include "bench/gemm/HopperGemmKernel.cuh"
#include "kernels/hopper/TensorMap.cuh"

namespace bertbench::hopper {

namespace {

// Per device, through the fp16 instantiation's image.
HopperDeviceInfo deviceInfo(int device) { return hopperDeviceInfo<&hopperGemm<HopperGemmTraits<__half>>>(device); }

template <class T>
void launch(const HopperGemmCall& call, cudaStream_t stream, int sms)
{
    static const cudaError_t attributeError =
        cudaFuncSetAttribute(hopperGemm<T>, cudaFuncAttributeMaxDynamicSharedMemorySize, T::kSmemBytes);
    if (attributeError != cudaSuccess)
        throw std::runtime_error("hopper gemm: cannot raise shared memory to " + std::to_string(T::kSmemBytes) +
                                 " bytes: " + cudaGetErrorString(attributeError));
    const int64_t ldx = call.ldx > 0 ? call.ldx : call.in;
    const CUtensorMap tmX = tensorMap128x64(call.x, ldx, call.rows, call.in, call.bf16, "hopper gemm");
    const CUtensorMap tmW = tensorMapRowsX64(call.weight, call.in, call.out, call.in, call.bf16, T::kBlockN / 2, "hopper gemm");
    // The output and residual maps only where the epilogue stores by TMA (else unused: tmX again).
    CUtensorMap tmY = tmX, tmR = tmX;
    if constexpr (T::kTmaStore) {
        tmY = tensorMap128x64(call.y, call.ldy > 0 ? call.ldy : call.out, call.rows, call.out, call.bf16, "hopper gemm");
        if (call.residual)
            tmR = tensorMap128x64(call.residual, call.ldr > 0 ? call.ldr : call.out, call.rows, call.out, call.bf16,
                                  "hopper gemm");
    }
    HopperGemmParams p{};
    p.y = call.y;
    p.ldy = call.ldy > 0 ? call.ldy : call.out;
    p.bias = call.bias;
    p.residual = call.residual;
    p.ldr = call.ldr > 0 ? call.ldr : call.out;
    p.m = int(call.rows);
    p.n = call.out;
    p.k = call.in;
    p.mTiles = int((call.rows + T::kBlockM - 1) / T::kBlockM);
    p.nTiles = call.out / T::kBlockN;
    p.kBlocks = call.in / T::kBlockK;
    p.epilogue = call.epilogue == HopperEpilogue::BiasGelu   ? GemmEpilogue::BiasGelu
                 : call.epilogue == HopperEpilogue::Residual ? GemmEpilogue::Residual
                                                             : GemmEpilogue::None;
    // Clusters of 2 CTAs (vertically adjacent tiles sharing W), one CTA per SM, persistent.
    const int64_t pairs = int64_t((p.mTiles + 1) / 2) * p.nTiles;
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(unsigned(T::kClusterSize));   // replaced below, once the fit is known
    config.blockDim = dim3(T::kThreads);
    config.dynamicSmemBytes = T::kSmemBytes;
    config.stream = stream;
    cudaLaunchAttribute attribute[1];
    attribute[0].id = cudaLaunchAttributeClusterDimension;
    attribute[0].val.clusterDim.x = T::kClusterSize;
    attribute[0].val.clusterDim.y = 1;
    attribute[0].val.clusterDim.z = 1;
    config.attrs = attribute;
    config.numAttrs = 1;
    // A cluster's CTAs must share a GPC, and the GPCs' SM counts are not all even: fewer than
    // sms / 2 clusters fit at once (a persistent grid larger than that ran its last clusters as a
    // second wave, at half the speed). Asked once per instantiation.
    static const int residentClusters = [&] {
        int n = 0;
        if (cudaOccupancyMaxActiveClusters(&n, hopperGemm<T>, &config) != cudaSuccess || n <= 0) {
            cudaGetLastError();
            n = sms / T::kClusterSize / 2;   // safe: half the SMs
        }
        return n;
    }();
    const int clusters = int(std::max<int64_t>(1, std::min<int64_t>(pairs, residentClusters)));
    config.gridDim = dim3(unsigned(clusters * T::kClusterSize));
    const cudaError_t e = cudaLaunchKernelEx(&config, hopperGemm<T>, tmX, tmW, tmY, tmR, p);
    if (e != cudaSuccess) throw std::runtime_error(std::string("hopper gemm launch failed: ") + cudaGetErrorString(e));
}

} // namespace

bool hopperGemmAvailable() { return deviceInfo(currentDevice()).usable; }

bool hopperGemmUsable(const HopperGemmCall& c)
{
    if (c.rows <= 0 || c.rows >= (int64_t(1) << 31) || c.in < 64 || c.out < 128) return false;
    if (c.in % 64 != 0 || c.out % 128 != 0) return false;
    if (c.epilogue == HopperEpilogue::BiasGelu && !c.bias) return false;
    if (c.epilogue == HopperEpilogue::Residual && !c.residual) return false;
    if (!aligned16(c.x) || !aligned16(c.weight) || !aligned16(c.y)) return false;
    if ((c.ldx > 0 && c.ldx % 8 != 0) || (c.ldy > 0 && c.ldy % 2 != 0) || (c.ldr > 0 && c.ldr % 2 != 0)) return false;
    if ((c.ldx > 0 && c.ldx < c.in) || (c.ldy > 0 && c.ldy < c.out) || (c.ldr > 0 && c.ldr < c.out)) return false;
    if (c.bias && (reinterpret_cast<uintptr_t>(c.bias) & 3u) != 0) return false;
    if (c.residual && (reinterpret_cast<uintptr_t>(c.residual) & 3u) != 0) return false;
    if (HopperGemmTraits<__half>::kTmaStore) {   // TMA: 16-byte aligned bases and row strides
        if ((c.ldy > 0 && c.ldy % 8 != 0) || (c.ldr > 0 && c.ldr % 8 != 0) || c.out % 8 != 0) return false;
        if (c.residual && !aligned16(c.residual)) return false;
    }
    return hopperGemmAvailable();
}

void runHopperGemm(const HopperGemmCall& call, cudaStream_t stream)
{
    if (!hopperGemmUsable(call)) throw std::invalid_argument("hopper gemm: call does not tile or no sm_90 device");
    const int sms = deviceInfo(currentDevice()).sms;
    call.bf16 ? launch<HopperGemmTraits<__nv_bfloat16>>(call, stream, sms)
              : launch<HopperGemmTraits<__half>>(call, stream, sms);
}

} // namespace bertbench::hopper

#pragma once
// Which devices can run an sm_90a kernel, asked once per device and kernel: compute capability
// 9.0, a loadable sm_90a image of the kernel and the driver's TMA encoder. Shared by the host
// sides of the Hopper attention kernel and the Hopper GEMM.
#include <cstdint>
#include <mutex>

#include <cuda_runtime_api.h>

#include "kernels/hopper/TensorMap.cuh"

namespace bertbench::hopper {

struct HopperDeviceInfo {
    bool usable = false;
    int sms = 0;
};

// The current device, or -1 (error cleared) when there is none.
inline int currentDevice()
{
    int device = -1;
    if (cudaGetDevice(&device) != cudaSuccess) {
        cudaGetLastError();
        return -1;
    }
    return device;
}

inline bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

// Kernel: the address of one instantiation, whose image stands for the whole sm_90a object.
template <auto Kernel>
HopperDeviceInfo hopperDeviceInfo(int device)
{
    static std::mutex mutex;
    static HopperDeviceInfo cache[64];
    static bool known[64] = {};
    if (device < 0 || device >= 64) return {};
    std::lock_guard<std::mutex> lock(mutex);
    if (!known[device]) {
        HopperDeviceInfo info;
        int major = 0, minor = 0;
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device);
        cudaDeviceGetAttribute(&info.sms, cudaDevAttrMultiProcessorCount, device);
        cudaFuncAttributes attributes{};
        const bool loadable = cudaFuncGetAttributes(&attributes, reinterpret_cast<const void*>(Kernel)) == cudaSuccess;
        cudaGetLastError();   // a missing image is an answer, not an error to leave behind
        info.usable = major == 9 && minor == 0 && loadable && info.sms > 0 && encodeTiledFunction() != nullptr;
        cache[device] = info;
        known[device] = true;
    }
    return cache[device];
}

} // namespace bertbench::hopper

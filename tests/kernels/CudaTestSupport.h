#pragma once
// What the GPU test suites share: whether a usable GPU is here, and a registry with the CPU
// reference and the CUDA backends.
#include <QtTest>

#include <cuda_runtime_api.h>

#include "core/backend/Backend.h"
#include "core/cpu/CpuBackends.h"
#include "kernels/CudaBackends.h"

namespace bertbench::testing {

// Empty when a GPU of compute capability >= 8.0 is present; otherwise why not.
inline QString missingGpuReason() {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        cudaGetLastError();
        int driver = 0;
        if (cudaDriverGetVersion(&driver) == cudaSuccess && driver == 0)
            return QStringLiteral("no CUDA device: no NVIDIA driver on this machine");
        return QStringLiteral("no CUDA device: %1").arg(cudaGetErrorString(status));
    }
    if (count == 0) return QStringLiteral("no CUDA device: none found");
    for (int d = 0; d < count; ++d) {
        int major = 0;
        if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, d) == cudaSuccess && major >= 8) return {};
    }
    return QStringLiteral("no CUDA device of compute capability 8.0 or newer");
}

#define BB_REQUIRE_GPU()                                                                        \
    do {                                                                                        \
        const QString reason = ::bertbench::testing::missingGpuReason();                        \
        if (!reason.isEmpty()) QSKIP(qPrintable(reason));                                       \
    } while (0)

inline BackendRegistry cpuAndCudaRegistry() {
    BackendRegistry registry;
    registerCpuBackends(registry);
    registerCudaBackends(registry);
    return registry;
}

} // namespace bertbench::testing

#pragma once
// Programmatic dependent launch (sm_90+): a kernel launched with launchDependent() may start while
// the kernel before it in the stream is still running; it must call waitForPreviousGrid() before
// it reads anything that kernel writes (the wait returns once that grid has finished and its
// writes are visible). What it does before the wait — loading weights, setting up shared memory —
// overlaps the previous kernel's tail and hides the launch gap, which at batch 1 is a large share
// of a kernel's few microseconds. Under a CUDA graph the launch becomes a programmatic edge.
// On older GPUs the attribute is ignored and the device calls compile to nothing.
// Measured on an H100 (bert-base fp16 under a CUDA graph): 1 x 128 forwards 1-1.5% faster than with
// plain launches, 128 x 512 the same (docs/PERFORMANCE.md); so every launchDependent() uses it.

#include <cuda_runtime_api.h>

#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

__device__ __forceinline__ void waitForPreviousGrid()
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
#endif
}

// Lets the next kernel (if launched dependent) start launching; its own wait still orders memory.
__device__ __forceinline__ void allowNextGrid()
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" ::: "memory");
#endif
}

template <typename Kernel, typename... Args>
void launchDependent(Kernel kernel, dim3 grid, dim3 block, size_t smem, cudaStream_t stream, Args... args)
{
    cudaLaunchConfig_t config{};
    config.gridDim = grid;
    config.blockDim = block;
    config.dynamicSmemBytes = smem;
    config.stream = stream;
    cudaLaunchAttribute attribute{};
    attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attribute.val.programmaticStreamSerializationAllowed = 1;
    config.attrs = &attribute;
    config.numAttrs = 1;
    BB_CUDA_CHECK(cudaLaunchKernelEx(&config, kernel, args...));
}

} // namespace bertbench::cuda::ops

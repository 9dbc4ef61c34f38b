// Weights into the L2 cache ahead of their GEMMs (kernels/model/WeightPrefetch.h says when).
//
// At batch 1 a layer's GEMMs read 14 MB of weights (bert-base fp16) and little else, so each
// GEMM waits on HBM latency with few tiles in flight. The prefetch runs on a side stream one layer
// ahead: the bytes leave HBM while the current layer computes, and the GEMMs then hit in L2
// (50 MB on the H100/H200: the current and the next layer fit). A prefetch only moves data
// between memory and cache; it never changes a result.
//
// sm_90+: cp.async.bulk.prefetch.L2, one instruction per 64 KiB chunk, fire-and-forget, so the
// kernel ends as soon as the chunks are issued. Older GPUs: prefetch.global.L2 per 128-byte line.
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

constexpr int kBlocks = 8, kThreads = 128;

__global__ void prefetchToL2Kernel(const unsigned char* base, unsigned long long bytes) {
    const unsigned long long thread = blockIdx.x * blockDim.x + threadIdx.x;
    const unsigned long long threads = gridDim.x * blockDim.x;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    constexpr unsigned kChunkBytes = 64u << 10;
    for (unsigned long long offset = thread * kChunkBytes; offset < bytes; offset += threads * kChunkBytes) {
        const unsigned long long left = bytes - offset;
        // The bulk copy engine takes sizes in multiples of 16 bytes; a tail under 16 is left out.
        const unsigned size = unsigned(left < kChunkBytes ? left : kChunkBytes) & ~15u;
        if (size > 0) asm volatile("cp.async.bulk.prefetch.L2.global [%0], %1;" ::"l"(base + offset), "r"(size) : "memory");
    }
#elif defined(__CUDA_ARCH__)
    constexpr unsigned kLineBytes = 128;
    for (unsigned long long offset = thread * kLineBytes; offset < bytes; offset += threads * kLineBytes)
        asm volatile("prefetch.global.L2 [%0];" ::"l"(base + offset));
#else
    (void)base, (void)bytes, (void)thread, (void)threads;
#endif
}

} // namespace

void prefetchToL2(const void* ptr, size_t bytes, cudaStream_t stream) {
    if (!ptr || bytes == 0) return;
    // 16-byte aligned start for the bulk prefetch: round the start up (the bytes before it are at
    // most 15, and weights start 256-aligned anyway).
    const auto address = reinterpret_cast<uintptr_t>(ptr);
    const uintptr_t aligned = (address + 15) & ~uintptr_t(15);
    if (aligned - address >= bytes) return;
    prefetchToL2Kernel<<<kBlocks, kThreads, 0, stream>>>(reinterpret_cast<const unsigned char*>(aligned),
                                                         bytes - (aligned - address));
    BB_CUDA_CHECK(cudaGetLastError());
}

} // namespace bertbench::cuda::ops

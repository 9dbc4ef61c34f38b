// fp8 e4m3 per-tensor quantization (Fp8Ops.h): absMax, scaleFromAmax and quantizeE4m3.
// Memory-bound and elementwise; math in fp32. CPU reference: runtime/Fp8Host.h.
// Check: kernels/verify/Fp8Checks.cpp.
#include <algorithm>
#include <cstdint>

#include <cuda_fp8.h>

#include "kernels/ops/E4m3Vec.cuh"
#include "kernels/ops/Fp8Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

template <typename T>
__global__ void absMaxKernel(const T* x, int64_t rows, int cols, int64_t ld, float* amax) {
    float m = 0.0f;
    const int64_t total = rows * cols;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / cols;
        const int c = int(i - r * cols);
        m = fmaxf(m, fabsf(toFloat(x[r * ld + c])));
    }
    // Warp, then block, then one atomic per block: non-negative floats order as their bits.
    for (int off = 16; off > 0; off /= 2) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, off));
    __shared__ float warpMax[32];
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) warpMax[warp] = m;
    __syncthreads();
    if (warp == 0) {
        m = lane < int(blockDim.x / 32) ? warpMax[lane] : 0.0f;
        for (int off = 16; off > 0; off /= 2) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, off));
        if (lane == 0) atomicMax(reinterpret_cast<unsigned int*>(amax), __float_as_uint(m));
    }
}

__global__ void scaleFromAmaxKernel(const float* amax, float* scale) {
    // A zero tensor gets scale 1/448 of a tiny floor: every value quantizes to 0 and back to 0.
    *scale = fmaxf(*amax, 1e-12f) / kE4m3Max;
}

template <typename T>
__global__ void quantizeKernel(__nv_fp8_storage_t* out, const T* x, int64_t rows, int cols, int64_t ld,
                               const float* scale) {
    const float inv = 1.0f / *scale;
    const int64_t total = rows * cols;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / cols;
        const int c = int(i - r * cols);
        out[i] = __nv_cvt_float_to_fp8(toFloat(x[r * ld + c]) * inv, __NV_SATFINITE, __NV_E4M3);
    }
}

// The fast path, for rows of whole 16-byte vectors (every fp8 GEMM input: in % 16 == 0): kVec<T>
// values a thread from one 16-byte load into one kVec<T>-byte store, a block a row at a time, 32-bit
// index math in the row. The element-wise kernel above spends a 64-bit division per element and
// moves 2 bytes in, 1 out per thread: far below the memory bandwidth this pass is bound by.
template <typename T>
__global__ void quantizeRowsKernel(uint8_t* out, const T* x, int64_t rows, int cols, int64_t ld, const float* scale) {
    constexpr int V = kVec<T>;
    const float inv = 1.0f / *scale;
    const int groups = cols / V;
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* xr = x + r * ld;
        uint8_t* outr = out + r * cols;
        for (int g = threadIdx.x; g < groups; g += blockDim.x) {
            float v[V];
            loadVec(xr + g * V, v);
            storeE4m3Vec<T>(outr + g * V, v, inv);
        }
    }
}

} // namespace

void absMax(DType dtype, const void* x, int64_t rows, int cols, int64_t ld, float* amax, cudaStream_t stream) {
    BB_CUDA_CHECK(cudaMemsetAsync(amax, 0, sizeof(float), stream));
    if (rows <= 0 || cols <= 0) return;
    constexpr int kThreads = 256;
    BB_DISPATCH_DTYPE(dtype, T, {
        absMaxKernel<T><<<blocksFor(rows * cols, kThreads, 4096), kThreads, 0, stream>>>(static_cast<const T*>(x), rows,
                                                                                           cols, ld == 0 ? cols : ld, amax);
    });
    BB_CHECK_LAUNCH("absMaxKernel");
}

void scaleFromAmax(const float* amax, float* scale, cudaStream_t stream) {
    scaleFromAmaxKernel<<<1, 1, 0, stream>>>(amax, scale);
    BB_CHECK_LAUNCH("scaleFromAmaxKernel");
}

void quantizeE4m3(DType dtype, void* out, const void* x, int64_t rows, int cols, int64_t ld, const float* scale,
                  cudaStream_t stream) {
    if (rows <= 0 || cols <= 0) return;
    constexpr int kThreads = 256;
    if (ld == 0) ld = cols;
    BB_DISPATCH_DTYPE(dtype, T, {
        constexpr int V = kVec<T>;
        const bool wholeVectors = cols % V == 0 && ld % V == 0 && reinterpret_cast<uintptr_t>(x) % 16 == 0 &&
                                  reinterpret_cast<uintptr_t>(out) % V == 0;
        if (wholeVectors) {
            // A warp-multiple of threads that covers a row's vectors in one or a few steps.
            const int threads = std::min(kThreads, (cols / V + 31) / 32 * 32);
            const unsigned blocks = unsigned(std::min<int64_t>(rows, int64_t(1) << 20));
            quantizeRowsKernel<T><<<blocks, threads, 0, stream>>>(static_cast<uint8_t*>(out), static_cast<const T*>(x),
                                                                  rows, cols, ld, scale);
        } else {
            quantizeKernel<T><<<blocksFor(rows * cols, kThreads), kThreads, 0, stream>>>(
                static_cast<__nv_fp8_storage_t*>(out), static_cast<const T*>(x), rows, cols, ld, scale);
        }
    });
    BB_CHECK_LAUNCH("quantizeE4m3Kernel");
}

} // namespace bertbench::cuda::ops

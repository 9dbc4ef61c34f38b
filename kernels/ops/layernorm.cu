// Bias + residual + LayerNorm, fused: out = LN(in + bias + residual)·gamma + beta; with out8, the
// output also in e4m3 for the fp8 layer that reads it next (its quantize pass fused here).
//
// Follows each of the two GEMMs of a BERT layer (attention output, FFN output), so the GEMM's
// result is read once, the residual once, and the normalised row written once — 3 row passes
// instead of HF's 5 (bias add in the GEMM, residual add, LN read, LN write). The sum is formed
// in fp32 and never rounded before the statistics. Launch: LayerNormRow.cuh (rows on
// threadIdx.y, 16-byte vectors in registers, fp32 two-pass statistics).
// CPU reference: core/cpu/CpuOps.cpp:addLayerNormRow. Check: kernels/verify/NormChecks.cpp:checkLayerNorm.
#include "kernels/ops/DependentLaunch.cuh"
#include "kernels/ops/LayerNormRow.cuh"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

RowLaunch layerNormLaunch(int64_t rows, int vectorsPerRow) {
    int threadsPerRow = (vectorsPerRow + kLnMaxVecs - 1) / kLnMaxVecs;
    threadsPerRow = (threadsPerRow + 31) / 32 * 32;
    if (threadsPerRow > 1024) {
        throw BackendError("LayerNorm row of " + std::to_string(vectorsPerRow) + " vectors exceeds the kernel's " +
                           std::to_string(1024 * kLnMaxVecs));
    }
    const int rowsPerBlock = std::max(1, kLnThreads / threadsPerRow);
    RowLaunch launch;
    launch.block = dim3(unsigned(threadsPerRow), unsigned(rowsPerBlock));
    launch.grid = unsigned((rows + rowsPerBlock - 1) / rowsPerBlock);
    return launch;
}

namespace {

template <typename T>
__global__ void biasResidualLayerNormKernel(T* out, const T* in, const T* __restrict__ bias, const T* residual,
                                            const T* __restrict__ gamma, const T* __restrict__ beta, int64_t rows,
                                            int hidden, float eps, uint8_t* out8, const float* scale8) {
    constexpr int N = kVec<T>;
    __shared__ float shared[kLnThreads / 32 * 32];
    const int64_t row = int64_t(blockIdx.x) * blockDim.y + threadIdx.y;
    const bool active = row < rows;
    const int vectors = hidden / N;
    float v[kLnMaxVecs][N];
    waitForPreviousGrid();   // launched dependent: the GEMM before may still be writing `in`
    allowNextGrid();
#pragma unroll
    for (int k = 0; k < kLnMaxVecs; ++k) {
        const int vi = threadIdx.x + k * blockDim.x;
        if (active && vi < vectors) {
            const int64_t offset = row * hidden + int64_t(vi) * N;
            loadVec(in + offset, v[k]);
            if (bias) {
                float b[N];
                loadVec(bias + vi * N, b);
#pragma unroll
                for (int i = 0; i < N; ++i) v[k][i] += b[i];
            }
            if (residual) {
                float r[N];
                loadVec(residual + offset, r);
#pragma unroll
                for (int i = 0; i < N; ++i) v[k][i] += r[i];
            }
        }
    }
    layerNormStore<T>(v, active, vectors, hidden, out + (active ? row : 0) * hidden, gamma, beta, eps, shared,
                      out8 ? out8 + (active ? row : 0) * hidden : nullptr, scale8);
}

} // namespace

void biasResidualLayerNorm(DType dtype, void* out, const void* in, const void* bias, const void* residual,
                           const void* gamma, const void* beta, int64_t rows, int hidden, float eps,
                           cudaStream_t stream, void* out8, const float* scale8) {
    if (rows <= 0) return;
    if ((out8 == nullptr) != (scale8 == nullptr)) throw BackendError("LayerNorm's e4m3 output needs its scale");
    BB_DISPATCH_DTYPE(dtype, T, {
        if (hidden % kVec<T> != 0) throw BackendError("LayerNorm width must be a multiple of 8");
        const RowLaunch launch = layerNormLaunch(rows, hidden / kVec<T>);
        launchDependent(biasResidualLayerNormKernel<T>, launch.grid, launch.block, size_t(0), stream,
                        static_cast<T*>(out), static_cast<const T*>(in), static_cast<const T*>(bias),
                        static_cast<const T*>(residual), static_cast<const T*>(gamma), static_cast<const T*>(beta),
                        rows, hidden, eps, static_cast<uint8_t*>(out8), scale8);
    });
    BB_CHECK_LAUNCH("biasResidualLayerNormKernel");
}

} // namespace bertbench::cuda::ops

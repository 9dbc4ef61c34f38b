// Gated activation: out[r, c] = act(in[r, c]) · in[r, cols + c] — GeGLU when act is GELU: the FFN-up
// GEMM writes both halves in one [rows, 2·cols] output and this kernel combines them.
// Elementwise and memory-bound: one thread per 16-byte vector of out (two vector reads, one write),
// grid-stride; a scalar loop where cols is not a multiple of the vector. Math in fp32.
// CPU reference: kernels/verify/OpReferences.h:gatedActivationReference.
// Check: kernels/verify/ActivationChecks.cpp:checkGatedActivation.
#include "kernels/ops/Activation.cuh"
#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {

template <typename T>
__global__ void gatedActivationVecKernel(T* __restrict__ out, const T* __restrict__ in, int64_t rows, int cols,
                                         Activation act) {
    constexpr int N = kVec<T>;
    const int vectorsPerRow = cols / N;
    const int64_t total = rows * vectorsPerRow;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / vectorsPerRow;
        const int c = int(i - r * vectorsPerRow) * N;
        float a[N], g[N];
        loadVec(in + r * 2 * cols + c, a);
        loadVec(in + r * 2 * cols + cols + c, g);
#pragma unroll
        for (int e = 0; e < N; ++e) a[e] = activate(a[e], act) * g[e];
        storeVec(out + r * cols + c, a);
    }
}

template <typename T>
__global__ void gatedActivationScalarKernel(T* __restrict__ out, const T* __restrict__ in, int64_t rows, int cols,
                                            Activation act) {
    const int64_t total = rows * cols;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / cols;
        const int c = int(i - r * cols);
        out[r * cols + c] =
            fromFloat<T>(activate(toFloat(in[r * 2 * cols + c]), act) * toFloat(in[r * 2 * cols + cols + c]));
    }
}

} // namespace

void gatedActivation(DType dtype, void* out, const void* in, int64_t rows, int cols, Activation act,
                     cudaStream_t stream) {
    if (rows <= 0 || cols <= 0) return;
    constexpr int kThreads = 256;
    BB_DISPATCH_DTYPE(dtype, T, {
        constexpr int N = kVec<T>;
        const bool aligned = reinterpret_cast<uintptr_t>(in) % 16 == 0 && reinterpret_cast<uintptr_t>(out) % 16 == 0;
        if (cols % N == 0 && aligned) {
            gatedActivationVecKernel<T><<<blocksFor(rows * (cols / N), kThreads), kThreads, 0, stream>>>(
                static_cast<T*>(out), static_cast<const T*>(in), rows, cols, act);
        } else {
            gatedActivationScalarKernel<T><<<blocksFor(rows * cols, kThreads), kThreads, 0, stream>>>(
                static_cast<T*>(out), static_cast<const T*>(in), rows, cols, act);
        }
    });
    BB_CHECK_LAUNCH("gatedActivationKernel");
}

} // namespace bertbench::cuda::ops

// Bias + activation, fused and in place: out[r, c] = act(in[r, c] + bias[c]).
//
// Used after the FFN's first GEMM in fp32 (exact erf GELU, HF's "gelu"; fp16/bf16 use cublasLt's
// GELU_BIAS epilogue, the tanh approximation — see runtime/Gemm.h), after the pooler GEMM (tanh),
// by linear layers whose activation cublasLt cannot fuse, and as the bias add of the GEMM
// fallback path. Elementwise and memory-bound: each thread moves one 16-byte vector
// per step of a grid-stride loop (one read, one write per element, the bias row stays in L1/L2);
// a scalar loop handles widths that are not a multiple of the vector. Math in fp32.
// CPU reference: core/cpu/CpuOps.cpp:geluInPlace (through kernels/verify/OpReferences.h:activationReference).
// Check: kernels/verify/ActivationChecks.cpp:checkBiasActivation.
#include "kernels/ops/Activation.cuh"
#include "kernels/ops/Ops.h"
#include "kernels/ops/Vec.cuh"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda::ops {

namespace {


template <typename T>
__global__ void biasActivationVecKernel(T* out, const T* in, const T* __restrict__ bias, int64_t rows, int cols,
                                        int64_t ld, Activation act) {
    constexpr int N = kVec<T>;
    const int vectorsPerRow = cols / N;
    const int64_t total = rows * vectorsPerRow;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / vectorsPerRow;
        const int c = int(i - r * vectorsPerRow) * N;
        float v[N];
        loadVec(in + r * ld + c, v);
        if (bias) {
            float b[N];
            loadVec(bias + c, b);
#pragma unroll
            for (int e = 0; e < N; ++e) v[e] += b[e];
        }
#pragma unroll
        for (int e = 0; e < N; ++e) v[e] = activate(v[e], act);
        storeVec(out + r * ld + c, v);
    }
}

template <typename T>
__global__ void biasActivationScalarKernel(T* out, const T* in, const T* __restrict__ bias, int64_t rows, int cols,
                                           int64_t ld, Activation act) {
    const int64_t total = rows * cols;
    for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += int64_t(gridDim.x) * blockDim.x) {
        const int64_t r = i / cols;
        const int c = int(i - r * cols);
        float x = toFloat(in[r * ld + c]);
        if (bias) x += toFloat(bias[c]);
        out[r * ld + c] = fromFloat<T>(activate(x, act));
    }
}

} // namespace

void biasActivation(DType dtype, void* out, const void* in, const void* bias, int64_t rows, int cols, int64_t ld,
                    Activation act, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0) return;
    constexpr int kThreads = 256;
    BB_DISPATCH_DTYPE(dtype, T, {
        constexpr int N = kVec<T>;
        const bool aligned = reinterpret_cast<uintptr_t>(in) % 16 == 0 && reinterpret_cast<uintptr_t>(out) % 16 == 0 &&
                             reinterpret_cast<uintptr_t>(bias) % 16 == 0;
        if (cols % N == 0 && ld % N == 0 && aligned) {
            biasActivationVecKernel<T><<<blocksFor(rows * (cols / N), kThreads), kThreads, 0, stream>>>(
                static_cast<T*>(out), static_cast<const T*>(in), static_cast<const T*>(bias), rows, cols, ld, act);
        } else {
            biasActivationScalarKernel<T><<<blocksFor(rows * cols, kThreads), kThreads, 0, stream>>>(
                static_cast<T*>(out), static_cast<const T*>(in), static_cast<const T*>(bias), rows, cols, ld, act);
        }
    });
    BB_CHECK_LAUNCH("biasActivationKernel");
}

} // namespace bertbench::cuda::ops

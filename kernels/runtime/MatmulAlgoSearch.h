#pragma once
// Choosing a cuBLASLt algorithm by timing it, shared by the fp16/bf16 GEMMs (Gemm) and the fp8
// layer (Fp8Linear): split-K variants for outputs with too few tiles to fill the GPU (batch-1
// shapes), and timing rounds behind a StreamGate on the call's own buffers.
#include <cstdint>
#include <functional>
#include <vector>

#include <cublasLt.h>

#include "kernels/runtime/CudaContext.h"

namespace bertbench::cuda {

// One matmul's descriptor and its operands' layouts (the plans of Gemm and Fp8Linear, the probe).
struct MatmulDescriptors {
    cublasLtMatmulDesc_t op = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr, d = nullptr;
};
// Destroys what was created (null members are skipped) and nulls them.
void destroyDescriptors(MatmulDescriptors& m);

// When an output of rows × out has fewer 128 × 128 tiles than the GPU has SMs: appends split-K
// variants (2, 4, 8, 16 splits while in / splits ≥ 128; each reduction scheme the algorithm offers)
// of the first three candidates that support split-K, each validated by cublasLtMatmulAlgoCheck
// within the context's workspace.
void addSplitKVariants(CudaContext& context, const MatmulDescriptors& m, int64_t rows, int out, int in,
                       std::vector<cublasLtMatmulAlgo_t>& candidates);

// Enqueues one call with `algo` on context.stream(); returns cuBLAS's status.
using MatmulLaunch = std::function<cublasStatus_t(const cublasLtMatmulAlgo_t& algo)>;

// The index of the fastest candidate, or -1 when none ran (a candidate whose launch fails is
// dropped). Never while the stream is being captured; the calls rewrite the output each time, so
// the caller must not pass a call whose output feeds its own input (an in-place residual).
int fastestAlgo(CudaContext& context, const std::vector<cublasLtMatmulAlgo_t>& candidates, const MatmulLaunch& launch);

} // namespace bertbench::cuda

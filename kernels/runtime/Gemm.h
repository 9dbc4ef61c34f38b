#pragma once
// The GEMMs of the encoder and the heads.
//
// linear(): y[rows, out] = x[rows, in] · Wᵀ (+ bias), W in HF layout [out, in], through cublasLt
// with the bias fused as an epilogue (CUBLASLT_EPILOGUE_BIAS). In cuBLAS's column-major terms
// that is Yᵀ(out×rows) = op_T(W) · Xᵀ.
// linearGelu(): y = GELU(x·Wᵀ + bias), the FFN-up GEMM. fp16/bf16 with fused epilogues on:
// cublasLt's CUBLASLT_EPILOGUE_GELU_BIAS (CUBLASLT_EPILOGUE_GELU without a bias), which is the tanh approximation of GELU
// (0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), |Δ| < 5e-4 from the erf form, under the fp16
// rounding of the 3072-wide output); the intermediate is written once and never re-read for the
// activation. fp32: the GEMM, then the exact erf GELU kernel (HF's "gelu").
// linearResidual(): y = x·Wᵀ + bias + residual, the attention-output and FFN-down GEMMs: cublasLt
// with beta = 1 and C = residual (D = y, the same layout), so the LayerNorm that follows reads one
// row instead of two. y may be the residual itself (in place, C = D: cublasLt supports it); such
// a call is never autotuned (repeated timing runs would add into the residual), it takes the
// heuristic's first algorithm.
//
// Plans (descriptors, layouts, the chosen algorithm) are cached per shape × epilogue, so a forward
// costs no heuristic calls after the first. Algorithm choice: up to 8 of the heuristic's algorithms
// plus, when the output has fewer 128×128 tiles than the GPU has SMs (batch-1 shapes), split-K
// variants (2..16 splits) of the first three, each validated by cublasLtMatmulAlgoCheck; with
// autotuning on (default) every candidate is timed on the call's own buffers the first time a
// shape is seen (never while the stream is being captured into a graph), and the fastest is kept
// for the model's life (plans are rebuilt per cell, tuned algorithms are not re-timed).
// When cublasLt offers no algorithm (odd shapes, tiny outputs) it falls back to cublasGemmEx plus
// the bias / activation kernel. fp16/bf16 inputs accumulate in fp32; fp32 is true fp32 (no TF32).
//
// The fused epilogues are the only path of the forward: against plain GEMMs followed by separate
// bias + GELU and bias + residual + LayerNorm kernels they made bert-base fp16 4-5% faster at 1 x 128
// and 8-11% at 128 x 512 (H100, docs/PERFORMANCE.md).
//
// stridedBatched(): cublasGemmStridedBatchedEx in cuBLAS's column-major convention, for
// attention's QKᵀ and PV.
#include <cstdint>
#include <map>
#include <tuple>

#include <cublasLt.h>
#include <cublas_v2.h>

#include "core/backend/Task.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/MatmulAlgoSearch.h"

namespace bertbench::cuda {

cudaDataType_t toCudaDataType(DType dtype);
size_t elementSize(DType dtype);

class Gemm {
public:
    // autotune: time the candidate algorithms of each new shape (KernelOptions::gemmAutotune).
    Gemm(CudaContext& context, bool autotune);
    ~Gemm();
    Gemm(const Gemm&) = delete;
    Gemm& operator=(const Gemm&) = delete;

    // ldx/ldy: row strides in elements (0 = in / out). bias may be null.
    void linear(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows,
                int in, int out, int64_t ldx = 0, int64_t ldy = 0);
    // y = GELU(x·Wᵀ + bias), contiguous rows; see the header comment for which GELU.
    void linearGelu(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows, int in,
                    int out);
    // y = x·Wᵀ + bias + residual; x's row stride ldx (0 = in), y and residual contiguous rows; y may
    // equal residual (in place) but not partly overlap it. bias may be null.
    void linearResidual(DType dtype, void* y, const void* x, const void* weight, const void* bias,
                        const void* residual, int64_t rows, int in, int out, int64_t ldx = 0);

    // True when linearGelu(dtype) uses cublasLt's tanh-approximation epilogue.
    static bool geluIsTanhApproximation(DType dtype) { return dtype != DType::Float32; }
    void setAutotune(bool on) { autotune_ = on; }
    bool autotune() const { return autotune_; }
    cudaStream_t stream() const { return context_.stream(); }
    CudaContext& context() const { return context_; }
    // How many GEMM shapes have an algorithm chosen by timing (kept for the model's life).
    int tunedShapes() const { return int(tuned_.size()); }

    // Forget cached plans (shapes change per cell; plans are cheap to rebuild). Tuned algorithms stay.
    void clearPlans();

private:
    enum class Epilogue { None, Bias, GeluBias, Gelu, Residual, ResidualBias };
    struct Plan : MatmulDescriptors {   // copied into plans_, destroyed by clearPlans()
        cublasLtMatmulAlgo_t algo{};
        bool hasAlgo = false;
    };
    // dtype, rows, in, out, ldx, ldy, epilogue
    using Key = std::tuple<int, int64_t, int, int, int64_t, int64_t, int>;
    struct Call {
        DType dtype;
        void* y;
        const void *x, *weight, *bias, *residual;
        int64_t rows;
        int in, out;
        int64_t ldx, ldy;
        Epilogue epilogue;
    };
    Plan& plan(const Call& call);
    // false: no algorithm (use the fallback). timed: the choice was measured (kept in tuned_).
    bool chooseAlgo(const Call& call, Plan& p, bool& timed);
    cublasStatus_t matmul(const Call& call, const Plan& p, const cublasLtMatmulAlgo_t& algo);
    void run(const Call& call);
    void fallback(const Call& call);

    CudaContext& context_;
    std::map<Key, Plan> plans_;
    std::map<Key, cublasLtMatmulAlgo_t> tuned_;
    bool autotune_ = true;
};

// Column-major C[m×n] = alpha · op(A) · op(B) + beta · C, batched with element strides
// (cublasGemmStridedBatchedEx, fp32 accumulation).
void stridedBatchedGemm(CudaContext& context, DType dtype, bool transA, bool transB, int m, int n, int k, float alpha,
                        const void* a, int64_t lda, int64_t strideA, const void* b, int64_t ldb, int64_t strideB,
                        float beta, void* c, int64_t ldc, int64_t strideC, int batch);

} // namespace bertbench::cuda

#pragma once
// The GEMMs of the encoder and the heads.
//
// linear(): y[rows, out] = x[rows, in] · Wᵀ (+ bias), W in HF layout [out, in], through cublasLt
// with the bias fused as an epilogue (CUBLASLT_EPILOGUE_BIAS). In cuBLAS's column-major terms
// that is Yᵀ(out×rows) = op_T(W) · Xᵀ. The matmul descriptors, layouts and the heuristic's
// algorithm are cached per shape, so a forward costs no heuristic calls after the first.
// When cublasLt offers no algorithm (odd shapes, tiny outputs) it falls back to cublasGemmEx
// plus the bias kernel. fp16/bf16 inputs accumulate in fp32; fp32 is true fp32 (no TF32).
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

namespace bertbench::cuda {

cudaDataType_t toCudaDataType(DType dtype);
size_t elementSize(DType dtype);

class Gemm {
public:
    explicit Gemm(CudaContext& context) : context_(context) {}
    ~Gemm();
    Gemm(const Gemm&) = delete;
    Gemm& operator=(const Gemm&) = delete;

    // ldx/ldy: row strides in elements (0 = in / out). bias may be null.
    void linear(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows,
                int in, int out, int64_t ldx = 0, int64_t ldy = 0);

    // Forget cached plans (shapes change per cell; plans are cheap to rebuild).
    void clearPlans();

private:
    struct Plan {
        cublasLtMatmulDesc_t op = nullptr;
        cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
        cublasLtMatmulAlgo_t algo{};
        bool hasAlgo = false;
    };
    using Key = std::tuple<int, int64_t, int, int, int64_t, int64_t, bool>;  // dtype, rows, in, out, ldx, ldy, bias
    Plan& plan(DType dtype, int64_t rows, int in, int out, int64_t ldx, int64_t ldy, bool bias);

    CudaContext& context_;
    std::map<Key, Plan> plans_;
};

// Column-major C[m×n] = alpha · op(A) · op(B) + beta · C, batched with element strides
// (cublasGemmStridedBatchedEx, fp32 accumulation).
void stridedBatchedGemm(CudaContext& context, DType dtype, bool transA, bool transB, int m, int n, int k, float alpha,
                        const void* a, int64_t lda, int64_t strideA, const void* b, int64_t ldb, int64_t strideB,
                        float beta, void* c, int64_t ldc, int64_t strideC, int batch);

} // namespace bertbench::cuda

#include "kernels/runtime/Gemm.h"

#include "core/util/Errors.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

cudaDataType_t toCudaDataType(DType dtype) {
    switch (dtype) {
    case DType::Float32: return CUDA_R_32F;
    case DType::Float16: return CUDA_R_16F;
    case DType::BFloat16: return CUDA_R_16BF;
    }
    throw BackendError("unknown dtype");
}

size_t elementSize(DType dtype) { return dtype == DType::Float32 ? 4 : 2; }

namespace {
void destroyPlan(cublasLtMatmulDesc_t op, cublasLtMatrixLayout_t a, cublasLtMatrixLayout_t b, cublasLtMatrixLayout_t c) {
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (op) cublasLtMatmulDescDestroy(op);
}
} // namespace

Gemm::~Gemm() { clearPlans(); }

void Gemm::clearPlans() {
    for (auto& [key, p] : plans_) destroyPlan(p.op, p.a, p.b, p.c);
    plans_.clear();
}

Gemm::Plan& Gemm::plan(DType dtype, int64_t rows, int in, int out, int64_t ldx, int64_t ldy, bool bias) {
    const Key key{int(dtype), rows, in, out, ldx, ldy, bias};
    auto found = plans_.find(key);
    if (found != plans_.end()) return found->second;

    Plan p;
    const cudaDataType_t type = toCudaDataType(dtype);
    BB_CUBLAS_CHECK(cublasLtMatmulDescCreate(&p.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    const cublasOperation_t transA = CUBLAS_OP_T, transB = CUBLAS_OP_N;
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSA, &transA, sizeof transA));
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSB, &transB, sizeof transB));
    const cublasLtEpilogue_t epilogue = bias ? CUBLASLT_EPILOGUE_BIAS : CUBLASLT_EPILOGUE_DEFAULT;
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue));
    if (bias) {
        const cudaDataType_t biasType = type;
        BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &biasType, sizeof biasType));
    }
    // Column-major: A = W stored as [in × out] (ld in), op T; B = x as [in × rows] (ld ldx); C = y as [out × rows].
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.a, type, uint64_t(in), uint64_t(out), int64_t(in)));
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.b, type, uint64_t(in), uint64_t(rows), ldx));
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.c, type, uint64_t(out), uint64_t(rows), ldy));

    cublasLtMatmulPreference_t pref = nullptr;
    BB_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&pref));
    const size_t workspace = context_.workspaceBytes();
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace);
    cublasLtMatmulHeuristicResult_t result{};
    int returned = 0;
    const cublasStatus_t status =
        cublasLtMatmulAlgoGetHeuristic(context_.cublasLt(), p.op, p.a, p.b, p.c, p.c, pref, 1, &result, &returned);
    cublasLtMatmulPreferenceDestroy(pref);
    if (status == CUBLAS_STATUS_SUCCESS && returned > 0) {
        p.algo = result.algo;
        p.hasAlgo = true;
    } else if (status != CUBLAS_STATUS_SUCCESS && status != CUBLAS_STATUS_NOT_SUPPORTED) {
        destroyPlan(p.op, p.a, p.b, p.c);
        throwCublasError(status, "cublasLtMatmulAlgoGetHeuristic", __FILE__, __LINE__);
    }
    return plans_.emplace(key, p).first->second;
}

void Gemm::linear(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows, int in,
                  int out, int64_t ldx, int64_t ldy) {
    if (rows <= 0) return;
    if (ldx == 0) ldx = in;
    if (ldy == 0) ldy = out;
    Plan& p = plan(dtype, rows, in, out, ldx, ldy, bias != nullptr);
    const float alpha = 1.f, beta = 0.f;
    if (p.hasAlgo) {
        if (bias) {
            BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof bias));
        }
        BB_CUBLAS_CHECK(cublasLtMatmul(context_.cublasLt(), p.op, &alpha, weight, p.a, x, p.b, &beta, y, p.c, y, p.c,
                                       &p.algo, context_.workspace(), context_.workspaceBytes(), context_.stream()));
        return;
    }
    // Fallback: plain cuBLAS, then the bias kernel.
    if (rows > INT32_MAX) throw BackendError("GEMM with " + std::to_string(rows) + " rows exceeds cuBLAS's int range");
    const cudaDataType_t type = toCudaDataType(dtype);
    BB_CUBLAS_CHECK(cublasGemmEx(context_.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, out, int(rows), in, &alpha, weight, type,
                                 in, x, type, int(ldx), &beta, y, type, int(ldy), CUBLAS_COMPUTE_32F,
                                 CUBLAS_GEMM_DEFAULT));
    if (bias) ops::biasActivation(dtype, y, y, bias, rows, out, ldy, ops::Activation::None, context_.stream());
}

void stridedBatchedGemm(CudaContext& context, DType dtype, bool transA, bool transB, int m, int n, int k, float alpha,
                        const void* a, int64_t lda, int64_t strideA, const void* b, int64_t ldb, int64_t strideB,
                        float beta, void* c, int64_t ldc, int64_t strideC, int batch) {
    const cudaDataType_t type = toCudaDataType(dtype);
    BB_CUBLAS_CHECK(cublasGemmStridedBatchedEx(context.cublas(), transA ? CUBLAS_OP_T : CUBLAS_OP_N,
                                               transB ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k, &alpha, a, type, int(lda),
                                               strideA, b, type, int(ldb), strideB, &beta, c, type, int(ldc), strideC,
                                               batch, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

} // namespace bertbench::cuda

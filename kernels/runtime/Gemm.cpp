#include "kernels/runtime/Gemm.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/util/Errors.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

cudaDataType_t toCudaDataType(DType dtype) {
    switch (dtype) {
    case DType::Float32: return CUDA_R_32F;
    case DType::Float16: return CUDA_R_16F;
    case DType::BFloat16: return CUDA_R_16BF;
    case DType::Float8: break;   // e4m3 operands live in Fp8Linear and the GEMM probe, never in these buffers
    }
    throw BackendError("no cuBLAS data type for " + toString(dtype) + " activations");
}

size_t elementSize(DType dtype) { return dtype == DType::Float32 ? 4 : 2; }

namespace {

bool overlaps(const void* a, size_t aBytes, const void* b, size_t bBytes) {
    if (!a || !b) return false;
    const auto pa = reinterpret_cast<uintptr_t>(a), pb = reinterpret_cast<uintptr_t>(b);
    return pa < pb + bBytes && pb < pa + aBytes;
}

constexpr int kHeuristicAlgos = 8;

} // namespace

Gemm::Gemm(CudaContext& context, bool autotune) : context_(context), autotune_(autotune) {}

Gemm::~Gemm() { clearPlans(); }

void Gemm::clearPlans() {
    for (auto& [key, p] : plans_) destroyDescriptors(p);
    plans_.clear();
}

cublasStatus_t Gemm::matmul(const Call& call, const Plan& p, const cublasLtMatmulAlgo_t& algo) {
    const float alpha = 1.f;
    const bool residual = call.epilogue == Epilogue::Residual || call.epilogue == Epilogue::ResidualBias;
    const float beta = residual ? 1.f : 0.f;
    const void* c = residual ? call.residual : call.y;
    return cublasLtMatmul(context_.cublasLt(), p.op, &alpha, call.weight, p.a, call.x, p.b, &beta, c, p.c, call.y, p.d,
                          &algo, context_.workspace(), context_.workspaceBytes(), context_.stream());
}

// Candidates: the heuristic's first kHeuristicAlgos, plus split-K variants when the output has too
// few tiles for the SMs; timed on the call's buffers when autotuning may run now.
bool Gemm::chooseAlgo(const Call& call, Plan& p, bool& timed) {
    timed = false;
    cublasLtMatmulPreference_t pref = nullptr;
    BB_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&pref));
    const size_t workspace = context_.workspaceBytes();
    cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace);
    cublasLtMatmulHeuristicResult_t results[kHeuristicAlgos] = {};
    int returned = 0;
    const cublasStatus_t status = cublasLtMatmulAlgoGetHeuristic(context_.cublasLt(), p.op, p.a, p.b, p.c, p.d, pref,
                                                                 kHeuristicAlgos, results, &returned);
    cublasLtMatmulPreferenceDestroy(pref);
    if (status == CUBLAS_STATUS_NOT_SUPPORTED || (status == CUBLAS_STATUS_SUCCESS && returned == 0)) return false;
    if (status != CUBLAS_STATUS_SUCCESS) throwCublasError(status, "cublasLtMatmulAlgoGetHeuristic", __FILE__, __LINE__);

    std::vector<cublasLtMatmulAlgo_t> candidates;
    for (int i = 0; i < returned; ++i)
        if (results[i].state == CUBLAS_STATUS_SUCCESS) candidates.push_back(results[i].algo);
    if (candidates.empty()) return false;

    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    BB_CUDA_CHECK(cudaStreamIsCapturing(context_.stream(), &capture));
    const size_t e = elementSize(call.dtype);
    const size_t yBytes = size_t(call.rows) * size_t(call.ldy) * e;
    const bool aliased = overlaps(call.y, yBytes, call.x, size_t(call.rows) * size_t(call.ldx) * e) ||
                         overlaps(call.y, yBytes, call.weight, size_t(call.in) * size_t(call.out) * e) ||
                         overlaps(call.y, yBytes, call.residual, yBytes) ||
                         overlaps(call.y, yBytes, call.bias, size_t(call.out) * e);
    const bool canTime = autotune_ && capture == cudaStreamCaptureStatusNone && !aliased;
    if (!canTime) {
        p.algo = candidates.front();
        return true;
    }

    addSplitKVariants(context_, p, call.rows, call.out, call.in, candidates);
    if (candidates.size() == 1) {
        p.algo = candidates.front();
        return true;
    }
    const int best = fastestAlgo(context_, candidates,
                                 [&](const cublasLtMatmulAlgo_t& algo) { return matmul(call, p, algo); });
    if (best < 0) return false;
    p.algo = candidates[size_t(best)];
    timed = true;
    return true;
}

Gemm::Plan& Gemm::plan(const Call& call) {
    const Key key{int(call.dtype), call.rows, call.in, call.out, call.ldx, call.ldy, int(call.epilogue)};
    auto found = plans_.find(key);
    if (found != plans_.end()) return found->second;

    Plan p;
    try {
        const cudaDataType_t type = toCudaDataType(call.dtype);
        BB_CUBLAS_CHECK(cublasLtMatmulDescCreate(&p.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
        const cublasOperation_t transA = CUBLAS_OP_T, transB = CUBLAS_OP_N;
        BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSA, &transA, sizeof transA));
        BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_TRANSB, &transB, sizeof transB));
        cublasLtEpilogue_t epilogue = CUBLASLT_EPILOGUE_DEFAULT;
        switch (call.epilogue) {
        case Epilogue::Bias:
        case Epilogue::ResidualBias: epilogue = CUBLASLT_EPILOGUE_BIAS; break;
        case Epilogue::GeluBias: epilogue = CUBLASLT_EPILOGUE_GELU_BIAS; break;
        case Epilogue::Gelu: epilogue = CUBLASLT_EPILOGUE_GELU; break;   // no bias: no bias read at all
        default: break;
        }
        BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue));
        if (epilogue != CUBLASLT_EPILOGUE_DEFAULT && epilogue != CUBLASLT_EPILOGUE_GELU) {
            const cudaDataType_t biasType = type;
            BB_CUBLAS_CHECK(
                cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_DATA_TYPE, &biasType, sizeof biasType));
            BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &call.bias,
                                                           sizeof call.bias));
        }
        // Column-major: A = W stored as [in × out] (ld in), op T; B = x as [in × rows] (ld ldx);
        // C (the residual, or y when beta = 0) and D = y as [out × rows] (ld ldy).
        BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.a, type, uint64_t(call.in), uint64_t(call.out), int64_t(call.in)));
        BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.b, type, uint64_t(call.in), uint64_t(call.rows), call.ldx));
        BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.c, type, uint64_t(call.out), uint64_t(call.rows), call.ldy));
        BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&p.d, type, uint64_t(call.out), uint64_t(call.rows), call.ldy));

        auto tuned = tuned_.find(key);
        if (tuned != tuned_.end()) {
            p.algo = tuned->second;
            p.hasAlgo = true;
        } else {
            bool timed = false;
            p.hasAlgo = chooseAlgo(call, p, timed);
            if (p.hasAlgo && timed) tuned_[key] = p.algo;   // only what was timed is kept for later cells
        }
    } catch (...) {
        destroyDescriptors(p);
        throw;
    }
    return plans_.emplace(key, p).first->second;
}

void Gemm::fallback(const Call& call) {
    // Plain cuBLAS, then the bias (+ exact GELU) kernel; the residual is copied into y first (beta = 1).
    if (call.rows > INT32_MAX) throw BackendError("GEMM with " + std::to_string(call.rows) + " rows exceeds cuBLAS's int range");
    const cudaDataType_t type = toCudaDataType(call.dtype);
    const size_t e = elementSize(call.dtype);
    float beta = 0.f;
    if (call.residual) {
        if (call.y != call.residual)   // in place: y already holds the residual
            BB_CUDA_CHECK(cudaMemcpy2DAsync(call.y, size_t(call.ldy) * e, call.residual, size_t(call.ldy) * e,
                                            size_t(call.out) * e, size_t(call.rows), cudaMemcpyDeviceToDevice,
                                            context_.stream()));
        beta = 1.f;
    }
    const float alpha = 1.f;
    BB_CUBLAS_CHECK(cublasGemmEx(context_.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, call.out, int(call.rows), call.in, &alpha,
                                 call.weight, type, call.in, call.x, type, int(call.ldx), &beta, call.y, type,
                                 int(call.ldy), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    const bool gelu = call.epilogue == Epilogue::GeluBias || call.epilogue == Epilogue::Gelu;
    if (call.bias || gelu) {
        ops::biasActivation(call.dtype, call.y, call.y, call.bias, call.rows, call.out, call.ldy,
                            gelu ? ops::Activation::Gelu : ops::Activation::None, context_.stream());
    }
}

void Gemm::run(const Call& call) {
    if (call.rows <= 0) return;
    Plan& p = plan(call);
    if (!p.hasAlgo) {
        fallback(call);
        return;
    }
    if (call.bias) {
        BB_CUBLAS_CHECK(
            cublasLtMatmulDescSetAttribute(p.op, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &call.bias, sizeof call.bias));
    }
    BB_CUBLAS_CHECK(matmul(call, p, p.algo));
}

void Gemm::linear(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows, int in,
                  int out, int64_t ldx, int64_t ldy) {
    run(Call{dtype, y, x, weight, bias, nullptr, rows, in, out, ldx ? ldx : in, ldy ? ldy : out,
             bias ? Epilogue::Bias : Epilogue::None});
}

void Gemm::linearGelu(DType dtype, void* y, const void* x, const void* weight, const void* bias, int64_t rows, int in,
                      int out) {
    if (geluIsTanhApproximation(dtype)) {
        run(Call{dtype, y, x, weight, bias, nullptr, rows, in, out, in, out, bias ? Epilogue::GeluBias : Epilogue::Gelu});
        return;
    }
    linear(dtype, y, x, weight, nullptr, rows, in, out);
    if (rows > 0) ops::biasActivation(dtype, y, y, bias, rows, out, out, ops::Activation::Gelu, context_.stream());
}

void Gemm::linearResidual(DType dtype, void* y, const void* x, const void* weight, const void* bias,
                          const void* residual, int64_t rows, int in, int out, int64_t ldx) {
    const size_t bytes = size_t(std::max<int64_t>(rows, 0)) * size_t(out) * elementSize(dtype);
    if (y != residual && overlaps(y, bytes, residual, bytes))
        throw BackendError("linearResidual: the output partly overlaps the residual (in place means y == residual)");
    run(Call{dtype, y, x, weight, bias, residual, rows, in, out, ldx ? ldx : in, out,
             bias ? Epilogue::ResidualBias : Epilogue::Residual});
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

// The Hopper GEMM benchmark's timing part (hopper_gemm_bench --time): BERT's linear layers at
// the given token counts, ours with its epilogue and plain, beside cublasLt with the same epilogue
// (the heuristic's first algorithm) and plain, and cublasGemmEx plain; medians of CUDA-event times.
//
// Build: part of the CMake target bertbench-hopper-gemm-bench (kernels/CMakeLists.txt) and of the
// nvcc line in hopper_gemm_bench.cu and bench/gemm/run_device.sh.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "bench/gemm/HopperGemm.h"
#include "bench/gemm/hopper_gemm_bench.h"

#define CHECK_CUBLAS(x)                                                                                \
    do {                                                                                               \
        cublasStatus_t s_ = (x);                                                                       \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                             \
            std::fprintf(stderr, "%s:%d %s: cuBLAS status %d\n", __FILE__, __LINE__, #x, int(s_));     \
            std::exit(2);                                                                              \
        }                                                                                              \
    } while (0)

namespace bertbench::gemmbench {

namespace {

// cublasLt with the layer's epilogue as cuBLAS offers it (heuristic's first algorithm).
struct LtGemm {
    cublasLtHandle_t lt;
    void* workspace = nullptr;
    size_t workspaceBytes = 32u << 20;
    LtGemm()
    {
        CHECK_CUBLAS(cublasLtCreate(&lt));
        CHECK_CUDA(cudaMalloc(&workspace, workspaceBytes));
    }
    ~LtGemm()
    {
        cudaFree(workspace);
        cublasLtDestroy(lt);
    }
    // Returns false when cublasLt has no algorithm.
    bool run(const Operands& op, bool withEpilogue, HopperEpilogue epilogue, int reps, std::vector<float>& ms)
    {
        const cudaDataType_t t = op.bf16 ? CUDA_R_16BF : CUDA_R_16F;
        cublasLtMatmulDesc_t desc;
        CHECK_CUBLAS(cublasLtMatmulDescCreate(&desc, CUBLAS_COMPUTE_32F, CUDA_R_32F));
        const cublasOperation_t opT = CUBLAS_OP_T, opN = CUBLAS_OP_N;
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &opT, sizeof opT));
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &opN, sizeof opN));
        cublasLtEpilogue_t epi = CUBLASLT_EPILOGUE_DEFAULT;
        if (withEpilogue) epi = epilogue == HopperEpilogue::BiasGelu ? CUBLASLT_EPILOGUE_GELU_BIAS : CUBLASLT_EPILOGUE_BIAS;
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epi, sizeof epi));
        if (withEpilogue)
            CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &op.dBias, sizeof op.dBias));
        cublasLtMatrixLayout_t a, b, c;
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&a, t, op.in, op.out, op.in));
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&b, t, op.in, op.rows, op.in));
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&c, t, op.out, op.rows, op.out));
        cublasLtMatmulPreference_t pref;
        CHECK_CUBLAS(cublasLtMatmulPreferenceCreate(&pref));
        CHECK_CUBLAS(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspaceBytes,
                                                          sizeof workspaceBytes));
        cublasLtMatmulHeuristicResult_t result{};
        int found = 0;
        cublasLtMatmulAlgoGetHeuristic(lt, desc, a, b, c, c, pref, 1, &result, &found);
        bool ok = found > 0;
        if (ok) {
            const bool residual = withEpilogue && epilogue == HopperEpilogue::Residual;
            const float alpha = 1.f, beta = residual ? 1.f : 0.f;
            const void* cIn = residual ? op.dResidual : op.dY;
            ms = timeIt(reps, [&] {
                CHECK_CUBLAS(cublasLtMatmul(lt, desc, &alpha, op.dW, a, op.dX, b, &beta, cIn, c, op.dY, c, &result.algo,
                                            workspace, workspaceBytes, nullptr));
            });
        }
        cublasLtMatmulPreferenceDestroy(pref);
        cublasLtMatrixLayoutDestroy(a);
        cublasLtMatrixLayoutDestroy(b);
        cublasLtMatrixLayoutDestroy(c);
        cublasLtMatmulDescDestroy(desc);
        return ok;
    }

    template <class F>
    static std::vector<float> timeIt(int reps, F&& f)
    {
        for (int i = 0; i < 5; ++i) f();
        CHECK_CUDA(cudaDeviceSynchronize());
        std::vector<float> ms;
        cudaEvent_t e0, e1;
        CHECK_CUDA(cudaEventCreate(&e0));
        CHECK_CUDA(cudaEventCreate(&e1));
        for (int i = 0; i < reps; ++i) {
            CHECK_CUDA(cudaEventRecord(e0));
            f();
            CHECK_CUDA(cudaEventRecord(e1));
            CHECK_CUDA(cudaEventSynchronize(e1));
            float t = 0;
            CHECK_CUDA(cudaEventElapsedTime(&t, e0, e1));
            ms.push_back(t);
        }
        cudaEventDestroy(e0);
        cudaEventDestroy(e1);
        return ms;
    }
};

float median(std::vector<float> v)
{
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void timeLayer(bool bf16, const Layer& L, int64_t rows, int reps, LtGemm& lt, cublasHandle_t blas)
{
    Operands op(bf16, rows, L.in, L.out, 7);
    const double flops = 2.0 * double(rows) * L.in * L.out;
    auto ours = [&](HopperEpilogue e) {
        return median(LtGemm::timeIt(reps, [&] { bertbench::hopper::runHopperGemm(op.call(e), nullptr); }));
    };
    const float oursEpi = ours(L.epilogue);
    const float oursPlain = ours(HopperEpilogue::None);
    std::vector<float> v;
    const float ltEpi = lt.run(op, true, L.epilogue, reps, v) ? median(v) : NAN;
    const float ltPlain = lt.run(op, false, L.epilogue, reps, v) ? median(v) : NAN;
    const cudaDataType_t t = bf16 ? CUDA_R_16BF : CUDA_R_16F;
    const float alpha = 1.f, beta = 0.f;
    const float blasPlain = median(LtGemm::timeIt(reps, [&] {
        CHECK_CUBLAS(cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, L.out, int(rows), L.in, &alpha, op.dW, t, L.in, op.dX, t,
                                  L.in, &beta, op.dY, t, L.out, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    }));
    auto tf = [&](float ms) { return flops / (ms * 1e-3) / 1e12; };
    std::printf("time %-4s %-9s %-14s rows %6lld  ours+epi %.4f ms (%5.1f TF/s)  ours plain %.4f (%5.1f)  "
                "lt+epi %.4f (%5.1f)  lt plain %.4f  gemmEx %.4f (%5.1f)  ours+epi/gemmEx %5.1f%%\n",
                bf16 ? "bf16" : "fp16", L.name, epilogueName(L.epilogue), (long long)rows, oursEpi, tf(oursEpi),
                oursPlain, tf(oursPlain), ltEpi, tf(ltEpi), ltPlain, blasPlain, tf(blasPlain),
                100.0 * oursEpi / blasPlain);
}

} // namespace

void timeLayers(const std::vector<Layer>& layers, const std::vector<int64_t>& tokens, const std::vector<bool>& dtypes,
                int reps)
{
    LtGemm lt;
    cublasHandle_t blas;
    CHECK_CUBLAS(cublasCreate(&blas));
    for (int64_t rows : tokens)
        for (bool bf16 : dtypes)
            for (const Layer& L : layers) timeLayer(bf16, L, rows, reps, lt, blas);
    cublasDestroy(blas);
}

} // namespace bertbench::gemmbench

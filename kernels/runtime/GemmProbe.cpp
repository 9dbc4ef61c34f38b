#include "kernels/runtime/GemmProbe.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/util/Errors.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Fp8Host.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"
#include "kernels/runtime/MatmulAlgoSearch.h"

namespace bertbench::cuda {

namespace {

constexpr int kN = 8192;
constexpr int kUntimed = 3;
constexpr int kTimed = 10;

// Device memory released on every path.
struct DeviceBlock {
    void* ptr = nullptr;
    ~DeviceBlock() {
        if (ptr) cudaFree(ptr);
    }
};

// Uniform(-1, 1) values from a small LCG: finite, varied bits (constant or zero inputs would draw
// less power than real activations and flatter the rate).
std::vector<float> uniformValues(size_t count) {
    std::vector<float> values(count);
    uint32_t state = 12345u;
    for (float& v : values) {
        state = state * 1664525u + 1013904223u;
        v = float(state >> 8) / float(1u << 24) * 2.f - 1.f;
    }
    return values;
}

// Best of kTimed CUDA-event timings of `gemm` after kUntimed untimed runs, ms.
template <typename Call>
double bestTimedMs(CudaContext& context, Call gemm) {
    for (int i = 0; i < kUntimed; ++i) gemm();
    context.synchronize();
    EventTimer timer;
    double bestMs = 0;
    for (int i = 0; i < kTimed; ++i) {
        timer.start(context.stream());
        gemm();
        timer.stop(context.stream());
        const double ms = timer.elapsedMs();
        if (i == 0 || ms < bestMs) bestMs = ms;
    }
    context.synchronize();
    if (!(bestMs > 0)) throw BackendError("GEMM probe: the timed GEMM took no measurable time");
    return bestMs;
}

void allocate(DeviceBlock& block, size_t bytes, const std::string& what) {
    if (cudaMalloc(&block.ptr, bytes) != cudaSuccess) {
        cudaGetLastError();
        throw OutOfMemoryError("GEMM probe: no room for " + what);
    }
}

// `bytes` of dst filled with copies of `host`.
void tileUpload(void* dst, size_t bytes, const std::vector<unsigned char>& host) {
    for (size_t off = 0; off < bytes; off += host.size())
        BB_CUDA_CHECK(cudaMemcpy(static_cast<char*>(dst) + off, host.data(), std::min(host.size(), bytes - off),
                                 cudaMemcpyHostToDevice));
}

// The fp8 forward's GEMM (Fp8LinearLayer): e4m3 A (transposed) and B, fp16 D, fp32 accumulate
// (fast accumulation off, the forward's default), unit scales; cuBLASLt's first heuristic choice.
double fp8GemmMs(CudaContext& context) {
    const size_t elems = size_t(kN) * kN;
    const std::string what = "two " + std::to_string(kN) + "² e4m3 matrices and an fp16 one";
    DeviceBlock a, b, d;
    allocate(a, elems, what);
    allocate(b, elems, what);
    allocate(d, elems * 2, what);
    const std::vector<float> values = uniformValues(std::min<size_t>(elems, size_t(1) << 22));
    std::vector<unsigned char> host(values.size());
    for (size_t i = 0; i < values.size(); ++i) host[i] = floatToE4m3(values[i]);
    tileUpload(a.ptr, elems, host);
    tileUpload(b.ptr, elems, host);

    struct Descriptors : MatmulDescriptors {   // C is D's layout (beta = 0)
        cublasLtMatmulPreference_t pref = nullptr;
        ~Descriptors() {
            if (pref) cublasLtMatmulPreferenceDestroy(pref);
            destroyDescriptors(*this);
        }
    } desc;
    BB_CUBLAS_CHECK(cublasLtMatmulDescCreate(&desc.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    const cublasOperation_t transA = CUBLAS_OP_T, transB = CUBLAS_OP_N;
    const int8_t fast = 0;
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(desc.op, CUBLASLT_MATMUL_DESC_TRANSA, &transA, sizeof transA));
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(desc.op, CUBLASLT_MATMUL_DESC_TRANSB, &transB, sizeof transB));
    BB_CUBLAS_CHECK(cublasLtMatmulDescSetAttribute(desc.op, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof fast));
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&desc.a, CUDA_R_8F_E4M3, kN, kN, kN));
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&desc.b, CUDA_R_8F_E4M3, kN, kN, kN));
    BB_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&desc.d, CUDA_R_16F, kN, kN, kN));
    BB_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&desc.pref));
    const size_t workspace = context.workspaceBytes();
    BB_CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(desc.pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace,
                                                         sizeof workspace));
    cublasLtMatmulHeuristicResult_t result{};
    int returned = 0;
    const cublasStatus_t st = cublasLtMatmulAlgoGetHeuristic(context.cublasLt(), desc.op, desc.a, desc.b, desc.d,
                                                             desc.d, desc.pref, 1, &result, &returned);
    if (st != CUBLAS_STATUS_SUCCESS || returned == 0)
        throw BackendError("GEMM probe: cuBLASLt offers no fp8 algorithm here (fp8 needs compute capability 8.9+)");
    const float alpha = 1.f, beta = 0.f;
    return bestTimedMs(context, [&] {
        BB_CUBLAS_CHECK(cublasLtMatmul(context.cublasLt(), desc.op, &alpha, a.ptr, desc.a, b.ptr, desc.b, &beta, d.ptr,
                                       desc.d, d.ptr, desc.d, &result.algo, context.workspace(),
                                       context.workspaceBytes(), context.stream()));
    });
}

double gemmExMs(CudaContext& context, DType dtype) {
    const size_t elems = size_t(kN) * kN;
    const size_t bytes = elems * elementSize(dtype);
    const std::string what = "three " + std::to_string(kN) + "² " + toString(dtype) + " matrices";
    DeviceBlock a, b, c;
    for (DeviceBlock* block : {&a, &b, &c}) allocate(*block, bytes, what);
    // Tile one 4M-element random block over A and B.
    const std::vector<float> values = uniformValues(std::min<size_t>(elems, size_t(1) << 22));
    std::vector<unsigned char> host(values.size() * elementSize(dtype));
    convertFromFloat(dtype, values.data(), values.size(), host.data());
    tileUpload(a.ptr, bytes, host);
    tileUpload(b.ptr, bytes, host);
    const cudaDataType_t type = toCudaDataType(dtype);
    const float alpha = 1.f, beta = 0.f;
    return bestTimedMs(context, [&] {
        BB_CUBLAS_CHECK(cublasGemmEx(context.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, kN, kN, kN, &alpha, a.ptr, type, kN,
                                     b.ptr, type, kN, &beta, c.ptr, type, kN, CUBLAS_COMPUTE_32F,
                                     CUBLAS_GEMM_DEFAULT));
    });
}

} // namespace

double measureGemmPeakTflops(CudaContext& context, DType dtype) {
    context.makeCurrent();
    const double bestMs = dtype == DType::Float8 ? fp8GemmMs(context) : gemmExMs(context, dtype);
    return 2.0 * double(kN) * kN * kN / (bestMs * 1e-3) / 1e12;
}

} // namespace bertbench::cuda

#include "kernels/runtime/GemmProbe.h"

#include <algorithm>
#include <vector>

#include "core/util/Errors.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

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

// Uniform(-1, 1) values from a small LCG, as `dtype`: finite, varied bits (constant or zero
// inputs would draw less power than real activations and flatter the rate).
std::vector<unsigned char> randomBlock(DType dtype, size_t count) {
    std::vector<float> values(count);
    uint32_t state = 12345u;
    for (float& v : values) {
        state = state * 1664525u + 1013904223u;
        v = float(state >> 8) / float(1u << 24) * 2.f - 1.f;
    }
    std::vector<unsigned char> bytes(count * elementSize(dtype));
    convertFromFloat(dtype, values.data(), count, bytes.data());
    return bytes;
}

} // namespace

double measureGemmPeakTflops(CudaContext& context, DType dtype) {
    context.makeCurrent();
    const size_t elems = size_t(kN) * kN;
    const size_t bytes = elems * elementSize(dtype);
    DeviceBlock a, b, c;
    for (DeviceBlock* block : {&a, &b, &c}) {
        if (cudaMalloc(&block->ptr, bytes) != cudaSuccess) {
            cudaGetLastError();
            throw OutOfMemoryError("GEMM probe: no room for three " + std::to_string(kN) + "² " + toString(dtype) +
                                   " matrices");
        }
    }
    // Tile one 4M-element random block over A and B.
    const size_t tile = std::min<size_t>(elems, size_t(1) << 22);
    const std::vector<unsigned char> host = randomBlock(dtype, tile);
    const size_t tileBytes = host.size();
    for (void* dst : {a.ptr, b.ptr}) {
        for (size_t off = 0; off < bytes; off += tileBytes)
            BB_CUDA_CHECK(cudaMemcpy(static_cast<char*>(dst) + off, host.data(), std::min(tileBytes, bytes - off),
                                     cudaMemcpyHostToDevice));
    }
    const cudaDataType_t type = toCudaDataType(dtype);
    const float alpha = 1.f, beta = 0.f;
    auto gemm = [&] {
        BB_CUBLAS_CHECK(cublasGemmEx(context.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, kN, kN, kN, &alpha, a.ptr, type, kN,
                                     b.ptr, type, kN, &beta, c.ptr, type, kN, CUBLAS_COMPUTE_32F,
                                     CUBLAS_GEMM_DEFAULT));
    };
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
    return 2.0 * double(kN) * kN * kN / (bestMs * 1e-3) / 1e12;
}

} // namespace bertbench::cuda

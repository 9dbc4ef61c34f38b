// Shared by the two parts of the Hopper GEMM benchmark, one executable: the checks and main
// (hopper_gemm_bench.cu) and the timing beside cuBLAS (hopper_gemm_bench_timing.cu). Here: the
// error check, BERT's linear layers as the bench names them, and one layer's operands (random,
// rounded to the dtype, on the host and the device) with their double-precision CPU twin.
//
// Build: with those files and bench/gemm/HopperGemm.cu, the CMake target bertbench-hopper-gemm-bench
// (kernels/CMakeLists.txt), or the nvcc line of hopper_gemm_bench.cu and bench/gemm/run_device.sh.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "bench/gemm/HopperGemm.h"

#define CHECK_CUDA(x)                                                                                  \
    do {                                                                                               \
        cudaError_t e_ = (x);                                                                          \
        if (e_ != cudaSuccess) {                                                                       \
            std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));     \
            std::exit(2);                                                                              \
        }                                                                                              \
    } while (0)

namespace bertbench::gemmbench {

using bertbench::hopper::HopperEpilogue;
using bertbench::hopper::HopperGemmCall;

struct Layer {
    const char* name;
    int in, out;
    HopperEpilogue epilogue;
};

inline uint16_t toBits(float v, bool bf16)
{
    if (bf16) {
        __nv_bfloat16 b = __float2bfloat16_rn(v);
        uint16_t u;
        std::memcpy(&u, &b, 2);
        return u;
    }
    __half h = __float2half_rn(v);
    uint16_t u;
    std::memcpy(&u, &h, 2);
    return u;
}
inline float fromBits(uint16_t u, bool bf16)
{
    if (bf16) {
        __nv_bfloat16 b;
        std::memcpy(&b, &u, 2);
        return __bfloat162float(b);
    }
    __half h;
    std::memcpy(&h, &u, 2);
    return __half2float(h);
}

// Host copies (already rounded to the dtype) and device buffers of one layer's operands.
struct Operands {
    bool bf16;
    int64_t rows;
    int in, out;
    std::vector<uint16_t> x, w, bias, residual;
    void *dX = nullptr, *dW = nullptr, *dBias = nullptr, *dResidual = nullptr, *dY = nullptr;

    Operands(bool bf16_, int64_t rows_, int in_, int out_, uint32_t seed) : bf16(bf16_), rows(rows_), in(in_), out(out_)
    {
        // splitmix64 of (seed, stream, index): fast enough for the 200 M-element operands.
        auto uniform = [](uint64_t z) {
            z += 0x9E3779B97F4A7C15ull;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            return float(double(z >> 11) * (2.0 / 9007199254740992.0) - 1.0);   // [-1, 1)
        };
        uint64_t stream = 0;
        auto fill = [&](std::vector<uint16_t>& v, size_t n, float scale) {
            v.resize(n);
            const uint64_t key = (uint64_t(seed) << 40) ^ (++stream << 56);
            for (size_t i = 0; i < n; ++i) v[i] = toBits(uniform(key + i) * scale, bf16);
        };
        fill(x, size_t(rows) * in, 1.f);
        fill(w, size_t(out) * in, 1.f / std::sqrt(float(in)) * 1.7f);   // outputs of about unit size
        fill(bias, size_t(out), 0.5f);
        fill(residual, size_t(rows) * out, 1.f);
        auto upload = [](void*& d, const std::vector<uint16_t>& v) {
            CHECK_CUDA(cudaMalloc(&d, v.size() * 2));
            CHECK_CUDA(cudaMemcpy(d, v.data(), v.size() * 2, cudaMemcpyHostToDevice));
        };
        upload(dX, x);
        upload(dW, w);
        upload(dBias, bias);
        upload(dResidual, residual);
        CHECK_CUDA(cudaMalloc(&dY, size_t(rows) * out * 2));
    }
    ~Operands()
    {
        for (void* p : {dX, dW, dBias, dResidual, dY}) cudaFree(p);
    }
    HopperGemmCall call(HopperEpilogue epilogue) const
    {
        HopperGemmCall c;
        c.bf16 = bf16;
        c.y = dY;
        c.x = dX;
        c.weight = dW;
        c.bias = dBias;
        c.residual = epilogue == HopperEpilogue::Residual ? dResidual : nullptr;
        c.rows = rows;
        c.in = in;
        c.out = out;
        c.epilogue = epilogue;
        return c;
    }
    // Double-precision twin of one output row, from the rounded inputs.
    void reference(int64_t row, HopperEpilogue epilogue, double* y) const
    {
        for (int n = 0; n < out; ++n) {
            double s = 0;
            const uint16_t* xr = &x[size_t(row) * in];
            const uint16_t* wr = &w[size_t(n) * in];
            for (int k = 0; k < in; ++k) s += double(fromBits(xr[k], bf16)) * double(fromBits(wr[k], bf16));
            s += fromBits(bias[n], bf16);
            if (epilogue == HopperEpilogue::BiasGelu) s = 0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0)));
            if (epilogue == HopperEpilogue::Residual) s += fromBits(residual[size_t(row) * out + n], bf16);
            y[n] = s;
        }
    }
};

inline const char* epilogueName(HopperEpilogue e)
{
    switch (e) {
    case HopperEpilogue::None: return "bias";
    case HopperEpilogue::BiasGelu: return "bias+gelu";
    case HopperEpilogue::Residual: return "bias+residual";
    }
    return "?";
}

// hopper_gemm_bench_timing.cu: each layer at each token count and dtype, ours (with its epilogue
// and plain) beside cublasLt (with the same epilogue and plain) and cublasGemmEx; one line each.
void timeLayers(const std::vector<Layer>& layers, const std::vector<int64_t>& tokens, const std::vector<bool>& dtypes,
                int reps);

} // namespace bertbench::gemmbench

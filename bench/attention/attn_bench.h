// Shared by the parts of the attention kernels' benchmark, one executable: main and the library's
// kernels (attn_bench.cu), the correctness checks (attn_bench_check.cu), the timing tables
// (attn_bench_timing.cu) and the bench-only tile shapes (attn_bench_variants.cu). Here: the error
// check, the random inputs and lengths, the element conversions, and the kernel-under-test handle
// that the parts pass to each other.
//
// Build: with those files, the CMake target bertbench-attn-bench (kernels/CMakeLists.txt).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "kernels/attention/FusedAttention.h"

#define CUDA_CHECK(expr)                                                                        \
    do {                                                                                        \
        cudaError_t e_ = (expr);                                                                \
        if (e_ != cudaSuccess) {                                                                \
            std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, cudaGetErrorString(e_)); \
            std::exit(2);                                                                       \
        }                                                                                       \
    } while (0)

namespace bertbench::attnbench {

using namespace bertbench::attention;

// ---- inputs ------------------------------------------------------------------------------------

struct Rng {
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double normal()
    {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
};

// DESIGN.md's lengths: Normal((1 − pad)·S, 10), toward zero, clamped to [1, S].
inline std::vector<int32_t> drawLengths(int batch, int seqLen, double pad, uint64_t seed)
{
    Rng rng{seed};
    std::vector<int32_t> lengths(static_cast<size_t>(batch));
    for (auto& len : lengths) {
        const double x = (1.0 - pad) * seqLen + 10.0 * rng.normal();
        len = std::clamp(int(std::trunc(x)), 1, seqLen);
    }
    return lengths;
}

inline uint16_t toBits(float x, AttnDType t)
{
    if (t == AttnDType::F16) return __half_raw(__float2half_rn(x)).x;
    return __nv_bfloat16_raw(__float2bfloat16_rn(x)).x;
}

inline float fromBits(uint16_t b, AttnDType t)
{
    if (t == AttnDType::F16) {
        __half_raw r;
        r.x = b;
        return __half2float(__half(r));
    }
    __nv_bfloat16_raw r;
    r.x = b;
    return __bfloat162float(__nv_bfloat16(r));
}

inline const char* dtypeName(AttnDType t) { return t == AttnDType::F16 ? "fp16" : "bf16"; }

// ---- the kernel under test -------------------------------------------------------------------

// A kernel under test: a name and how to launch it for varlen (cu != null) or padded (lengths).
struct Kernel {
    std::string name;
    int headDim;
    AttnDType dtype;
    std::function<void(const FusedAttentionParams&, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t)> launch;
};

// The timing shape: bert-base's attention unless a table says otherwise.
struct TimingShape {
    int batch = 128, seqLen = 512, heads = 12, headDim = 64;
    std::vector<int32_t> lengths;   // real tokens per row
};

// ---- the parts, one file each -----------------------------------------------------------------

// attn_bench_variants.cu: the bench-only tile shapes of the FlashAttention-2 kernel.
std::vector<Kernel> variants();

// attn_bench_check.cu: each kernel in both modes on every check case; prints a table, returns
// whether all passed. quick: the odd-length and pad-0.75 cases only.
bool checkKernels(const std::vector<Kernel>& kernels, uint64_t seed, bool quick = false);

// attn_bench_timing.cu: one kernel on one shape, {varlen ms, padded ms}; and a table of kernels
// over the given pad fractions.
std::pair<double, double> timeKernel(const Kernel& k, const TimingShape& sh);
void timeTable(const std::vector<Kernel>& kernels, const char* title, const std::vector<double>& pads);

} // namespace bertbench::attnbench

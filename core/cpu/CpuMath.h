#pragma once
// Branch-free float exp and exact-GELU approximations, written as plain arithmetic so loops
// over arrays auto-vectorise (libm's expf/erff are scalar calls and would dominate softmax
// and GELU). Both are accurate to a few 1e-7 relative, far inside the 1e-4 HF tolerance.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

// Hot element-wise loops get AVX-512 and AVX2+FMA clones picked at load time (ifunc), so the
// portable x86-64 build still runs wide vectors where the CPU has them.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define BERTBENCH_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define BERTBENCH_VECTOR_CLONES
#endif

namespace bertbench::cpu {

// e^x; 0 below -87 (so masked −inf and lowest() scores vanish), saturates above 88.7.
inline float expApprox(float x) {
    const float xc = std::min(std::max(x, -87.0f), 88.7f);
    const float t = xc * 1.44269504088896341f;
    const float n = (t + 12582912.0f) - 12582912.0f;        // round to nearest (|t| < 2^22)
    float r = xc - n * 0.693145751953125f;                   // ln2, high part (exact product)
    r = r - n * 1.428606765330187e-06f;                      // ln2, low part; |r| <= 0.347
    // Taylor series of e^r to r^7: error < 5e-9 on |r| <= 0.347.
    const float p =
        1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
    const int32_t bits = std::bit_cast<int32_t>(p) + (int32_t(n) << 23);
    const float e = std::bit_cast<float>(bits);
    return x < -87.0f ? 0.0f : e;
}

// erfc(z) for z >= 0 (Abramowitz & Stegun 7.1.26, |error| <= 1.5e-7).
inline float erfcNonNegative(float z) {
    const float t = 1.0f / (1.0f + 0.3275911f * z);
    const float poly =
        t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
    return poly * expApprox(-z * z);
}

// Exact GELU: x/2 · (1 + erf(x/√2)), with 1 + erf(z) = 2 − erfc(z) for z >= 0 and erfc(−z) for z < 0.
inline float geluErf(float x) {
    const float z = x * 0.70710678118654752f;
    const float c = erfcNonNegative(std::abs(z));
    const float onePlusErf = z >= 0.0f ? 2.0f - c : c;
    return 0.5f * x * onePlusErf;
}

} // namespace bertbench::cpu

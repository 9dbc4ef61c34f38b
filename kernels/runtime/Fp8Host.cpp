#include "kernels/runtime/Fp8Host.h"

#include <cmath>
#include <cstring>

namespace bertbench::cuda {

uint8_t floatToE4m3(float x) {
    if (std::isnan(x)) return 0x7F;
    const uint8_t sign = std::signbit(x) ? 0x80 : 0x00;
    float a = std::fabs(x);
    if (a >= 448.0f) return sign | 0x7E;   // saturate (SATFINITE): 0x7E = 448
    // Candidates are k · 2^(e-3) for the exponent of a; round to nearest even on the mantissa.
    // Subnormals (a < 2^-6): multiples of 2^-9.
    int e;
    std::frexp(a, &e);              // a = m · 2^e, m in [0.5, 1)
    int exp = e - 1;                // a in [2^exp, 2^(exp+1))
    if (exp < -6) exp = -6;         // subnormal range shares the step of 2^-6's binade
    const float step = std::ldexp(1.0f, exp - 3);
    float q = std::nearbyint(a / step);   // round half to even (default rounding mode)
    float v = q * step;
    if (v >= 448.0f) return sign | 0x7E;
    if (v == 0.0f) return sign;
    int ve;
    std::frexp(v, &ve);
    int vexp = ve - 1;
    if (vexp < -6) {   // subnormal: mantissa = v / 2^-9
        return uint8_t(sign | uint8_t(int(v / std::ldexp(1.0f, -9))));
    }
    const int biased = vexp + 7;
    const int mant = int(std::ldexp(v, -vexp) * 8.0f) - 8;   // v / 2^vexp in [1, 2) → 3 bits
    return uint8_t(sign | uint8_t(biased << 3) | uint8_t(mant));
}

float e4m3ToFloat(uint8_t bits) {
    const bool negative = (bits & 0x80) != 0;
    const int exp = (bits >> 3) & 0xF, mant = bits & 0x7;
    if (exp == 0xF && mant == 0x7) return std::nanf("");
    float v = exp == 0 ? std::ldexp(float(mant), -9) : std::ldexp(1.0f + float(mant) / 8.0f, exp - 7);
    return negative ? -v : v;
}

std::vector<uint8_t> quantizeE4m3Reference(const std::vector<float>& x, float scale) {
    std::vector<uint8_t> out(x.size());
    const float inv = 1.0f / scale;
    for (size_t i = 0; i < x.size(); ++i) out[i] = floatToE4m3(x[i] * inv);
    return out;
}

float absMaxReference(const std::vector<float>& x) {
    float m = 0;
    for (float v : x)
        if (!std::isnan(v)) m = std::max(m, std::fabs(v));
    return m;
}

} // namespace bertbench::cuda

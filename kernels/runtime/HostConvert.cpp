#include "kernels/runtime/HostConvert.h"

#include <cmath>
#include <cstring>

namespace bertbench::cuda {

uint16_t floatToHalfBits(float value) {
    uint32_t x = 0;
    std::memcpy(&x, &value, sizeof x);
    const uint32_t sign = (x >> 16) & 0x8000u;
    const uint32_t exponent = (x >> 23) & 0xffu;
    uint32_t mantissa = x & 0x7fffffu;
    if (exponent == 0xffu) return uint16_t(sign | 0x7c00u | (mantissa ? 0x200u | (mantissa >> 13) : 0u));
    const int e = int(exponent) - 127 + 15;
    if (e >= 31) return uint16_t(sign | 0x7c00u);
    if (e <= 0) {
        if (e < -10) return uint16_t(sign);
        mantissa |= 0x800000u;
        const int shift = 14 - e;
        const uint32_t rest = mantissa & ((1u << shift) - 1u);
        const uint32_t halfway = 1u << (shift - 1);
        uint32_t m = mantissa >> shift;
        if (rest > halfway || (rest == halfway && (m & 1u))) ++m;
        return uint16_t(sign | m);
    }
    uint32_t result = sign | (uint32_t(e) << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (result & 1u))) ++result;   // a carry rounds up into the exponent
    return uint16_t(result);
}

float halfBitsToFloat(uint16_t bits) {
    const uint32_t sign = uint32_t(bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1fu;
    const uint32_t mantissa = bits & 0x3ffu;
    uint32_t x = 0;
    if (exponent == 0x1fu) {
        x = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent == 0) {
        const float v = std::ldexp(float(mantissa), -24);
        return sign ? -v : v;
    } else {
        x = sign | ((exponent - 15u + 127u) << 23) | (mantissa << 13);
    }
    float value = 0;
    std::memcpy(&value, &x, sizeof value);
    return value;
}

uint16_t floatToBf16Bits(float value) {
    uint32_t x = 0;
    std::memcpy(&x, &value, sizeof x);
    if ((x & 0x7fffffffu) > 0x7f800000u) return uint16_t((x >> 16) | 0x40u);   // quiet NaN
    x += 0x7fffu + ((x >> 16) & 1u);
    return uint16_t(x >> 16);
}

float bf16BitsToFloat(uint16_t bits) {
    const uint32_t x = uint32_t(bits) << 16;
    float value = 0;
    std::memcpy(&value, &x, sizeof value);
    return value;
}

void convertFromFloat(DType dtype, const float* src, size_t count, void* dst) {
    switch (dtype) {
    case DType::Float32: std::memcpy(dst, src, count * sizeof(float)); return;
    case DType::Float16: {
        auto* out = static_cast<uint16_t*>(dst);
        for (size_t i = 0; i < count; ++i) out[i] = floatToHalfBits(src[i]);
        return;
    }
    case DType::BFloat16: {
        auto* out = static_cast<uint16_t*>(dst);
        for (size_t i = 0; i < count; ++i) out[i] = floatToBf16Bits(src[i]);
        return;
    }
    }
}

void convertToFloat(DType dtype, const void* src, size_t count, float* dst) {
    switch (dtype) {
    case DType::Float32: std::memcpy(dst, src, count * sizeof(float)); return;
    case DType::Float16: {
        const auto* in = static_cast<const uint16_t*>(src);
        for (size_t i = 0; i < count; ++i) dst[i] = halfBitsToFloat(in[i]);
        return;
    }
    case DType::BFloat16: {
        const auto* in = static_cast<const uint16_t*>(src);
        for (size_t i = 0; i < count; ++i) dst[i] = bf16BitsToFloat(in[i]);
        return;
    }
    }
}

} // namespace bertbench::cuda

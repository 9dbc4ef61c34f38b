#pragma once
// fp8 e4m3 on the host: the CPU reference of ops/Fp8Ops.h's kernels (and of what cuBLASLt reads).
// e4m3 (OCP FP8, "E4M3FN"): 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinities; 0x7F/0xFF
// are NaN; largest finite 448, smallest subnormal 2^-9. Conversion rounds to nearest even and,
// as __NV_SATFINITE does, saturates finite values beyond ±448 to ±448; NaN stays NaN.
#include <cstdint>
#include <vector>

namespace bertbench::cuda {

uint8_t floatToE4m3(float x);
float e4m3ToFloat(uint8_t bits);

// The reference of quantizeE4m3 on a contiguous [rows, cols] fp32 matrix with a given scale.
std::vector<uint8_t> quantizeE4m3Reference(const std::vector<float>& x, float scale);
// max |x| (NaN ignored), as absMax.
float absMaxReference(const std::vector<float>& x);

} // namespace bertbench::cuda

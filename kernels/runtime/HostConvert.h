#pragma once
// fp32 ↔ fp16 / bf16 on the host, bit-exact round-to-nearest-even (the rounding of torch's
// .half() / .bfloat16()), for uploading weights and reading outputs back. Plain C++.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/backend/Task.h"

namespace bertbench::cuda {

uint16_t floatToHalfBits(float value);
float halfBitsToFloat(uint16_t bits);
uint16_t floatToBf16Bits(float value);
float bf16BitsToFloat(uint16_t bits);

// count fp32 values → dtype elements at dst (dst holds count · elementSize bytes).
void convertFromFloat(DType dtype, const float* src, size_t count, void* dst);
// count dtype elements → fp32.
void convertToFloat(DType dtype, const void* src, size_t count, float* dst);

} // namespace bertbench::cuda

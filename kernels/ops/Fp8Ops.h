#pragma once
// fp8 (e4m3) quantization for the fp8 linear layers (model/Fp8LinearLayer.h).
//
// Per-tensor scaling: q = saturate_e4m3(x / scale), x ≈ q · scale, scale = amax / 448 (448 is
// e4m3's largest finite value), so the tensor's largest magnitude maps to e4m3's largest. Values
// beyond it (an activation larger than the calibration saw) saturate to ±448 rather than becoming
// NaN (__NV_SATFINITE). Round to nearest even, as cuda_fp8.h's conversion does.
//
// absMax: the largest |x| of a [rows, cols] matrix with row stride ld, written to one device float
// (set to 0 first by the call itself, on the stream). NaN inputs are ignored by fmaxf.
// quantizeE4m3: out[rows, cols] (contiguous, 1 byte each) = saturate(x / *scale), the scale read
// on the device (so a static scale set at load is captured by reference in a CUDA graph).
//
// CPU reference: runtime/Fp8Host.h (floatToE4m3, e4m3ToFloat, quantizeE4m3Reference).
// Check: verify/Fp8Checks.cpp (bit-exact against the reference on a spread of values, saturation,
// absMax).
#include <cstdint>

#include <cuda_runtime.h>

#include "core/backend/Task.h"

namespace bertbench::cuda::ops {

constexpr float kE4m3Max = 448.0f;

// x: fp32, fp16 or bf16 (`dtype`).
void absMax(DType dtype, const void* x, int64_t rows, int cols, int64_t ld, float* amax, cudaStream_t stream);
void quantizeE4m3(DType dtype, void* out, const void* x, int64_t rows, int cols, int64_t ld, const float* scale,
                  cudaStream_t stream);
// scale = max(*amax, tiny) / 448 on the device (one thread), for a weight quantized at load.
void scaleFromAmax(const float* amax, float* scale, cudaStream_t stream);

} // namespace bertbench::cuda::ops

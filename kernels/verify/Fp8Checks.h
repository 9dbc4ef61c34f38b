#pragma once
// Fp8Checks.cpp: the fp8 path's kernels against their CPU twins (runtime/Fp8Host.h):
//   quantizeE4m3  bit-exact against floatToE4m3 on values across e4m3's range, its subnormals,
//                 ties, and beyond ±448 (saturation); from fp16 and fp32 inputs
//   absMax        exact against absMaxReference
//   fp8 linear    (compute capability 8.9+ only; skipped with a PASS-less note before) the fp8
//                 layer (model/Fp8LinearLayer.h) after its calibration call, against a double
//                 product of the dequantized e4m3 weight and input (the same scales, computed on
//                 the host) + bias / GELU(tanh) / residual, rounded to fp16: the error is the GEMM's
//                 accumulation order and the fp16 output only (tolerance 2e-3 rel L2, fp16's);
//                 the quantization error itself is what `verify`'s model checks and the task
//                 agreement measure.
#include "kernels/verify/KernelCheckFamilies.h"

namespace bertbench::cuda {

void addFp8Checks(CheckDevice& dev, Rng& rng, CheckList& list);

} // namespace bertbench::cuda

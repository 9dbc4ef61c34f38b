#pragma once
// The sweep-start GEMM probe: this GPU's attainable dense GEMM rate in one dtype,
// the denominator of every cell's "% of peak". A square cublasGemmEx (n = 8192, fp32
// accumulation, the model's math mode: no TF32 for fp32) — for fp8 the cuBLASLt matmul the fp8
// layers run (e4m3 in, fp16 out, fp32 accumulate; throws before compute capability 8.9) —
// random finite inputs, a few untimed
// repeats to settle clocks and plans, then the best of the timed repeats (CUDA events).
// The operands are allocated with cudaMalloc directly and freed before returning: the probe
// runs once, before any cell, and must not show up in a backend's peak memory.
#include "core/backend/Task.h"
#include "kernels/runtime/CudaContext.h"

namespace bertbench::cuda {

// TFLOP/s (1e12 FLOP/s, 2·n³ FLOPs per GEMM). Throws BackendError / OutOfMemoryError.
double measureGemmPeakTflops(CudaContext& context, DType dtype);

} // namespace bertbench::cuda

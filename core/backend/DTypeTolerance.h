#pragma once
// How far a whole forward's output in a reduced-precision dtype may be from an fp32 reference
// (rel L2 over real positions): what `verify` and `verify --reference` judge fp16, bf16 and fp8 by.
//   fp16  3e-3     its rounding over a forward
//   bf16  2e-2     bf16 keeps 8 significant bits
//   fp8   1.25e-1  measured over seeds as bf16's was: bert-base, every cuda:* backend and task,
//                  seeds 1, 2, 3 and 21 on an H100 (docs/results/2026-12-06-fp8-offline): pooled
//                  rel L2 4.4e-2 to 8.3e-2 (e4m3 keeps 3 mantissa bits), the worst with a 1.5x margin
// fp32's bound depends on the reference (another fp32 backend, or HF's fp32) and is the caller's.
#include "core/backend/Task.h"

namespace bertbench {

// fp16, bf16 or fp8: the bound above; fp32: 0 (the caller's).
double reducedPrecisionTolerance(DType dtype);

} // namespace bertbench

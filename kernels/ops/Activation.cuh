#pragma once
// The activations of the elementwise kernels, in fp32 (bias_act.cu, gated_act.cu).
// CPU reference: core/cpu/CpuOps.cpp:geluInPlace (the same erf GELU); tanh and relu:
// kernels/verify/OpReferences.h:activationReference. Check: kernels/verify/ActivationChecks.cpp.
#include "kernels/ops/Ops.h"

namespace bertbench::cuda::ops {

__device__ __forceinline__ float activate(float x, Activation act) {
    switch (act) {
    case Activation::Gelu: return 0.5f * x * (1.f + erff(x * 0.70710678118654752f));
    case Activation::Tanh: return tanhf(x);
    case Activation::Relu: return fmaxf(x, 0.f);
    default: return x;
    }
}

} // namespace bertbench::cuda::ops

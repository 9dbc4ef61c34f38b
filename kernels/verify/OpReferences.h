#pragma once
// CPU references of the GPU ops that the CPU reference model (core/cpu) has no twin for, in fp32
// on host values already rounded to the dtype. Every other op's twin lives in core/cpu.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/cpu/CpuOps.h"
#include "kernels/ops/Ops.h"

namespace bertbench::cuda {

// act(x) elementwise, in place: GELU is core's exact erf GELU (cpu::geluInPlace).
inline void activationReference(std::vector<float>& x, ops::Activation act) {
    switch (act) {
    case ops::Activation::Gelu: cpu::geluInPlace(x.data(), int64_t(x.size())); break;
    case ops::Activation::Tanh: for (float& v : x) v = std::tanh(v); break;
    case ops::Activation::Relu: for (float& v : x) v = std::max(v, 0.f); break;
    case ops::Activation::None: break;
    }
}

// ops::gatedActivation's twin: in [rows, 2·cols] → out[r, c] = act(in[r, c]) · in[r, cols + c].
inline std::vector<float> gatedActivationReference(const std::vector<float>& in, int64_t rows, int cols,
                                                   ops::Activation act) {
    std::vector<float> a(size_t(rows) * size_t(cols)), out(a.size());
    for (int64_t r = 0; r < rows; ++r)
        std::copy_n(in.begin() + r * 2 * cols, cols, a.begin() + r * cols);
    activationReference(a, act);
    for (int64_t r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) out[size_t(r * cols + c)] = a[size_t(r * cols + c)] * in[size_t(r * 2 * cols + cols + c)];
    return out;
}

} // namespace bertbench::cuda

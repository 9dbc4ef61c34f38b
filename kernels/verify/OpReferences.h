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

// A RoPE table as ops::RotaryTable holds it: [positions, headDim/2] (cos, sin) pairs of
// p · θ^(−2d/headDim), computed in double and rounded once (the kernels and the twins below read
// the same values; the model's own table is checked through verify against the CPU model).
inline std::vector<float> rotaryTableReference(int positions, int headDim, double theta) {
    const int half = headDim / 2;
    std::vector<float> t(size_t(positions) * size_t(half) * 2);
    for (int p = 0; p < positions; ++p)
        for (int d = 0; d < half; ++d) {
            const double angle = double(p) * std::pow(theta, -2.0 * d / headDim);
            t[(size_t(p) * half + size_t(d)) * 2] = float(std::cos(angle));
            t[(size_t(p) * half + size_t(d)) * 2 + 1] = float(std::sin(angle));
        }
    return t;
}

// ops::rotaryEmbedding's (and the eager split's) twin, CpuModernBertModel::applyRotary's formula:
// the q and k columns of qkv rows [rows, 3·heads·headDim] rotated in place, row r at position
// positions[r]: (x₁, x₂) → (x₁·cos − x₂·sin, x₂·cos + x₁·sin), d paired with d + headDim/2.
inline void rotaryReference(std::vector<float>& qkv, const std::vector<int>& positions, int heads, int headDim,
                            const std::vector<float>& table) {
    const int hidden = heads * headDim, half = headDim / 2;
    for (size_t r = 0; r < positions.size(); ++r) {
        const float* cs = table.data() + size_t(positions[r]) * size_t(half) * 2;
        for (int part = 0; part < 2; ++part)
            for (int h = 0; h < heads; ++h) {
                float* x = qkv.data() + r * size_t(3 * hidden) + size_t(part * hidden + h * headDim);
                for (int d = 0; d < half; ++d) {
                    const float a = x[d], b = x[d + half], c = cs[2 * d], sn = cs[2 * d + 1];
                    x[d] = a * c - b * sn;
                    x[d + half] = b * c + a * sn;
                }
            }
    }
}

// ops::meanPoolRows's twin (CpuModernBertModel::head's mean pooling): out[b] = mean of in's rows
// first[b] … first[b] + lengths[b] − 1, summed in double.
inline std::vector<float> meanPoolReference(const std::vector<float>& in, const std::vector<int64_t>& first,
                                            const std::vector<int>& lengths, int cols) {
    std::vector<float> out(lengths.size() * size_t(cols));
    for (size_t b = 0; b < lengths.size(); ++b)
        for (int c = 0; c < cols; ++c) {
            double sum = 0;
            for (int s = 0; s < lengths[b]; ++s) sum += in[size_t(first[b] + s) * size_t(cols) + size_t(c)];
            out[b * size_t(cols) + size_t(c)] = float(sum / lengths[b]);
        }
    return out;
}

} // namespace bertbench::cuda

// The elementwise activation kernels: ops::biasActivation (the fp32 FFN's bias + GELU after a
// plain GEMM, the pooler's tanh) against core's cpu::geluInPlace / std::tanh, and
// ops::gatedActivation (GeGLU and its kin) against gatedActivationReference (OpReferences.h).
// Widths that are and are not a multiple of the 16-byte vector: both kernel paths.
#include <string>
#include <vector>

#include "kernels/ops/Ops.h"
#include "kernels/verify/KernelCheckFamilies.h"
#include "kernels/verify/OpReferences.h"

namespace bertbench::cuda {

namespace {

const char* activationName(ops::Activation act) {
    switch (act) {
    case ops::Activation::Gelu: return "gelu";
    case ops::Activation::Tanh: return "tanh";
    case ops::Activation::Relu: return "relu";
    case ops::Activation::None: return "none";
    }
    return "?";
}

KernelCheck checkBiasActivation(CheckDevice& dev, Rng& rng, DType dtype, ops::Activation act, int rows, int cols) {
    auto in = randomValues(rng, size_t(rows) * cols, 0, 2, dtype);
    auto bias = randomValues(rng, size_t(cols), 0, 0.5, dtype);
    auto dIn = dev.upload(in, dtype), dBias = dev.upload(bias, dtype);
    auto out = dev.poisoned(in.size(), dtype);
    ops::biasActivation(dtype, out.get(), dIn.get(), dBias.get(), rows, cols, cols, act, dev.context().stream());
    std::vector<float> want = in;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) want[size_t(r) * cols + c] += bias[size_t(c)];
    activationReference(want, act);
    return compare(std::string("bias+") + activationName(act) + " " + std::to_string(rows) + "x" + std::to_string(cols),
                   dtype, dev.download(out, want.size(), dtype), want);
}

KernelCheck checkGatedActivation(CheckDevice& dev, Rng& rng, DType dtype, ops::Activation act, int rows, int cols) {
    auto in = randomValues(rng, size_t(rows) * 2 * cols, 0, 1.5, dtype);
    auto dIn = dev.upload(in, dtype);
    auto out = dev.poisoned(size_t(rows) * cols, dtype);
    ops::gatedActivation(dtype, out.get(), dIn.get(), rows, cols, act, dev.context().stream());
    const std::vector<float> want = gatedActivationReference(in, rows, cols, act);
    return compare(std::string("gated ") + activationName(act) + " " + std::to_string(rows) + "x" + std::to_string(cols),
                   dtype, dev.download(out, want.size(), dtype), want);
}

} // namespace

void addActivationChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    using A = ops::Activation;
    list.run("bias+gelu", dtype, [&] { return checkBiasActivation(dev, rng, dtype, A::Gelu, 33, 3072); });
    list.run("bias+gelu", dtype, [&] { return checkBiasActivation(dev, rng, dtype, A::Gelu, 7, 10); });
    list.run("bias+tanh", dtype, [&] { return checkBiasActivation(dev, rng, dtype, A::Tanh, 4, 768); });
    list.run("gated activation", dtype, [&] { return checkGatedActivation(dev, rng, dtype, A::Gelu, 33, 3072); });
    list.run("gated activation", dtype, [&] { return checkGatedActivation(dev, rng, dtype, A::Relu, 7, 10); });
}

} // namespace bertbench::cuda

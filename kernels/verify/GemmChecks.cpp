// Gemm's linear layers (runtime/Gemm.h: cublasLt with the bias, bias + GELU and bias + residual
// epilogues fused) against a double-precision CPU twin written here: x·Wᵀ + bias, then the GELU
// in the form the call uses (the epilogue's tanh approximation in fp16/bf16, erf in fp32) or the
// residual. Each epilogue also without a bias (ModernBERT's linear layers): no bias is read, cublasLt
// runs its plain or GELU epilogue.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/ops/Ops.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/KernelOptions.h"
#include "kernels/verify/KernelCheckFamilies.h"

namespace bertbench::cuda {

namespace {

enum class Epilogue { Bias, BiasGelu, BiasResidual };

double geluTanh(double x) { return 0.5 * x * (1.0 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
double geluErf(double x) { return 0.5 * x * (1.0 + std::erf(x * 0.7071067811865476)); }

// The first call picks (and, autotuning, times) the algorithm on these buffers; the output is
// then poisoned again and the second call is the one compared.
KernelCheck checkLinear(CheckDevice& dev, Rng& rng, DType dtype, Epilogue epilogue, int rows, int in, int out,
                        bool withBias = true) {
    auto x = randomValues(rng, size_t(rows) * in, 0, 1, dtype);
    auto w = randomValues(rng, size_t(out) * in, 0, 1.0 / std::sqrt(double(in)), dtype);
    auto bias = randomValues(rng, size_t(out), 0, 0.5, dtype);
    auto residual = randomValues(rng, size_t(rows) * out, 0.5, 1, dtype);
    if (!withBias) std::fill(bias.begin(), bias.end(), 0.f);
    auto dX = dev.upload(x, dtype), dW = dev.upload(w, dtype), dBias = dev.upload(bias, dtype);
    const void* biasPtr = withBias ? dBias.get() : nullptr;
    auto dRes = dev.upload(residual, dtype);
    dev.context().ensureWorkspace();
    Gemm gemm(dev.context(), KernelOptions::fromEnvironment().gemmAutotune);
    const size_t count = size_t(rows) * out;
    auto y = dev.poisoned(count, dtype);
    auto call = [&] {
        switch (epilogue) {
        case Epilogue::Bias: gemm.linear(dtype, y.get(), dX.get(), dW.get(), biasPtr, rows, in, out); break;
        case Epilogue::BiasGelu: gemm.linearGelu(dtype, y.get(), dX.get(), dW.get(), biasPtr, rows, in, out); break;
        case Epilogue::BiasResidual:
            gemm.linearResidual(dtype, y.get(), dX.get(), dW.get(), biasPtr, dRes.get(), rows, in, out);
            break;
        }
    };
    call();
    ops::fillBytes(y.get(), 0xff, count * elementSize(dtype), dev.context().stream());
    call();
    const bool tanhGelu = Gemm::geluIsTanhApproximation(dtype);
    std::vector<float> want(count);
    for (int r = 0; r < rows; ++r) {
        for (int o = 0; o < out; ++o) {
            double acc = bias[size_t(o)];
            const float* xr = x.data() + size_t(r) * in;
            const float* wr = w.data() + size_t(o) * in;
            for (int k = 0; k < in; ++k) acc += double(xr[k]) * double(wr[k]);
            if (epilogue == Epilogue::BiasGelu) acc = tanhGelu ? geluTanh(acc) : geluErf(acc);
            if (epilogue == Epilogue::BiasResidual) acc += residual[size_t(r) * out + o];
            want[size_t(r) * out + o] = float(acc);
        }
    }
    const std::string what = epilogue == Epilogue::Bias ? "gemm+bias "
                             : epilogue == Epilogue::BiasGelu
                                 ? (tanhGelu ? "gemm+bias+gelu(tanh epilogue) " : "gemm+bias+gelu(erf) ")
                                 : "gemm+bias+residual(epilogue) ";
    return compare(what + (withBias ? "" : "(no bias) ") + std::to_string(rows) + "x" + std::to_string(in) + "x" + std::to_string(out), dtype,
                   dev.download(y, count, dtype), want);
}

} // namespace

void addGemmChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    using E = Epilogue;
    list.run("gemm+bias", dtype, [&] { return checkLinear(dev, rng, dtype, E::Bias, 37, 768, 2304); });
    list.run("gemm+gelu", dtype, [&] { return checkLinear(dev, rng, dtype, E::BiasGelu, 37, 768, 3072); });
    list.run("gemm+gelu", dtype, [&] { return checkLinear(dev, rng, dtype, E::BiasGelu, 5, 64, 40); });
    list.run("gemm+residual", dtype, [&] { return checkLinear(dev, rng, dtype, E::BiasResidual, 37, 256, 768); });
    list.run("gemm+residual", dtype, [&] { return checkLinear(dev, rng, dtype, E::BiasResidual, 8, 3072, 768); });
    // Without a bias (ModernBERT: Wqkv, Wo, Wi, the prediction head's dense layer).
    list.run("gemm (no bias)", dtype, [&] { return checkLinear(dev, rng, dtype, E::Bias, 37, 768, 2304, false); });
    list.run("gemm+gelu (no bias)", dtype, [&] { return checkLinear(dev, rng, dtype, E::BiasGelu, 37, 768, 768, false); });
    list.run("gemm+residual (no bias)", dtype,
             [&] { return checkLinear(dev, rng, dtype, E::BiasResidual, 37, 1152, 768, false); });
}

} // namespace bertbench::cuda

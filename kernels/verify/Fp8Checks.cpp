#include "kernels/verify/Fp8Checks.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/cpu/CpuOps.h"
#include "kernels/model/Fp8LinearLayer.h"
#include "kernels/ops/Fp8Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Fp8Host.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/KernelOptions.h"

namespace bertbench::cuda {

namespace {

// Values spanning e4m3 after scaling by `scale`: normals, subnormals, exact ties, beyond 448.
std::vector<float> spreadValues(Rng& rng, size_t n, float scale) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) {
        const double kind = rng.uniform();
        double x;
        if (kind < 0.6) x = 40 * rng.normal();                               // the bulk
        else if (kind < 0.75) x = 0.01 * rng.normal();                       // subnormals
        else if (kind < 0.9) x = (rng.uniform() < 0.5 ? -1 : 1) * (500 + 1000 * rng.uniform());   // saturate
        else {   // a tie: halfway between two neighbouring e4m3 values
            const uint8_t b = uint8_t(rng.uniform() * 0x7D);
            x = 0.5 * (double(e4m3ToFloat(b)) + double(e4m3ToFloat(uint8_t(b + 1))));
        }
        v[i] = float(x) * scale;
    }
    return v;
}

std::vector<uint8_t> downloadBytes(CheckDevice& dev, const DeviceBuffer& b, size_t n) {
    dev.context().synchronize();
    std::vector<uint8_t> out(n);
    BB_CUDA_CHECK(cudaMemcpy(out.data(), b.get(), n, cudaMemcpyDeviceToHost));
    return out;
}

KernelCheck exactCheck(const std::string& name, DType dtype, const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
    KernelCheck c;
    c.name = name;
    c.dtype = dtype;
    size_t wrong = 0, first = want.size();
    for (size_t i = 0; i < want.size(); ++i)
        if (got[i] != want[i]) {
            if (first == want.size()) first = i;
            ++wrong;
        }
    c.relL2 = want.empty() ? 0 : double(wrong) / double(want.size());
    c.tolerance = 0;
    c.pass = wrong == 0;
    if (!c.pass) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%zu of %zu bytes differ; first at %zu: got 0x%02x, want 0x%02x", wrong,
                      want.size(), first, got[first], want[first]);
        c.failure = buf;
    }
    return c;
}

// ld > cols: the rows are strided, the columns beyond cols are not read (the reference sees only
// the [rows, cols] part). Shapes cover both kernels: whole 16-byte vectors a row, and not.
KernelCheck checkQuantize(CheckDevice& dev, Rng& rng, DType dtype, int rows, int cols, int ld) {
    const float scale = 0.37f;
    const std::vector<float> x = roundedTo(dtype, spreadValues(rng, size_t(rows) * ld, scale));   // what the device sees
    std::vector<float> real;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) real.push_back(x[size_t(r) * ld + c]);
    auto dX = dev.upload(x, dtype);
    auto dScale = dev.upload({scale}, DType::Float32);
    DeviceBuffer q(dev.allocator(), real.size(), "fp8 check output");
    ops::fillBytes(q.get(), 0x7f, real.size(), dev.context().stream());   // NaN in e4m3: unwritten bytes fail
    ops::quantizeE4m3(dtype, q.get(), dX.get(), rows, cols, ld, dScale.as<float>(), dev.context().stream());
    return exactCheck("fp8 quantize e4m3 " + std::to_string(rows) + "x" + std::to_string(cols) + " ld " +
                          std::to_string(ld),
                      dtype, downloadBytes(dev, q, real.size()), quantizeE4m3Reference(real, scale));
}

KernelCheck checkAbsMax(CheckDevice& dev, Rng& rng, DType dtype, int rows, int cols, int ld) {
    std::vector<float> x = randomValues(rng, size_t(rows) * ld, 0, 3, dtype);
    std::vector<float> real;   // the [rows, cols] part the call reads
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) real.push_back(x[size_t(r) * ld + c]);
    x[size_t(ld - 1)] = 1e4f;   // outside the columns read when ld > cols: must not count
    if (ld == cols) real[size_t(cols - 1)] = 1e4f;
    auto dX = dev.upload(x, dtype);
    auto amax = dev.poisoned(1, DType::Float32);
    ops::absMax(dtype, dX.get(), rows, cols, ld, amax.as<float>(), dev.context().stream());
    return compare("fp8 absmax " + std::to_string(rows) + "x" + std::to_string(cols) + " ld " + std::to_string(ld),
                   DType::Float32, dev.download(amax, 1, DType::Float32), {absMaxReference(real)});
}

double geluTanh(double x) { return 0.5 * x * (1.0 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))); }

// A layer's call on device buffers (residual may be null).
LinearArgs argsOf(void* y, const void* x, const void* weight, const void* bias, const void* residual, int rows) {
    LinearArgs a;
    a.y = y;
    a.x = x;
    a.weight = weight;
    a.bias = bias;
    a.residual = residual;
    a.rows = rows;
    return a;
}

// The calibration run, as at load: quantizes the weight, records the input's amax, computes in
// fp16; the input scale is fixed after it.
void calibrate(Fp8Linear& layer, const LinearArgs& a) {
    layer.setCalibrating(true);
    layer.run(a);
    layer.setCalibrating(false);
}

// The exact result of an fp8 layer's quantized operands, the reference of every fp8 layer check:
// x and w quantized as the layer does (scale = amax / 448), their product in double, then the
// epilogue (bias; GELU, tanh form, for Activation; + residual for Residual).
std::vector<float> fp8LayerReference(const std::vector<float>& x, const std::vector<float>& w,
                                     const std::vector<float>& bias, const std::vector<float>& residual,
                                     LinearEpilogue epilogue, int rows, int in, int out) {
    const float wScale = std::max(absMaxReference(w), 1e-12f) / ops::kE4m3Max;
    const float xScale = std::max(absMaxReference(x), 1e-12f) / ops::kE4m3Max;
    const std::vector<uint8_t> w8 = quantizeE4m3Reference(w, wScale), x8 = quantizeE4m3Reference(x, xScale);
    std::vector<float> want(size_t(rows) * out);
    for (int r = 0; r < rows; ++r)
        for (int o = 0; o < out; ++o) {
            double acc = 0;
            for (int k = 0; k < in; ++k)
                acc += double(e4m3ToFloat(x8[size_t(r) * in + k])) * double(e4m3ToFloat(w8[size_t(o) * in + k]));
            acc = acc * double(xScale) * double(wScale) + bias[size_t(o)];
            if (epilogue == LinearEpilogue::Activation) acc = geluTanh(acc);
            if (epilogue == LinearEpilogue::Residual) acc += residual[size_t(r) * out + o];
            want[size_t(r) * out + o] = float(acc);
        }
    return want;
}

KernelCheck checkFp8Linear(CheckDevice& dev, Rng& rng, LinearEpilogue epilogue, int rows, int in, int out) {
    const DType h = DType::Float16;
    auto x = randomValues(rng, size_t(rows) * in, 0, 1, h);
    auto w = randomValues(rng, size_t(out) * in, 0, 1.0 / std::sqrt(double(in)), h);
    auto bias = randomValues(rng, size_t(out), 0, 0.5, h);
    auto residual = randomValues(rng, size_t(rows) * out, 0.5, 1, h);
    auto dX = dev.upload(x, h), dW = dev.upload(w, h), dB = dev.upload(bias, h), dR = dev.upload(residual, h);
    dev.context().ensureWorkspace();
    Gemm gemm(dev.context(), false);
    const ops::Activation act = epilogue == LinearEpilogue::Activation ? ops::Activation::Gelu : ops::Activation::None;
    Fp8Linear layer(LinearSpec{in, out, epilogue, act}, gemm, dev.context(), KernelOptions::fromEnvironment());
    const size_t count = size_t(rows) * out;
    auto y = dev.poisoned(count, h);
    const LinearArgs a = argsOf(y.get(), dX.get(), dW.get(), dB.get(), dR.get(), rows);
    calibrate(layer, a);
    ops::fillBytes(y.get(), 0xff, count * 2, dev.context().stream());
    layer.run(a);
    const std::vector<float> want = fp8LayerReference(x, w, bias, residual, epilogue, rows, in, out);
    const std::string what = epilogue == LinearEpilogue::Bias         ? "fp8 linear+bias "
                             : epilogue == LinearEpilogue::Activation ? "fp8 linear+bias+gelu(tanh) "
                                                                      : "fp8 linear+bias+residual ";
    KernelCheck c = compare(what + std::to_string(rows) + "x" + std::to_string(in) + "x" + std::to_string(out), h,
                            dev.download(y, count, h), want);
    c.dtype = DType::Float8;
    return c;
}


// The LayerNorm that writes the next fp8 layer's input (layernorm.cu's out8): its fp16 rows as
// the plain kernel's (against the CPU reference), and its e4m3 bytes exactly those a quantize pass
// over those fp16 rows writes. The scale makes the row's tails saturate.
KernelCheck checkLayerNormE4m3(CheckDevice& dev, Rng& rng, DType dtype, int rows, int hidden) {
    const float eps = 1e-12f, scale = 2.5f / ops::kE4m3Max;
    auto in = randomValues(rng, size_t(rows) * hidden, 0, 1, dtype);
    auto residual = randomValues(rng, size_t(rows) * hidden, 0.5, 2, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(hidden), 0, 0.2, dtype);
    auto dIn = dev.upload(in, dtype), dRes = dev.upload(residual, dtype), dG = dev.upload(gamma, dtype);
    auto dB = dev.upload(beta, dtype), dScale = dev.upload({scale}, DType::Float32);
    const size_t count = in.size();
    auto out = dev.poisoned(count, dtype);
    DeviceBuffer q(dev.allocator(), count, "fp8 check output");
    ops::fillBytes(q.get(), 0x7f, count, dev.context().stream());   // NaN in e4m3: unwritten bytes fail
    ops::biasResidualLayerNorm(dtype, out.get(), dIn.get(), nullptr, dRes.get(), dG.get(), dB.get(), rows, hidden, eps,
                               dev.context().stream(), q.get(), dScale.as<float>());
    std::vector<float> want(count);
    for (int r = 0; r < rows; ++r)
        cpu::addLayerNormRow(in.data() + size_t(r) * hidden, residual.data() + size_t(r) * hidden,
                             want.data() + size_t(r) * hidden, hidden, gamma.data(), beta.data(), eps);
    const std::string shape = std::to_string(rows) + "x" + std::to_string(hidden);
    const std::vector<float> got = dev.download(out, count, dtype);
    KernelCheck rowsCheck = compare("layernorm with e4m3 out: its " + toString(dtype) + " rows " + shape,
                                    dtype, got, want);
    if (!rowsCheck.pass) return rowsCheck;
    return exactCheck("layernorm with e4m3 out: bytes as a quantize pass over its rows " + shape, dtype,
                      downloadBytes(dev, q, count), quantizeE4m3Reference(got, scale));
}

// e4m3 codes as ordered integers (sign and magnitude): neighbours differ by one.
int orderedE4m3(uint8_t b) { return (b & 0x80) ? -int(b & 0x7f) : int(b & 0x7f); }

// The fused-quantize paths of the fp8 layer, FFN-up's shape (bias + GELU):
//   x8   the input handed over already in e4m3 (quantizedInput), x itself poisoned: the output as
//        the plain fp8 check's reference;
//   y8   the output written in e4m3 for a consumer layer (its input scale from its calibration on
//        this very output): every byte within one e4m3 step of quantizing the exact result, or
//        within 2⁻¹⁰ of the output's largest magnitude of it in value: in GELU's negative tail,
//        where 1 + tanh cancels, cuBLASLt's tanh approximation differs from the exact one by more
//        than e4m3's steps there (on an H100: 0.01–0.04 % of the bytes, 2–4 steps off, all within
//        2.2e-5 of the largest magnitude); and the dequantized values within 5e-2 rel L2 of the
//        exact result (e4m3's rounding alone: ~3.6 % RMS).
// The name says whether cuBLASLt wrote the e4m3 D itself or the layer fell back to a pass.
KernelCheck checkFp8LinearFused(CheckDevice& dev, Rng& rng, bool e4m3Out, int rows, int in, int out) {
    const DType h = DType::Float16;
    auto x = randomValues(rng, size_t(rows) * in, 0, 1, h);
    auto w = randomValues(rng, size_t(out) * in, 0, 1.0 / std::sqrt(double(in)), h);
    auto bias = randomValues(rng, size_t(out), 0, 0.5, h);
    auto dX = dev.upload(x, h), dW = dev.upload(w, h), dB = dev.upload(bias, h);
    dev.context().ensureWorkspace();
    Gemm gemm(dev.context(), false);
    const KernelOptions options = KernelOptions::fromEnvironment();
    Fp8Linear up(LinearSpec{in, out, LinearEpilogue::Activation, ops::Activation::Gelu}, gemm, dev.context(), options);
    const size_t count = size_t(rows) * out;
    auto y = dev.poisoned(count, h);
    LinearArgs a = argsOf(y.get(), dX.get(), dW.get(), dB.get(), nullptr, rows);
    up.reserve(rows);
    calibrate(up, a);
    const std::vector<float> want = fp8LayerReference(x, w, bias, {}, LinearEpilogue::Activation, rows, in, out);
    const std::string shape = std::to_string(rows) + "x" + std::to_string(in) + "x" + std::to_string(out);
    const E4m3View input = up.quantizedInput(dW.get());
    ops::quantizeE4m3(h, input.data, dX.get(), rows, in, in, input.scale, dev.context().stream());
    auto poisonedX = dev.poisoned(x.size(), h);
    a.x = poisonedX.get();   // must not be read
    a.x8 = input.data;
    if (!e4m3Out) {
        ops::fillBytes(y.get(), 0xff, count * 2, dev.context().stream());
        up.run(a);
        KernelCheck c = compare("fp8 linear+bias+gelu(tanh), input quantized before (x8) " + shape, h,
                                dev.download(y, count, h), want);
        c.dtype = DType::Float8;
        return c;
    }
    // The consumer: an FFN-down-shaped fp8 layer calibrated on this output in fp16.
    auto wDown = randomValues(rng, size_t(in) * out, 0, 1.0 / std::sqrt(double(out)), h);
    auto dWDown = dev.upload(wDown, h), dWant = dev.upload(want, h);
    Fp8Linear down(LinearSpec{out, in, LinearEpilogue::Bias, ops::Activation::None}, gemm, dev.context(), options);
    auto yDown = dev.poisoned(size_t(rows) * in, h);
    down.reserve(rows);
    calibrate(down, argsOf(yDown.get(), dWant.get(), dWDown.get(), nullptr, nullptr, rows));
    // The consumer's input scale: from what its calibration saw, the result in fp16.
    const float yScale = std::max(absMaxReference(roundedTo(h, want)), 1e-12f) / ops::kE4m3Max;
    a.y8 = down.quantizedInput(dWDown.get());
    ops::fillBytes(a.y8.data, 0x7f, count, dev.context().stream());   // NaN in e4m3: unwritten bytes fail
    up.run(a);
    dev.context().synchronize();
    std::vector<uint8_t> got(count);
    BB_CUDA_CHECK(cudaMemcpy(got.data(), a.y8.data, count, cudaMemcpyDeviceToHost));
    const std::vector<uint8_t> nearest = quantizeE4m3Reference(want, yScale);
    size_t farOff = 0, first = count;
    double err = 0, ref = 0;
    for (size_t i = 0; i < count; ++i) {
        const bool nan = (got[i] & 0x7f) == 0x7f;
        const double v = nan ? 1e30 : double(e4m3ToFloat(got[i])) * yScale;
        const bool nearZero = std::abs(v - want[i]) <= std::ldexp(double(yScale) * ops::kE4m3Max, -10);
        if (nan || (std::abs(orderedE4m3(got[i]) - orderedE4m3(nearest[i])) > 1 && !nearZero)) {
            if (first == count) first = i;
            ++farOff;
        }
        err += (v - want[i]) * (v - want[i]);
        ref += double(want[i]) * want[i];
    }
    const bool byCublas = up.path().find("e4m3 out for the next fp8 layer") != std::string::npos;
    KernelCheck c;
    c.name = std::string("fp8 linear+bias+gelu(tanh) with e4m3 out (") +
             (byCublas ? "cuBLASLt's D" : "fp16, then a quantize pass") + ") " + shape;
    c.dtype = DType::Float8;
    c.relL2 = std::sqrt(err / std::max(ref, 1e-30));
    c.tolerance = 5e-2;
    c.pass = farOff == 0 && c.relL2 <= c.tolerance;
    if (farOff > 0) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "%zu of %zu bytes more than one e4m3 step (or 2^-10 of the largest) from the exact "
                      "result's; first at %zu: got 0x%02x, nearest 0x%02x", farOff, count, first, got[first], nearest[first]);
        c.failure = buf;
    }
    return c;
}

} // namespace

void addFp8Checks(CheckDevice& dev, Rng& rng, CheckList& list) {
    for (DType dtype : {DType::Float32, DType::Float16}) {
        list.run("fp8 quantize", dtype, [&] { return checkQuantize(dev, rng, dtype, 37, 768, 768); });
        list.run("fp8 quantize", dtype, [&] { return checkQuantize(dev, rng, dtype, 5, 3072, 3072); });
        list.run("fp8 quantize", dtype, [&] { return checkQuantize(dev, rng, dtype, 3, 40, 40); });
        list.run("fp8 quantize", dtype, [&] { return checkQuantize(dev, rng, dtype, 9, 64, 2304); });   // strided
        list.run("fp8 quantize", dtype, [&] { return checkQuantize(dev, rng, dtype, 4, 41, 41); });     // not whole vectors
        list.run("fp8 absmax", dtype, [&] { return checkAbsMax(dev, rng, dtype, 129, 768, 768); });
        list.run("fp8 absmax", dtype, [&] { return checkAbsMax(dev, rng, dtype, 7, 64, 192); });
        list.run("layernorm e4m3 out", dtype, [&] { return checkLayerNormE4m3(dev, rng, dtype, 37, 768); });
        list.run("layernorm e4m3 out", dtype, [&] { return checkLayerNormE4m3(dev, rng, dtype, 5, 1024); });
    }
    const cudaDeviceProp& p = dev.context().properties();
    if (p.major * 10 + p.minor < 89) return;   // no fp8 tensor cores: the backends do not offer fp8 here
    using E = LinearEpilogue;
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8Linear(dev, rng, E::Bias, 37, 768, 2304); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8Linear(dev, rng, E::Activation, 37, 768, 3072); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8Linear(dev, rng, E::Residual, 37, 3072, 768); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8Linear(dev, rng, E::Residual, 256, 1024, 1024); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8LinearFused(dev, rng, false, 37, 768, 3072); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8LinearFused(dev, rng, true, 37, 768, 3072); });
    list.run("fp8 linear", DType::Float8, [&] { return checkFp8LinearFused(dev, rng, true, 128, 256, 1024); });
}

} // namespace bertbench::cuda

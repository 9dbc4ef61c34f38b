#include "kernels/verify/KernelChecks.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>

#include <cuda_runtime_api.h>

#include "core/batch/Batch.h"
#include "core/cpu/CpuAttention.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepRunner.h"
#include "kernels/CudaBertBackend.h"
#include "core/cpu/CpuOps.h"
#include "core/util/Errors.h"
#include "core/util/Random.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/ops/Ops.h"
#include "kernels/ops/SmallLinear.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"
#if __has_include("kernels/attention/FusedAttentionChecks.h")
#include "kernels/attention/FusedAttentionChecks.h"
#define BERTBENCH_HAVE_FUSED_ATTENTION_CHECKS 1
#endif

namespace bertbench::cuda {

namespace {

double opTolerance(DType dtype) {
    switch (dtype) {
    case DType::Float32: return 1e-5;
    case DType::Float16: return 2e-3;
    case DType::BFloat16: return 1.2e-2;
    }
    return 0;
}

// Host values rounded to the dtype (what the device sees), so only the kernel's arithmetic and
// the output rounding are compared.
std::vector<float> randomValues(Rng& rng, size_t n, double mean, double stdev, DType dtype) {
    std::vector<float> v(n);
    for (float& x : v) x = float(mean + stdev * rng.normal());
    std::vector<uint16_t> bits(n);
    if (dtype != DType::Float32) {
        convertFromFloat(dtype, v.data(), n, bits.data());
        convertToFloat(dtype, bits.data(), n, v.data());
    }
    return v;
}

class Device {
public:
    Device() : allocator_(firstUsableDevice()), context_(allocator_.device(), allocator_) {}
    CudaContext& context() { return context_; }

    DeviceBuffer upload(const std::vector<float>& values, DType dtype) {
        const size_t bytes = values.size() * elementSize(dtype);
        DeviceBuffer b(allocator_, bytes, "check input");
        std::vector<unsigned char> raw(bytes);
        convertFromFloat(dtype, values.data(), values.size(), raw.data());
        BB_CUDA_CHECK(cudaMemcpy(b.get(), raw.data(), bytes, cudaMemcpyHostToDevice));
        return b;
    }
    DeviceBuffer uploadInts(const std::vector<int32_t>& values) {
        DeviceBuffer b(allocator_, values.size() * sizeof(int32_t) + 4, "check ints");
        BB_CUDA_CHECK(cudaMemcpy(b.get(), values.data(), values.size() * sizeof(int32_t), cudaMemcpyHostToDevice));
        return b;
    }
    DeviceBuffer poisoned(size_t count, DType dtype) {
        const size_t bytes = count * elementSize(dtype);
        DeviceBuffer b(allocator_, bytes, "check output");
        ops::fillBytes(b.get(), 0xff, bytes, context_.stream());   // NaN in every dtype
        return b;
    }
    std::vector<float> download(const DeviceBuffer& b, size_t count, DType dtype) {
        context_.synchronize();
        std::vector<unsigned char> raw(count * elementSize(dtype));
        BB_CUDA_CHECK(cudaMemcpy(raw.data(), b.get(), raw.size(), cudaMemcpyDeviceToHost));
        std::vector<float> out(count);
        convertToFloat(dtype, raw.data(), count, out.data());
        return out;
    }
    DeviceAllocator& allocator() { return allocator_; }

private:
    DeviceAllocator allocator_;
    CudaContext context_;
};

KernelCheck compare(const std::string& name, DType dtype, const std::vector<float>& got,
                    const std::vector<float>& want) {
    KernelCheck c;
    c.name = name;
    c.dtype = dtype;
    c.tolerance = opTolerance(dtype);
    double diff2 = 0, ref2 = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double d = double(got[i]) - double(want[i]);
        if (std::isnan(d)) {
            c.maxAbs = INFINITY;
            diff2 = INFINITY;
            continue;
        }
        c.maxAbs = std::max(c.maxAbs, std::fabs(d));
        diff2 += d * d;
        ref2 += double(want[i]) * double(want[i]);
    }
    c.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    c.pass = c.relL2 <= c.tolerance;
    return c;
}

KernelCheck checkLayerNorm(Device& dev, Rng& rng, DType dtype, int rows, int hidden) {
    const float eps = 1e-12f;
    auto in = randomValues(rng, size_t(rows) * hidden, 0, 1, dtype);
    auto residual = randomValues(rng, size_t(rows) * hidden, 0.5, 2, dtype);
    auto bias = randomValues(rng, size_t(hidden), 0, 0.1, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(hidden), 0, 0.2, dtype);
    auto dIn = dev.upload(in, dtype), dRes = dev.upload(residual, dtype), dBias = dev.upload(bias, dtype);
    auto dG = dev.upload(gamma, dtype), dB = dev.upload(beta, dtype);
    auto out = dev.poisoned(in.size(), dtype);
    ops::biasResidualLayerNorm(dtype, out.get(), dIn.get(), dBias.get(), dRes.get(), dG.get(), dB.get(), rows, hidden,
                               eps, dev.context().stream());
    std::vector<float> want(in.size());
    for (int r = 0; r < rows; ++r) {
        float* x = in.data() + size_t(r) * hidden;
        for (int c = 0; c < hidden; ++c) x[c] += bias[size_t(c)];
        cpu::addLayerNormRow(x, residual.data() + size_t(r) * hidden, want.data() + size_t(r) * hidden, hidden,
                             gamma.data(), beta.data(), eps);
    }
    return compare("bias+residual+layernorm " + std::to_string(rows) + "x" + std::to_string(hidden), dtype,
                   dev.download(out, want.size(), dtype), want);
}

KernelCheck checkGelu(Device& dev, Rng& rng, DType dtype, int rows, int cols) {
    auto in = randomValues(rng, size_t(rows) * cols, 0, 2, dtype);
    auto bias = randomValues(rng, size_t(cols), 0, 0.5, dtype);
    auto dIn = dev.upload(in, dtype), dBias = dev.upload(bias, dtype);
    auto out = dev.poisoned(in.size(), dtype);
    ops::biasActivation(dtype, out.get(), dIn.get(), dBias.get(), rows, cols, cols, ops::Activation::Gelu,
                        dev.context().stream());
    std::vector<float> want = in;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) want[size_t(r) * cols + c] += bias[size_t(c)];
    cpu::geluInPlace(want.data(), int64_t(want.size()));
    return compare("bias+gelu " + std::to_string(rows) + "x" + std::to_string(cols), dtype,
                   dev.download(out, want.size(), dtype), want);
}

double geluTanh(double x) { return 0.5 * x * (1.0 + std::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
double geluErf(double x) { return 0.5 * x * (1.0 + std::erf(x * 0.7071067811865476)); }

// The fused-epilogue GEMMs of Gemm.h (linearGelu, linearResidual) against a double-precision CPU
// twin on the dtype-rounded inputs. The first call picks (and, autotuning, times) the algorithm on
// these buffers; the output is then poisoned again and the second call is the one compared.
// hopper: through the own sm_90a GEMM (BERTBENCH_HOPPER_GEMM's path; erf GELU), which must have
// taken both calls.
KernelCheck checkLinear(Device& dev, Rng& rng, DType dtype, bool gelu, int rows, int in, int out, bool hopper = false) {
    auto x = randomValues(rng, size_t(rows) * in, 0, 1, dtype);
    auto w = randomValues(rng, size_t(out) * in, 0, 1.0 / std::sqrt(double(in)), dtype);
    auto bias = randomValues(rng, size_t(out), 0, 0.5, dtype);
    auto residual = randomValues(rng, size_t(rows) * out, 0.5, 1, dtype);
    auto dX = dev.upload(x, dtype), dW = dev.upload(w, dtype), dBias = dev.upload(bias, dtype);
    auto dRes = dev.upload(residual, dtype);
    dev.context().ensureWorkspace();
    Gemm gemm(dev.context());
    gemm.setHopperGemm(hopper);
    if (hopper) gemm.setFusedEpilogues(true);   // its path is the fused one whatever the environment says
    const size_t count = size_t(rows) * out;
    auto y = dev.poisoned(count, dtype);
    auto call = [&] {
        if (gelu) gemm.linearGelu(dtype, y.get(), dX.get(), dW.get(), dBias.get(), rows, in, out);
        else gemm.linearResidual(dtype, y.get(), dX.get(), dW.get(), dBias.get(), dRes.get(), rows, in, out);
    };
    call();
    ops::fillBytes(y.get(), 0xff, count * elementSize(dtype), dev.context().stream());
    call();
    if (hopper && gemm.hopperCalls() != 2)
        throw BackendError("the Hopper GEMM did not take the call (" + std::to_string(gemm.hopperCalls()) + " of 2)");
    const bool tanhGelu = !hopper && gemm.geluIsTanhApproximation(dtype);
    std::vector<float> want(count);
    for (int r = 0; r < rows; ++r) {
        for (int o = 0; o < out; ++o) {
            double acc = bias[size_t(o)];
            const float* xr = x.data() + size_t(r) * in;
            const float* wr = w.data() + size_t(o) * in;
            for (int k = 0; k < in; ++k) acc += double(xr[k]) * double(wr[k]);
            if (gelu) acc = tanhGelu ? geluTanh(acc) : geluErf(acc);
            else acc += residual[size_t(r) * out + o];
            want[size_t(r) * out + o] = float(acc);
        }
    }
    const std::string what = std::string(hopper ? "hopper " : "") +
                             (gelu ? (tanhGelu ? "gemm+bias+gelu(tanh epilogue) " : "gemm+bias+gelu(erf) ")
                                   : (gemm.fusedEpilogues() ? "gemm+bias+residual(epilogue) " : "gemm+bias+residual "));
    return compare(what + std::to_string(rows) + "x" + std::to_string(in) + "x" + std::to_string(out), dtype,
                   dev.download(y, count, dtype), want);
}

// The few-row linear kernel (kernels/ops/SmallLinear.h) against a double-precision CPU twin:
// fresh random inputs, output poisoned, launched twice (the second launch proves the split-K
// counters were left at zero). LayerNorm epilogue in place (y = the residual), as the model uses it.
KernelCheck checkSmallLinear(Device& dev, Rng& rng, DType dtype, ops::SmallEpilogue epilogue, int rows, int in, int out) {
    const float eps = 1e-12f;
    auto x = randomValues(rng, size_t(rows) * in, 0, 1, dtype);
    auto w = randomValues(rng, size_t(out) * in, 0, 1.0 / std::sqrt(double(in)), dtype);
    auto bias = randomValues(rng, size_t(out), 0, 0.5, dtype);
    auto residual = randomValues(rng, size_t(rows) * out, 0.5, 1, dtype);
    auto gamma = randomValues(rng, size_t(out), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(out), 0, 0.2, dtype);
    auto dX = dev.upload(x, dtype), dW = dev.upload(w, dtype), dBias = dev.upload(bias, dtype);
    auto dGamma = dev.upload(gamma, dtype), dBeta = dev.upload(beta, dtype);
    const bool layerNorm = epilogue == ops::SmallEpilogue::BiasResidualLayerNorm;
    const size_t count = size_t(rows) * out;
    CudaContext& ctx = dev.context();
    ctx.ensureWorkspace();
    auto y = dev.poisoned(count, dtype);
    ops::SmallLinearArgs a;
    a.dtype = dtype;
    a.epilogue = epilogue;
    a.y = y.get();
    a.x = dX.get();
    a.weight = dW.get();
    a.bias = dBias.get();
    a.gamma = dGamma.get();
    a.beta = dBeta.get();
    a.eps = eps;
    a.rows = rows;
    a.in = in;
    a.out = out;
    ops::useContextScratch(a, static_cast<float*>(ctx.workspace()), ctx.workspaceBytes(), ctx.counters(),
                            ctx.properties().multiProcessorCount);
    for (int launch = 0; launch < 2; ++launch) {
        ctx.synchronize();   // cudaMemcpy below does not order itself after the context's stream
        if (layerNorm) {     // in place: y starts as the residual
            auto r = dev.upload(residual, dtype);
            BB_CUDA_CHECK(cudaMemcpy(y.get(), r.get(), count * elementSize(dtype), cudaMemcpyDeviceToDevice));
            a.residual = y.get();
        } else {
            ops::fillBytes(y.get(), 0xff, count * elementSize(dtype), ctx.stream());
        }
        ops::smallLinear(a, ctx.stream());
    }
    std::vector<float> want(count);
    std::vector<double> row(static_cast<size_t>(out));
    for (int r = 0; r < rows; ++r) {
        for (int o = 0; o < out; ++o) {
            double acc = bias[size_t(o)];
            const float* xr = x.data() + size_t(r) * in;
            const float* wr = w.data() + size_t(o) * in;
            for (int k = 0; k < in; ++k) acc += double(xr[k]) * double(wr[k]);
            if (epilogue == ops::SmallEpilogue::BiasGelu) acc = geluErf(acc);
            if (layerNorm) acc += residual[size_t(r) * out + o];
            row[size_t(o)] = acc;
        }
        double mean = 0, var = 0;
        if (layerNorm) {
            for (double v : row) mean += v;
            mean /= out;
            for (double v : row) var += (v - mean) * (v - mean);
            var /= out;
        }
        for (int o = 0; o < out; ++o) {
            const double v = layerNorm ? (row[size_t(o)] - mean) / std::sqrt(var + eps) * gamma[size_t(o)] + beta[size_t(o)]
                                       : row[size_t(o)];
            want[size_t(r) * out + o] = float(v);
        }
    }
    const char* what = epilogue == ops::SmallEpilogue::Bias       ? "small linear+bias "
                       : epilogue == ops::SmallEpilogue::BiasGelu ? "small linear+bias+gelu(erf) "
                                                                  : "small linear+bias+residual+layernorm ";
    return compare(what + std::to_string(rows) + "x" + std::to_string(in) + "x" + std::to_string(out), dtype,
                   dev.download(y, count, dtype), want);
}

KernelCheck checkSoftmax(Device& dev, Rng& rng, DType dtype, int seqLen, const std::vector<int32_t>& lengths) {
    const int batch = int(lengths.size()), heads = 3;
    const int64_t ld = EagerAttention::scoreStride(seqLen);
    const size_t rows = size_t(batch) * heads * size_t(seqLen);
    const float scale = 0.37f;
    auto scores = randomValues(rng, rows * size_t(ld), 0, 4, dtype);
    auto d = dev.upload(scores, dtype);
    auto dLen = dev.uploadInts(lengths);
    ops::maskedSoftmax(dtype, d.get(), ld, dLen.as<int32_t>(), batch, heads, seqLen, scale, dev.context().stream());
    std::vector<float> want(scores.size(), 0.f);
    for (size_t r = 0; r < rows; ++r) {
        const int q = int(r % size_t(seqLen));
        const int len = lengths[r / size_t(seqLen) / size_t(heads)];
        if (q >= len) continue;
        const float* s = scores.data() + r * size_t(ld);
        double mx = -INFINITY, sum = 0;
        for (int j = 0; j < len; ++j) mx = std::max(mx, double(s[j]) * scale);
        for (int j = 0; j < len; ++j) sum += std::exp(double(s[j]) * scale - mx);
        for (int j = 0; j < len; ++j) want[r * size_t(ld) + size_t(j)] = float(std::exp(double(s[j]) * scale - mx) / sum);
    }
    return compare("masked softmax S=" + std::to_string(seqLen), dtype, dev.download(d, want.size(), dtype), want);
}

KernelCheck checkEmbeddings(Device& dev, Rng& rng, DType dtype) {
    const int B = 3, S = 11, hidden = 256, vocab = 97, positions = 16, types = 2;
    const float eps = 1e-12f;
    auto word = randomValues(rng, size_t(vocab) * hidden, 0, 0.5, dtype);
    auto pos = randomValues(rng, size_t(positions) * hidden, 0, 0.5, dtype);
    auto type = randomValues(rng, size_t(types) * hidden, 0, 0.5, dtype);
    auto gamma = randomValues(rng, size_t(hidden), 1, 0.2, dtype);
    auto beta = randomValues(rng, size_t(hidden), 0, 0.2, dtype);
    std::vector<int32_t> ids(size_t(B) * S), tts(size_t(B) * S);
    for (auto& id : ids) id = int32_t(rng.next() % uint64_t(vocab));
    for (auto& t : tts) t = int32_t(rng.next() % uint64_t(types));
    // Packed: real tokens of rows of lengths 11, 2, 7.
    const int lengths[B] = {11, 2, 7};
    std::vector<int32_t> rowToPadded;
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < lengths[b]; ++s) rowToPadded.push_back(b * S + s);
    const int64_t rows = int64_t(rowToPadded.size());
    auto dW = dev.upload(word, dtype), dP = dev.upload(pos, dtype), dT = dev.upload(type, dtype);
    auto dG = dev.upload(gamma, dtype), dB = dev.upload(beta, dtype);
    auto dIds = dev.uploadInts(ids), dTts = dev.uploadInts(tts), dMap = dev.uploadInts(rowToPadded);
    auto out = dev.poisoned(size_t(rows) * hidden, dtype);
    ops::embeddingLayerNorm(dtype, out.get(), dIds.as<int32_t>(), dTts.as<int32_t>(), dMap.as<int32_t>(), rows, S,
                            dW.get(), vocab, dP.get(), positions, dT.get(), types, dG.get(), dB.get(), hidden, eps,
                            dev.context().stream());
    std::vector<float> want(static_cast<size_t>(rows) * hidden);
    std::vector<float> x(static_cast<size_t>(hidden));
    for (int64_t r = 0; r < rows; ++r) {
        const int p = rowToPadded[size_t(r)];
        for (int c = 0; c < hidden; ++c) {
            x[size_t(c)] = word[size_t(ids[size_t(p)]) * hidden + c] + pos[size_t(p % S) * hidden + c] +
                           type[size_t(tts[size_t(p)]) * hidden + c];
        }
        cpu::addLayerNormRow(x.data(), nullptr, want.data() + size_t(r) * hidden, hidden, gamma.data(), beta.data(), eps);
    }
    return compare("embeddings+layernorm (packed gather)", dtype, dev.download(out, want.size(), dtype), want);
}

// The whole eager attention step (split, QKᵀ, softmax, PV, merge) against core's CPU eager
// attention, in the padded and the packed layout; real rows only.
KernelCheck checkEagerAttention(Device& dev, Rng& rng, DType dtype, bool packed) {
    const int B = 3, S = 37, H = 2, d = 64, hidden = H * d;
    const std::vector<int32_t> lengths{37, 5, 20};
    std::vector<int32_t> cu{0};
    for (int len : lengths) cu.push_back(cu.back() + len);
    std::vector<int32_t> rowToPadded;
    for (int b = 0; b < B; ++b)
        for (int s = 0; s < lengths[size_t(b)]; ++s) rowToPadded.push_back(b * S + s);
    const int64_t tokens = packed ? int64_t(cu.back()) : int64_t(B) * S;

    auto qkvPadded = randomValues(rng, size_t(B) * S * 3 * hidden, 0, 1, dtype);
    std::vector<float> qkv;
    if (packed) {
        for (int32_t p : rowToPadded)
            qkv.insert(qkv.end(), qkvPadded.begin() + int64_t(p) * 3 * hidden, qkvPadded.begin() + int64_t(p + 1) * 3 * hidden);
    } else {
        qkv = qkvPadded;
    }
    auto dQkv = dev.upload(qkv, dtype);
    auto dLen = dev.uploadInts(lengths), dCu = dev.uploadInts(cu), dMap = dev.uploadInts(rowToPadded);
    auto out = dev.poisoned(size_t(tokens) * hidden, dtype);

    EagerAttention attention(packed);
    AttentionShape shape;
    shape.batch = B;
    shape.maxSeqLen = S;
    shape.tokens = tokens;
    shape.numHeads = H;
    shape.headDim = d;
    shape.hidden = hidden;
    shape.packed = packed;
    shape.dtype = dtype;
    DeviceBuffer workspace(dev.allocator(), attention.workspaceBytes(shape), "check workspace");
    dev.context().ensureWorkspace();
    AttentionArgs args;
    args.qkv = dQkv.get();
    args.out = out.get();
    args.lengths = dLen.as<int32_t>();
    args.cuSeqlens = dCu.as<int32_t>();
    args.rowToPadded = packed ? dMap.as<int32_t>() : nullptr;
    args.workspace = workspace.get();
    args.workspaceBytes = workspace.bytes();
    args.scale = 1.f / std::sqrt(float(d));
    args.stream = dev.context().stream();
    attention.run(shape, args, dev.context());

    std::vector<int> lengthsInt(lengths.begin(), lengths.end());
    cpu::AttentionShape cs;
    cs.batch = B;
    cs.seqLen = S;
    cs.heads = H;
    cs.headDim = d;
    cs.lengths = lengthsInt.data();
    std::vector<float> ctx(size_t(B) * S * hidden, 0.f), scores(cpu::eagerScoresFloats(cs));
    cpu::eagerAttention(cs, qkvPadded.data(), ctx.data(), scores.data());

    const std::vector<float> got = dev.download(out, size_t(tokens) * hidden, dtype);
    std::vector<float> gotReal, wantReal;
    for (int b = 0; b < B; ++b) {
        for (int s = 0; s < lengths[size_t(b)]; ++s) {
            const size_t gotRow = packed ? size_t(cu[size_t(b)] + s) : size_t(b * S + s);
            const size_t wantRow = size_t(b * S + s);
            gotReal.insert(gotReal.end(), got.begin() + int64_t(gotRow * hidden), got.begin() + int64_t((gotRow + 1) * hidden));
            wantReal.insert(wantReal.end(), ctx.begin() + int64_t(wantRow * hidden), ctx.begin() + int64_t((wantRow + 1) * hidden));
        }
    }
    KernelCheck c = compare(std::string("eager attention ") + (packed ? "packed" : "padded"), dtype, gotReal, wantReal);
    // Padding rows of the padded layout must hold finite values (they become keys of later layers).
    if (!packed) {
        for (float v : got) {
            if (!std::isfinite(v)) {
                c.pass = false;
                c.failure = "non-finite value in a padding row";
                break;
            }
        }
    }
    return c;
}

KernelCheck checkAllocatorLimit(Device& dev) {
    KernelCheck c;
    c.name = "allocator: limit → OutOfMemoryError, then recovery";
    DeviceAllocator& alloc = dev.allocator();
    const int64_t before = alloc.currentBytes();
    alloc.resetPeak();
    alloc.setLimit(before + (int64_t(8) << 20));
    bool threw = false;
    try {
        DeviceBuffer a(alloc, size_t(4) << 20, "a");
        DeviceBuffer b(alloc, size_t(6) << 20, "b");   // 10 MB > 8 MB limit
    } catch (const OutOfMemoryError&) {
        threw = true;
    }
    const bool released = alloc.currentBytes() == before;
    alloc.setLimit(0);
    bool recovered = false;
    try {
        DeviceBuffer big(alloc, size_t(64) << 20, "after the limit");
        recovered = alloc.peakBytes() >= before + (int64_t(64) << 20);
    } catch (const std::exception&) {
    }
    c.pass = threw && released && recovered && alloc.currentBytes() == before;
    if (!c.pass) {
        c.failure = std::string(threw ? "" : "no OutOfMemoryError; ") + (released ? "" : "memory not given back; ") +
                    (recovered ? "" : "next allocation failed or peak wrong");
    }
    return c;
}

// The padding-free encoder (padding removed in the embedding kernel, CLS rows and task outputs
// gathered / re-padded) against the padded one, same kernels otherwise: every task, real
// positions only. Checks the packed plumbing the fast strategies build on.
std::vector<KernelCheck> checkPackedEncoder(int device, uint64_t seed, DType dtype) {
    const BertWeights weights = randomWeights(presetConfig("tiny"), seed);
    CudaBertBackend padded(std::make_unique<EagerAttention>(false), device);
    CudaBertBackend packed(std::make_unique<EagerAttention>(true), device);
    padded.loadModel(weights, dtype);
    packed.loadModel(weights, dtype);
    const Batch batch = makeBatch({5, 93, 0.5, 20, weights.config.vocabSize, seed + 3});
    std::vector<KernelCheck> checks;
    for (Task task : allTasks()) {
        padded.prepare(task, batch);
        padded.forward();
        const TaskOutput want = padded.output();
        packed.prepare(task, batch);
        packed.forward();
        const TaskOutput got = packed.output();
        padded.releaseCell();
        packed.releaseCell();
        KernelCheck c;
        c.name = "packed encoder vs padded, " + toString(task);
        c.dtype = dtype;
        c.tolerance = dtype == DType::Float32 ? 1e-5 : dtype == DType::Float16 ? 2e-3 : 1.2e-2;
        const OutputError e = compareOutputs(got, want, batch);
        c.maxAbs = e.maxAbs;
        c.relL2 = e.relL2;
        c.pass = e.relL2 <= c.tolerance;
        // Re-padded positions must be exactly zero.
        if (got.perPosition) {
            const size_t width = size_t(got.shape[2]);
            for (int b = 0; b < batch.batchSize && c.pass; ++b) {
                for (int p = batch.lengths[size_t(b)]; p < batch.maxSeqLen; ++p) {
                    const size_t at = (size_t(b) * size_t(batch.maxSeqLen) + size_t(p)) * width;
                    if (std::any_of(got.values.begin() + int64_t(at), got.values.begin() + int64_t(at + width),
                                    [](float v) { return v != 0.f; })) {
                        c.pass = false;
                        c.failure = "a padding position of the re-padded output is not zero";
                        break;
                    }
                }
            }
        }
        checks.push_back(c);
    }
    return checks;
}

} // namespace

std::vector<KernelCheck> runKernelChecks(uint64_t seed) {
    Device dev;
    Rng rng(seed * 7919ull + 17);
    std::vector<KernelCheck> checks;
    auto guarded = [&](const std::string& name, DType dtype, const std::function<KernelCheck()>& f) {
        try {
            checks.push_back(f());
        } catch (const std::exception& e) {
            KernelCheck c;
            c.name = name;
            c.dtype = dtype;
            c.failure = e.what();
            checks.push_back(c);
        }
    };
    for (DType dtype : {DType::Float32, DType::Float16, DType::BFloat16}) {
        guarded("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 37, 768); });
        guarded("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 5, 1024); });
        guarded("layernorm", dtype, [&] { return checkLayerNorm(dev, rng, dtype, 3, 5120); });
        guarded("bias+gelu", dtype, [&] { return checkGelu(dev, rng, dtype, 33, 3072); });
        guarded("bias+gelu", dtype, [&] { return checkGelu(dev, rng, dtype, 7, 10); });
        guarded("gemm+gelu", dtype, [&] { return checkLinear(dev, rng, dtype, true, 37, 768, 3072); });
        guarded("gemm+gelu", dtype, [&] { return checkLinear(dev, rng, dtype, true, 5, 64, 40); });
        guarded("gemm+residual", dtype, [&] { return checkLinear(dev, rng, dtype, false, 37, 256, 768); });
        guarded("gemm+residual", dtype, [&] { return checkLinear(dev, rng, dtype, false, 8, 3072, 768); });
        if (dtype != DType::Float32 && Gemm::hopperGemmAvailable()) {
            // 1100 rows: 9 m tiles, so the last cluster pair has a tile wholly past the end and
            // the one before a partial tile.
            guarded("hopper gemm+gelu", dtype, [&] { return checkLinear(dev, rng, dtype, true, 1100, 768, 384, true); });
            guarded("hopper gemm+residual", dtype, [&] { return checkLinear(dev, rng, dtype, false, 1100, 768, 256, true); });
        }
        if (dtype != DType::Float32) {
            using E = ops::SmallEpilogue;
            guarded("small linear", dtype, [&] { return checkSmallLinear(dev, rng, dtype, E::Bias, 128, 768, 2304); });
            guarded("small linear", dtype, [&] { return checkSmallLinear(dev, rng, dtype, E::BiasGelu, 77, 768, 3072); });
            guarded("small linear", dtype, [&] { return checkSmallLinear(dev, rng, dtype, E::Bias, 3, 128, 64); });
            guarded("small linear", dtype, [&] { return checkSmallLinear(dev, rng, dtype, E::BiasResidualLayerNorm, 128, 3072, 768); });
            guarded("small linear", dtype, [&] { return checkSmallLinear(dev, rng, dtype, E::BiasResidualLayerNorm, 45, 768, 768); });
        }
        guarded("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 77, {77, 1, 40}); });
        guarded("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 512, {512, 300}); });
        guarded("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 1500, {1500, 999}); });
        guarded("embeddings", dtype, [&] { return checkEmbeddings(dev, rng, dtype); });
        guarded("eager attention", dtype, [&] { return checkEagerAttention(dev, rng, dtype, false); });
        guarded("eager attention", dtype, [&] { return checkEagerAttention(dev, rng, dtype, true); });
    }
    guarded("allocator", DType::Float32, [&] { return checkAllocatorLimit(dev); });
    for (DType dtype : {DType::Float32, DType::BFloat16}) {
        try {
            for (const KernelCheck& c : checkPackedEncoder(dev.allocator().device(), seed + 5, dtype)) checks.push_back(c);
        } catch (const std::exception& e) {
            KernelCheck c;
            c.name = "packed encoder";
            c.dtype = dtype;
            c.failure = e.what();
            checks.push_back(c);
        }
    }
#ifdef BERTBENCH_HAVE_FUSED_ATTENTION_CHECKS
    // The fast strategies' fused kernel against core's CPU twins (kernels/attention/, issue 4).
    try {
        for (KernelCheck& c : runFusedAttentionChecks(seed)) checks.push_back(std::move(c));
    } catch (const std::exception& e) {
        KernelCheck c;
        c.name = "fused attention";
        c.dtype = DType::Float16;
        c.failure = e.what();
        checks.push_back(c);
    }
#endif
    return checks;
}

} // namespace bertbench::cuda

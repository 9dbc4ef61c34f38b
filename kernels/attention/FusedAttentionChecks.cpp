#include "kernels/attention/FusedAttentionChecks.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include <cuda_runtime_api.h>

#include "core/cpu/CpuAttention.h"
#include "core/cpu/ThreadPool.h"
#include "core/util/Errors.h"
#include "core/util/Random.h"
#include "kernels/attention/FastAttention.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/DeviceAllocator.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

namespace bertbench::cuda {

namespace {

std::string checkName(bool packed, int headDim, bool hopper)
{
    return std::string("fused attention ") + (packed ? "packed" : "padded") + " d" + std::to_string(headDim) +
           (hopper ? " (hopper kernel)" : "");
}

// One (dtype, head dim, layout) case: lengths with a length-1 row, odd lengths, one at S.
KernelCheck checkCase(DeviceAllocator& alloc, CudaContext& ctx, Rng& rng, DType dtype, int headDim, bool packed,
                      bool allowHopper)
{
    const std::vector<int> lengths = {1, 17, 100, 257, 333, 64, 65};
    const int B = int(lengths.size()), S = 333, heads = 2, hidden = heads * headDim;
    std::vector<int64_t> offsets(size_t(B) + 1, 0);
    std::vector<int32_t> cu(size_t(B) + 1, 0);
    for (int b = 0; b < B; ++b) {
        offsets[size_t(b) + 1] = offsets[size_t(b)] + lengths[size_t(b)];
        cu[size_t(b) + 1] = int32_t(offsets[size_t(b) + 1]);
    }
    const int64_t tokens = packed ? offsets.back() : int64_t(B) * S;

    // Random q, k, v everywhere (padding rows too: the mask must hide them), rounded to the dtype.
    std::vector<float> qkv(size_t(tokens) * 3 * hidden);
    for (float& x : qkv) x = float(rng.normal());
    std::vector<unsigned char> raw(qkv.size() * elementSize(dtype));
    convertFromFloat(dtype, qkv.data(), qkv.size(), raw.data());
    convertToFloat(dtype, raw.data(), qkv.size(), qkv.data());

    DeviceBuffer dQkv(alloc, raw.size(), "check qkv");
    DeviceBuffer dOut(alloc, size_t(tokens) * hidden * elementSize(dtype), "check attention out");
    DeviceBuffer dInts(alloc, (size_t(B) + size_t(B) + 1) * sizeof(int32_t), "check lengths");
    std::vector<int32_t> ints(lengths.begin(), lengths.end());
    ints.insert(ints.end(), cu.begin(), cu.end());
    BB_CUDA_CHECK(cudaMemcpy(dQkv.get(), raw.data(), raw.size(), cudaMemcpyHostToDevice));
    BB_CUDA_CHECK(cudaMemcpy(dInts.get(), ints.data(), ints.size() * sizeof(int32_t), cudaMemcpyHostToDevice));
    ops::fillBytes(dOut.get(), 0xff, dOut.bytes(), ctx.stream());   // NaN in every dtype

    FusedAttentionStrategy strategy(packed, allowHopper);
    AttentionShape shape;
    shape.batch = B;
    shape.maxSeqLen = S;
    shape.tokens = tokens;
    shape.numHeads = heads;
    shape.headDim = headDim;
    shape.hidden = hidden;
    shape.packed = packed;
    shape.dtype = dtype;
    AttentionArgs args;
    args.qkv = dQkv.get();
    args.out = dOut.get();
    args.lengths = dInts.as<int32_t>();
    args.cuSeqlens = dInts.as<int32_t>() + B;
    args.scale = 1.f / std::sqrt(float(headDim));
    args.stream = ctx.stream();
    strategy.checkSupported(heads, headDim, dtype);
    const bool hopper = strategy.usesHopper(shape, args);
    strategy.run(shape, args, ctx);
    ctx.synchronize();
    std::vector<unsigned char> outRaw(dOut.bytes());
    BB_CUDA_CHECK(cudaMemcpy(outRaw.data(), dOut.get(), outRaw.size(), cudaMemcpyDeviceToHost));
    std::vector<float> got(size_t(tokens) * hidden);
    convertToFloat(dtype, outRaw.data(), got.size(), got.data());

    // The CPU twin of the same strategy, fp32.
    std::vector<float> want(got.size(), 0.f);
    cpu::AttentionShape cs;
    cs.batch = B;
    cs.seqLen = S;
    cs.heads = heads;
    cs.headDim = headDim;
    cs.lengths = lengths.data();
    cs.offsets = offsets.data();
    std::vector<float> workspace(cpu::streamingWorkspaceFloats(headDim) * size_t(cpu::cpuPool().size()));
    if (packed) cpu::flashAttention(cs, qkv.data(), want.data(), workspace.data());
    else cpu::sdpaAttention(cs, qkv.data(), want.data(), workspace.data());

    KernelCheck c;
    c.name = checkName(packed, headDim, hopper);
    c.dtype = dtype;
    c.tolerance = dtype == DType::Float16 ? 2e-3 : 1.2e-2;
    double diff2 = 0, ref2 = 0;
    bool finite = true;
    for (int64_t t = 0; t < tokens; ++t) {
        const bool real = packed || (t % S) < lengths[size_t(t / S)];
        for (int j = 0; j < hidden; ++j) {
            const size_t i = size_t(t) * hidden + size_t(j);
            if (!std::isfinite(got[i])) finite = false;   // padding rows too: they must stay finite
            if (!real) continue;
            const double d = double(got[i]) - double(want[i]);
            if (std::isfinite(d)) c.maxAbs = std::max(c.maxAbs, std::fabs(d));
            diff2 += d * d;
            ref2 += double(want[i]) * double(want[i]);
        }
    }
    c.relL2 = std::sqrt(diff2 / std::max(ref2, 1e-300));
    c.pass = finite && std::isfinite(c.relL2) && c.relL2 <= c.tolerance;
    if (!finite) c.failure = "an output row holds NaN/Inf (unwritten or not finite)";
    return c;
}

} // namespace

std::vector<KernelCheck> runFusedAttentionChecks(uint64_t seed)
{
    DeviceAllocator alloc(firstUsableDevice());
    CudaContext ctx(alloc.device(), alloc);
    Rng rng(seed * 104729ull + 3);
    std::vector<KernelCheck> checks;
    for (DType dtype : {DType::Float16, DType::BFloat16})
        for (int headDim : {32, 64, 128})
            for (bool packed : {false, true})
                for (bool allowHopper : {false, true}) {
                    // The second pass is the Hopper kernel where this GPU and build run it; where
                    // they do not, the first pass (the FlashAttention-2 kernel) is the only one.
                    if (allowHopper && !attention::fusedAttentionHopperAvailable(headDim)) continue;
                    try {
                        checks.push_back(checkCase(alloc, ctx, rng, dtype, headDim, packed, allowHopper));
                    } catch (const std::exception& e) {
                        KernelCheck c;
                        c.name = checkName(packed, headDim, allowHopper);
                        c.dtype = dtype;
                        c.failure = e.what();
                        checks.push_back(c);
                    }
                }
    return checks;
}

} // namespace bertbench::cuda

// Attention against core's CPU attention (core/cpu/CpuAttention.h, the one CPU attention
// reference): the masked softmax kernel against the CPU backends' softmax of a row (CpuOps.h),
// the eager strategy's whole step (split, QKᵀ, softmax, PV, merge) against cpu::eagerAttention,
// and the fused-attention strategies against cpu::sdpaAttention (padded) and cpu::flashAttention
// (packed). Real rows are compared; every row, padding included, must be finite (padding rows
// become keys of later layers, and 0 × NaN is NaN). ModernBERT's variants: a sliding window in the
// softmax, the eager step (with RoPE in its head split) and both fused kernels, on rows longer than
// several key tiles plus the window (so tiles are skipped and partial ones masked) and rows shorter
// than the window; the CPU twins take the same window (cpu::AttentionShape::window) and RoPE
// (OpReferences.h:rotaryReference).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/cpu/CpuAttention.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/ThreadPool.h"
#include "kernels/attention/FusedAttention.h"
#include "kernels/attention/FusedAttentionStrategy.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/ops/Ops.h"
#include "kernels/verify/KernelCheckFamilies.h"
#include "kernels/verify/OpReferences.h"

namespace bertbench::cuda {

namespace {

KernelCheck checkSoftmax(CheckDevice& dev, Rng& rng, DType dtype, int seqLen, const std::vector<int32_t>& lengths,
                         int window = -1) {
    const int batch = int(lengths.size()), heads = 3;
    const int64_t ld = EagerAttention::scoreStride(seqLen);
    const size_t rows = size_t(batch) * heads * size_t(seqLen);
    const float scale = 0.37f;
    auto scores = randomValues(rng, rows * size_t(ld), 0, 4, dtype);
    auto d = dev.upload(scores, dtype);
    auto dLen = dev.uploadInts(lengths);
    ops::maskedSoftmax(dtype, d.get(), ld, dLen.as<int32_t>(), batch, heads, seqLen, scale, dev.context().stream(),
                       window);
    std::vector<float> want(scores.size(), 0.f);
    for (size_t r = 0; r < rows; ++r) {
        const int q = int(r % size_t(seqLen));
        const int len = lengths[r / size_t(seqLen) / size_t(heads)];
        if (q >= len) continue;
        // The CPU backends' softmax of a row (core/cpu/CpuOps.h's building blocks), on its real keys.
        float* p = want.data() + r * size_t(ld);
        // A window: the row's visible keys [lo, hi) only, the rest stays 0.
        const int lo = window < 0 ? 0 : std::max(0, q - window), hi = window < 0 ? len : std::min(len, q + window + 1);
        float* v = p + lo;
        for (int j = lo; j < hi; ++j) p[j] = scores[r * size_t(ld) + size_t(j)] * scale;
        cpu::scaleRow(v, hi - lo, 1.f / cpu::expShiftedSum(v, hi - lo, cpu::rowMax(v, hi - lo)));
    }
    return compare("masked softmax S=" + std::to_string(seqLen) + (window >= 0 ? " window " + std::to_string(window) : ""),
                   dtype, dev.download(d, want.size(), dtype), want);
}

// One attention input: random q, k, v on every padded row (padding rows too: the mask must hide
// them), and the same rows gathered to the packed layout.
struct AttentionCase {
    int batch = 0, seqLen = 0, heads = 0, headDim = 0, hidden = 0;
    bool packed = false;
    std::vector<int> lengths;
    std::vector<int64_t> offsets;   // [batch + 1] packed row offsets
    std::vector<int32_t> cuSeqlens, rowToPadded;
    int64_t tokens = 0;             // rows in the strategy's layout
    std::vector<float> qkvPadded, qkv;

    AttentionCase(Rng& rng, DType dtype, std::vector<int> lens, int S, int numHeads, int d, bool packedLayout)
        : batch(int(lens.size())), seqLen(S), heads(numHeads), headDim(d), hidden(numHeads * d), packed(packedLayout),
          lengths(std::move(lens)), offsets{0}, cuSeqlens{0} {
        for (int b = 0; b < batch; ++b) {
            offsets.push_back(offsets.back() + lengths[size_t(b)]);
            cuSeqlens.push_back(int32_t(offsets.back()));
            for (int s = 0; s < lengths[size_t(b)]; ++s) rowToPadded.push_back(b * S + s);
        }
        tokens = packed ? offsets.back() : int64_t(batch) * S;
        const size_t width = size_t(3) * size_t(hidden);
        qkvPadded = randomValues(rng, size_t(batch) * size_t(S) * width, 0, 1, dtype);
        if (!packed) qkv = qkvPadded;
        else
            for (int32_t p : rowToPadded)
                qkv.insert(qkv.end(), qkvPadded.begin() + int64_t(p) * int64_t(width),
                           qkvPadded.begin() + int64_t(p + 1) * int64_t(width));
    }
    cpu::AttentionShape cpuShape() const {
        cpu::AttentionShape cs;
        cs.batch = batch;
        cs.seqLen = seqLen;
        cs.heads = heads;
        cs.headDim = headDim;
        cs.lengths = lengths.data();
        cs.offsets = offsets.data();
        return cs;
    }
    AttentionShape shape(DType dtype) const {
        AttentionShape s;
        s.batch = batch;
        s.maxSeqLen = seqLen;
        s.tokens = tokens;
        s.numHeads = heads;
        s.headDim = headDim;
        s.hidden = hidden;
        s.packed = packed;
        s.dtype = dtype;
        return s;
    }
    // The real rows of [rows, hidden] values in the packed (rowsPacked) or the padded layout.
    std::vector<float> realRows(const std::vector<float>& values, bool rowsPacked) const {
        if (rowsPacked) return values;
        std::vector<float> real;
        for (int32_t p : rowToPadded)
            real.insert(real.end(), values.begin() + int64_t(p) * hidden, values.begin() + int64_t(p + 1) * hidden);
        return real;
    }
};

// got: the strategy's output in its layout; want: the CPU twin's in its layout (wantPacked).
KernelCheck judge(const std::string& name, DType dtype, const AttentionCase& c, const std::vector<float>& got,
                  const std::vector<float>& want, bool wantPacked) {
    KernelCheck check = compare(name, dtype, c.realRows(got, c.packed), c.realRows(want, wantPacked));
    if (std::any_of(got.begin(), got.end(), [](float v) { return !std::isfinite(v); })) {
        check.pass = false;
        check.failure = "an output row holds NaN/Inf (unwritten or not finite)";
    }
    return check;
}

AttentionArgs argsFor(CheckDevice& dev, const DeviceBuffer& qkv, DeviceBuffer& out, const DeviceBuffer& lengths,
                      const DeviceBuffer& cuSeqlens, const DeviceBuffer& rowToPadded, const AttentionCase& c) {
    AttentionArgs args;
    args.qkv = qkv.get();
    args.out = out.get();
    args.lengths = lengths.as<int32_t>();
    args.cuSeqlens = cuSeqlens.as<int32_t>();
    args.rowToPadded = c.packed ? rowToPadded.as<int32_t>() : nullptr;
    args.scale = 1.f / std::sqrt(float(c.headDim));
    args.stream = dev.context().stream();
    return args;
}

// window ≥ 0: a sliding window; rotary: RoPE (θ 10,000) applied by the eager split.
KernelCheck checkEagerAttention(CheckDevice& dev, Rng& rng, DType dtype, bool packed, int window = -1,
                                bool rotary = false) {
    const AttentionCase c = window < 0 ? AttentionCase(rng, dtype, {37, 5, 20}, 37, 2, 64, packed)
                                       : AttentionCase(rng, dtype, {150, 5, 77}, 150, 2, 64, packed);
    const std::vector<float> table = rotaryTableReference(c.seqLen, c.headDim, 10000.0);
    auto dTable = dev.upload(table, DType::Float32);
    auto dQkv = dev.upload(c.qkv, dtype);
    auto dLen = dev.uploadInts(std::vector<int32_t>(c.lengths.begin(), c.lengths.end()));
    auto dCu = dev.uploadInts(c.cuSeqlens), dMap = dev.uploadInts(c.rowToPadded);
    auto out = dev.poisoned(size_t(c.tokens) * c.hidden, dtype);
    EagerAttention attention(packed);
    const AttentionShape shape = c.shape(dtype);
    DeviceBuffer workspace(dev.allocator(), attention.workspaceBytes(shape), "check workspace");
    dev.context().ensureWorkspace();
    AttentionArgs args = argsFor(dev, dQkv, out, dLen, dCu, dMap, c);
    args.workspace = workspace.get();
    args.workspaceBytes = workspace.bytes();
    args.window = window;
    if (rotary) args.rotary = ops::RotaryTable{dTable.as<float>(), c.seqLen};
    attention.run(shape, args, dev.context());

    cpu::AttentionShape cs = c.cpuShape();
    cs.window = window;
    std::vector<float> qkv = c.qkvPadded;
    if (rotary) {
        std::vector<int> positions;
        for (int b = 0; b < c.batch; ++b)
            for (int s = 0; s < c.seqLen; ++s) positions.push_back(s);
        rotaryReference(qkv, positions, c.heads, c.headDim, table);
    }
    std::vector<float> want(size_t(c.batch) * c.seqLen * c.hidden, 0.f), scores(cpu::eagerScoresFloats(cs));
    cpu::eagerAttention(cs, qkv.data(), want.data(), scores.data());
    std::string name = std::string("eager attention ") + (packed ? "packed" : "padded");
    if (window >= 0) name += " window " + std::to_string(window);
    if (rotary) name += " + RoPE";
    return judge(name, dtype, c, dev.download(out, size_t(c.tokens) * c.hidden, dtype), want, false);
}

std::string fusedName(bool packed, int headDim, bool hopper, int window = -1) {
    return std::string("fused attention ") + (packed ? "packed" : "padded") + " d" + std::to_string(headDim) +
           (window >= 0 ? " window " + std::to_string(window) : "") + (hopper ? " (hopper kernel)" : "");
}

// Lengths with a length-1 row, odd lengths, one at S; the strategy the backends run. With a window:
// rows of 700 (11 key tiles of 64, 6 of 128: tiles skipped on both sides of a block), rows
// shorter than the window, and one just past a tile boundary.
KernelCheck checkFusedAttention(CheckDevice& dev, Rng& rng, DType dtype, int headDim, bool packed, bool allowHopper,
                                int window = -1) {
    const AttentionCase c = window < 0
                                ? AttentionCase(rng, dtype, {1, 17, 100, 257, 333, 64, 65}, 333, 2, headDim, packed)
                                : AttentionCase(rng, dtype, {700, 1, 3, 129, 700, 259, 64}, 700, 2, headDim, packed);
    auto dQkv = dev.upload(c.qkv, dtype);
    auto dLen = dev.uploadInts(std::vector<int32_t>(c.lengths.begin(), c.lengths.end()));
    auto dCu = dev.uploadInts(c.cuSeqlens), dMap = dev.uploadInts(c.rowToPadded);
    auto out = dev.poisoned(size_t(c.tokens) * c.hidden, dtype);
    FusedAttentionStrategy strategy(packed, allowHopper);
    const AttentionShape shape = c.shape(dtype);
    AttentionArgs args = argsFor(dev, dQkv, out, dLen, dCu, dMap, c);
    args.window = window;
    strategy.checkSupported(c.heads, headDim, dtype);
    const bool hopper = strategy.usesHopper(shape, args);
    strategy.run(shape, args, dev.context());

    // The CPU twin of the same strategy, in the same layout.
    cpu::AttentionShape cs = c.cpuShape();
    cs.window = window;
    std::vector<float> want(size_t(c.tokens) * c.hidden, 0.f);
    std::vector<float> workspace(cpu::streamingWorkspaceFloats(headDim) * size_t(cpu::cpuPool().size()));
    if (packed) cpu::flashAttention(cs, c.qkv.data(), want.data(), workspace.data());
    else cpu::sdpaAttention(cs, c.qkv.data(), want.data(), workspace.data());
    return judge(fusedName(packed, headDim, hopper, window), dtype, c, dev.download(out, want.size(), dtype), want,
                 packed);
}

} // namespace

void addAttentionChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    list.run("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 77, {77, 1, 40}); });
    list.run("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 512, {512, 300}); });
    list.run("softmax", dtype, [&] { return checkSoftmax(dev, rng, dtype, 1500, {1500, 999}); });
    list.run("eager attention", dtype, [&] { return checkEagerAttention(dev, rng, dtype, false); });
    list.run("eager attention", dtype, [&] { return checkEagerAttention(dev, rng, dtype, true); });
    // ModernBERT: a sliding window (its local layers: ±64) in the softmax and the eager step, RoPE
    // in the eager split.
    list.run("softmax window", dtype, [&] { return checkSoftmax(dev, rng, dtype, 300, {300, 1, 100}, 64); });
    list.run("softmax window", dtype, [&] { return checkSoftmax(dev, rng, dtype, 1500, {1500, 999}, 64); });
    list.run("eager attention window", dtype, [&] { return checkEagerAttention(dev, rng, dtype, false, 64, true); });
    list.run("eager attention window", dtype, [&] { return checkEagerAttention(dev, rng, dtype, true, 4, true); });
    if (dtype != DType::Float32) addFusedAttentionChecks(dev, rng, dtype, list);
}

void addFusedAttentionChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list) {
    for (int headDim : {32, 64, 128})
        for (bool packed : {false, true})
            for (bool allowHopper : {false, true}) {
                // The second pass is the Hopper kernel where this GPU and build run it; where they
                // do not, the first (the FlashAttention-2 kernel) is the only one.
                if (allowHopper && !attention::fusedAttentionHopperAvailable(headDim)) continue;
                list.run(fusedName(packed, headDim, allowHopper), dtype,
                         [&] { return checkFusedAttention(dev, rng, dtype, headDim, packed, allowHopper); });
                // ModernBERT's sliding window: ±64 (its checkpoints) and ±4 (the committed fixtures).
                for (int window : {64, 4})
                    list.run(fusedName(packed, headDim, allowHopper, window), dtype, [&] {
                        return checkFusedAttention(dev, rng, dtype, headDim, packed, allowHopper, window);
                    });
            }
}

std::vector<KernelCheck> runFusedAttentionChecks(uint64_t seed) {
    CheckDevice dev;
    Rng rng(seed * 104729ull + 3);
    CheckList list;
    for (DType dtype : {DType::Float16, DType::BFloat16}) addFusedAttentionChecks(dev, rng, dtype, list);
    return list.take();
}

} // namespace bertbench::cuda

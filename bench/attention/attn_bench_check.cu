// The attention benchmark's correctness part: every kernel under test against the CPU twin
// (core/cpu/CpuAttention.h) on fresh random inputs, in the varlen and padded modes, with poisoned
// outputs and guard rows after them. attn_bench --check and --variants run it (attn_bench.cu).
//
// Build: part of the CMake target bertbench-attn-bench (kernels/CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "bench/attention/attn_bench.h"
#include "core/cpu/CpuAttention.h"
#include "core/cpu/ThreadPool.h"

namespace bertbench::attnbench {

namespace {

constexpr uint16_t kPoison = 0xFFFF;  // NaN in fp16 and in bf16
constexpr int kGuardRows = 4;         // poisoned rows after the output, which must stay poisoned

struct CheckCase {
    std::string name;
    int seqLen;                    // padded S, and max_seqlen for varlen
    std::vector<int32_t> lengths;
};

std::vector<CheckCase> checkCases(uint64_t seed)
{
    return {
        {"odd lengths", 333, {1, 17, 100, 257, 333, 64, 65}},
        {"batch 1 (77)", 77, {77}},
        {"batch 1 (512)", 512, {512}},
        {"pad 0.75", 512, drawLengths(8, 512, 0.75, seed + 1)},
        {"pad 0", 512, drawLengths(3, 512, 0.0, seed + 2)},
    };
}

struct CheckResult {
    double relL2 = 0, maxAbs = 0;
    bool finite = true, guardsIntact = true, ok = true;
};

// One kernel, one case, one mode, fresh random inputs.
CheckResult checkOne(const Kernel& kernel, const CheckCase& c, bool varlen, int numHeads, uint64_t seed)
{
    const int d = kernel.headDim, hidden = numHeads * d, batch = int(c.lengths.size());
    std::vector<int32_t> cu(size_t(batch) + 1, 0);
    for (int b = 0; b < batch; ++b) cu[size_t(b) + 1] = cu[size_t(b)] + c.lengths[size_t(b)];
    const int64_t tokens = varlen ? cu.back() : int64_t(batch) * c.seqLen;
    const int64_t qkvStride = 3 * int64_t(hidden);

    // Random inputs everywhere, padding positions included (masking must hide them).
    Rng rng{seed};
    std::vector<uint16_t> qkvBits(size_t(tokens * qkvStride));
    std::vector<float> qkv(qkvBits.size());
    for (size_t i = 0; i < qkvBits.size(); ++i) {
        qkvBits[i] = toBits(float(rng.normal()), kernel.dtype);
        qkv[i] = fromBits(qkvBits[i], kernel.dtype);
    }
    const int64_t outRows = tokens + kGuardRows;
    std::vector<uint16_t> outBits(size_t(outRows * hidden), kPoison);

    void *dQkv, *dOut;
    int32_t* dIdx;
    CUDA_CHECK(cudaMalloc(&dQkv, qkvBits.size() * 2));
    CUDA_CHECK(cudaMalloc(&dOut, outBits.size() * 2));
    CUDA_CHECK(cudaMalloc(&dIdx, cu.size() * 4));
    CUDA_CHECK(cudaMemcpy(dQkv, qkvBits.data(), qkvBits.size() * 2, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dOut, outBits.data(), outBits.size() * 2, cudaMemcpyHostToDevice));
    const std::vector<int32_t>& idx = varlen ? cu : c.lengths;
    CUDA_CHECK(cudaMemcpy(dIdx, idx.data(), idx.size() * 4, cudaMemcpyHostToDevice));

    FusedAttentionParams p;
    auto* base = static_cast<uint16_t*>(dQkv);
    p.q = base;
    p.k = base + hidden;
    p.v = base + 2 * hidden;
    p.out = dOut;
    p.qRowStride = p.kRowStride = p.vRowStride = qkvStride;
    p.outRowStride = hidden;
    p.numHeads = numHeads;
    p.headDim = d;
    p.softmaxScale = float(1.0 / std::sqrt(double(d)));
    p.dtype = kernel.dtype;
    p.totalRows = tokens;
    kernel.launch(p, varlen ? dIdx : nullptr, varlen ? nullptr : dIdx, batch, c.seqLen, nullptr);
    CUDA_CHECK(cudaGetLastError());
    CUDA_CHECK(cudaDeviceSynchronize());
    CUDA_CHECK(cudaMemcpy(outBits.data(), dOut, outBits.size() * 2, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaFree(dQkv));
    CUDA_CHECK(cudaFree(dOut));
    CUDA_CHECK(cudaFree(dIdx));

    // The CPU twin (core/cpu/CpuAttention.h, the CPU backends' attention): flash_attention_2's
    // over the packed rows, sdpa's over the padded batch; one (sequence, head) per task on all cores.
    std::vector<int> lengths(c.lengths.begin(), c.lengths.end());
    std::vector<int64_t> offsets(cu.begin(), cu.end());
    bertbench::cpu::AttentionShape cs;
    cs.batch = batch;
    cs.seqLen = c.seqLen;
    cs.heads = numHeads;
    cs.headDim = d;
    cs.lengths = lengths.data();
    cs.offsets = offsets.data();
    std::vector<float> ref(size_t(tokens * hidden), 0.f);
    std::vector<float> workspace(bertbench::cpu::streamingWorkspaceFloats(d) * size_t(bertbench::cpu::cpuPool().size()));
    if (varlen) bertbench::cpu::flashAttention(cs, qkv.data(), ref.data(), workspace.data());
    else bertbench::cpu::sdpaAttention(cs, qkv.data(), ref.data(), workspace.data());

    CheckResult r;
    double num = 0, den = 0;
    for (int64_t t = 0; t < tokens; ++t) {
        const int b = varlen ? int(std::upper_bound(cu.begin(), cu.end(), int32_t(t)) - cu.begin()) - 1 : int(t / c.seqLen);
        const bool real = varlen || (t % c.seqLen) < c.lengths[size_t(b)];
        for (int j = 0; j < hidden; ++j) {
            const float got = fromBits(outBits[size_t(t * hidden + j)], kernel.dtype);
            if (!std::isfinite(got)) r.finite = false;
            if (!real) continue;
            const double want = ref[size_t(t * hidden + j)];
            num += (got - want) * (got - want);
            den += want * want;
            r.maxAbs = std::max(r.maxAbs, std::fabs(got - want));
        }
    }
    for (int64_t i = tokens * hidden; i < outRows * hidden; ++i)
        if (outBits[size_t(i)] != kPoison) r.guardsIntact = false;
    r.relL2 = std::sqrt(num / std::max(den, 1e-300));
    const double tol = kernel.dtype == AttnDType::F16 ? 2e-3 : 1e-2;
    r.ok = r.finite && r.guardsIntact && r.relL2 <= tol && std::isfinite(r.relL2);
    return r;
}

} // namespace

bool checkKernels(const std::vector<Kernel>& kernels, uint64_t seed, bool quick)

{
    std::printf("\n## Correctness (vs the fp32 CPU reference, core/cpu/CpuAttention.h; fp16 tol 2e-3, bf16 tol 1e-2 rel L2)\n\n");
    std::printf("| kernel | mode | case | heads | rel L2 | max abs | all written, finite | guards | ok |\n|---|---|---|---|---|---|---|---|---|\n");
    bool allOk = true;
    uint64_t s = seed;
    for (const Kernel& k : kernels)
        for (bool varlen : {true, false})
            for (const CheckCase& c : checkCases(seed)) {
                if (quick && c.name != "odd lengths" && c.name != "pad 0.75") continue;
                const int heads = k.headDim == 128 ? 2 : 3;
                const CheckResult r = checkOne(k, c, varlen, heads, ++s * 7919);
                allOk = allOk && r.ok;
                std::printf("| %s | %s | %s | %d | %.2e | %.2e | %s | %s | %s |\n", k.name.c_str(), varlen ? "varlen" : "padded",
                            c.name.c_str(), heads, r.relL2, r.maxAbs, r.finite ? "yes" : "NO", r.guardsIntact ? "yes" : "NO",
                            r.ok ? "ok" : "FAIL");
                std::fflush(stdout);
            }
    return allOk;
}

} // namespace bertbench::attnbench

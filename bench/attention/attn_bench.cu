// Attention kernels alone: correctness against the CPU twin, then TFLOP/s.
//
//   attn_bench --check            every (dtype, head dim, mode) on fresh random inputs: odd lengths,
//                                 batch 1, pad 0.75, pad 0; poisoned outputs and guard rows;
//                                 relative L2 and max abs error against core/cpu/CpuAttention.h
//   attn_bench --time             b128 h12 s512 d64 (and d32/d128 at the same hidden size): the
//                                 library's kernels, varlen and padded, pad 0 and pad 0.5
//   attn_bench --variants         the bench-only tile shapes (VARIANTS below), checked and timed
//   attn_bench --profile          the shipped d64 fp16 kernel at b128 s512 (for ncu --launch-skip)
//   --quick                       --check with the odd-length and pad-0.75 cases only (sanitizers)
//   --lengths-dir DIR             where to write the pad-0.5 lengths that sdpa_peers.py reads
//
// Build: the CMake target bertbench-attn-bench (kernels/CMakeLists.txt: linked with the kernels
// library, which carries the sm_90a kernel, and core's CPU twin); bench/device/build.sh attn.
//
// Flop count: 4·H·D·Σ len² (QKᵀ and PV, 2 flops a multiply-add; real keys × real queries), so the
// padded runs are credited only with real work; at pad 0 this is 4·B·H·S²·D.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "core/cpu/CpuAttention.h"
#include "core/cpu/ThreadPool.h"
#include "kernels/attention/FlashAttentionLaunch.cuh"
#include "kernels/attention/FusedAttention.h"

using namespace bertbench::attention;

#define CUDA_CHECK(expr)                                                                        \
    do {                                                                                        \
        cudaError_t e_ = (expr);                                                                \
        if (e_ != cudaSuccess) {                                                                \
            std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, cudaGetErrorString(e_)); \
            std::exit(2);                                                                       \
        }                                                                                       \
    } while (0)

namespace {

// ---- inputs ------------------------------------------------------------------------------------

struct Rng {
    uint64_t state;
    uint64_t next()
    {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double normal()
    {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
};

// DESIGN.md's lengths: Normal((1 − pad)·S, 10), toward zero, clamped to [1, S].
std::vector<int32_t> drawLengths(int batch, int seqLen, double pad, uint64_t seed)
{
    Rng rng{seed};
    std::vector<int32_t> lengths(static_cast<size_t>(batch));
    for (auto& len : lengths) {
        const double x = (1.0 - pad) * seqLen + 10.0 * rng.normal();
        len = std::clamp(int(std::trunc(x)), 1, seqLen);
    }
    return lengths;
}

uint16_t toBits(float x, AttnDType t)
{
    if (t == AttnDType::F16) return __half_raw(__float2half_rn(x)).x;
    return __nv_bfloat16_raw(__float2bfloat16_rn(x)).x;
}
float fromBits(uint16_t b, AttnDType t)
{
    if (t == AttnDType::F16) {
        __half_raw r;
        r.x = b;
        return __half2float(__half(r));
    }
    __nv_bfloat16_raw r;
    r.x = b;
    return __bfloat162float(__nv_bfloat16(r));
}
const char* dtypeName(AttnDType t) { return t == AttnDType::F16 ? "fp16" : "bf16"; }

constexpr uint16_t kPoison = 0xFFFF;  // NaN in fp16 and in bf16
constexpr int kGuardRows = 4;         // poisoned rows after the output, which must stay poisoned

// Device-side fill for the large timing buffers: a hash per element, roughly N(0, 1).
template <typename E>
__global__ void fillRandom(E* p, int64_t n, uint64_t seed)
{
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < n; i += int64_t(gridDim.x) * blockDim.x) {
        uint64_t z = seed + uint64_t(i) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        const float u1 = float(z & 0xFFFFFF) / 16777216.f, u2 = float((z >> 24) & 0xFFFFFF) / 16777216.f;
        const float u3 = float((z >> 48) & 0xFFFF) / 65536.f;
        p[i] = E((u1 + u2 + u3 - 1.5f) * 2.f);   // sum of 3 uniforms: bell-shaped, variance 1
    }
}

// ---- one launch, library or bench variant ----------------------------------------------------

// A kernel under test: a name and how to launch it for varlen (cu != null) or padded (lengths).
struct Kernel {
    std::string name;
    int headDim;
    AttnDType dtype;
    std::function<void(const FusedAttentionParams&, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t)> launch;
};

// hopper = false: the FlashAttention-2 kernel (every GPU); true: the sm_90a kernel, which the
// library picks by itself on an H100/H200 (only offered where it runs, see main).
Kernel libraryKernel(int headDim, AttnDType dtype, bool hopper = false)
{
    const FusedAttentionTile t = fusedAttentionTile(headDim);
    char name[96];
    if (hopper)
        std::snprintf(name, sizeof name, "hopper d%d %s (128x128, 1+2 warpgroups)", headDim, dtypeName(dtype));
    else
        std::snprintf(name, sizeof name, "library d%d %s (%dx%d, %d warps)", headDim, dtypeName(dtype), t.blockM, t.blockN, t.warps);
    return {name, headDim, dtype,
            [hopper](const FusedAttentionParams& params, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t s) {
                FusedAttentionParams p = params;
                p.allowHopper = hopper;
                if (hopper && !fusedAttentionUsesHopper(p, rows)) {
                    std::fprintf(stderr, "the hopper kernel does not run here\n");
                    std::exit(2);
                }
                if (cu) launchFlashAttentionVarlen(p, cu, batch, rows, s);
                else launchSdpaPadded(p, lengths, batch, rows, s);
            }};
}

template <class T>
Kernel variantKernel()
{
    char name[96];
    std::snprintf(name, sizeof name, "variant d%d %dw x %dm, %dx%d, min %d blk, Q in %s", T::kHeadDim, T::kWarps,
                  T::kMTiles, T::kBlockM, T::kBlockN, T::kMinBlocks, T::kQInRegisters ? "regs" : "smem");
    const AttnDType dt = std::is_same_v<typename T::Element, __half> ? AttnDType::F16 : AttnDType::BF16;
    return {name, T::kHeadDim, dt,
            [](const FusedAttentionParams& p, const int32_t* cu, const int32_t* lengths, int batch, int rows, cudaStream_t s) {
                detail::FlashKernelParams kp{};
                kp.q = p.q; kp.k = p.k; kp.v = p.v; kp.out = p.out;
                kp.qRowStride = p.qRowStride; kp.kRowStride = p.kRowStride;
                kp.vRowStride = p.vRowStride; kp.outRowStride = p.outRowStride;
                kp.scaleLog2 = p.softmaxScale * 1.4426950408889634f;
                kp.cuSeqlens = cu;
                kp.lengths = lengths;
                kp.paddedSeqLen = cu ? 0 : rows;
                detail::runFlashForward<T>(kp, batch, p.numHeads, rows, s);
            }};
}

// Bench-only tile shapes: FlashTraits<d, warps, m-tiles per warp, keys per tile, min blocks/SM,
// Q fragments in registers>.
std::vector<Kernel> variants()
{
    using namespace detail;
    return {
        variantKernel<FlashTraits<64, 4, 2, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 64, 3, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 1, 64, 3, true, __half>>(),
        variantKernel<FlashTraits<64, 4, 1, 128, 2, false, __half>>(),
        variantKernel<FlashTraits<64, 4, 2, 32, 2, true, __half>>(),
        variantKernel<FlashTraits<64, 8, 1, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<32, 4, 2, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<32, 4, 2, 64, 3, false, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 64, 2, false, __half>>(),
        variantKernel<FlashTraits<128, 8, 1, 64, 1, true, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 32, 1, true, __half>>(),
        variantKernel<FlashTraits<128, 4, 1, 32, 2, false, __half>>(),
    };
}

// ---- correctness -------------------------------------------------------------------------------

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

bool checkKernels(const std::vector<Kernel>& kernels, uint64_t seed, bool quick = false)
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

// ---- timing ------------------------------------------------------------------------------------

double medianMs(const std::function<void()>& launch, int warmup = 10, int reps = 40)
{
    for (int i = 0; i < warmup; ++i) launch();
    std::vector<cudaEvent_t> ev(static_cast<size_t>(reps) + 1);
    for (auto& e : ev) CUDA_CHECK(cudaEventCreate(&e));
    CUDA_CHECK(cudaEventRecord(ev[0]));
    for (int i = 0; i < reps; ++i) {
        launch();
        CUDA_CHECK(cudaEventRecord(ev[size_t(i) + 1]));
    }
    CUDA_CHECK(cudaEventSynchronize(ev.back()));
    CUDA_CHECK(cudaGetLastError());
    std::vector<float> ms(static_cast<size_t>(reps));
    for (int i = 0; i < reps; ++i) CUDA_CHECK(cudaEventElapsedTime(&ms[size_t(i)], ev[size_t(i)], ev[size_t(i) + 1]));
    for (auto& e : ev) CUDA_CHECK(cudaEventDestroy(e));
    std::nth_element(ms.begin(), ms.begin() + reps / 2, ms.end());
    return ms[size_t(reps / 2)];
}

struct TimingShape {
    int batch = 128, seqLen = 512, heads = 12, headDim = 64;
    std::vector<int32_t> lengths;   // real tokens per row
};

// Times one kernel on one shape in both modes: varlen over the packed real tokens, padded over
// B·S rows with the key mask. Returns {varlen ms, padded ms}.
std::pair<double, double> timeKernel(const Kernel& k, const TimingShape& sh)
{
    const int hidden = sh.heads * sh.headDim, batch = sh.batch;
    std::vector<int32_t> cu(size_t(batch) + 1, 0);
    for (int b = 0; b < batch; ++b) cu[size_t(b) + 1] = cu[size_t(b)] + sh.lengths[size_t(b)];
    const int64_t paddedTokens = int64_t(batch) * sh.seqLen;
    const int64_t qkvStride = 3 * int64_t(hidden);
    void *dQkv, *dOut;
    int32_t *dCu, *dLen;
    CUDA_CHECK(cudaMalloc(&dQkv, paddedTokens * qkvStride * 2));
    CUDA_CHECK(cudaMalloc(&dOut, paddedTokens * hidden * 2));
    CUDA_CHECK(cudaMalloc(&dCu, cu.size() * 4));
    CUDA_CHECK(cudaMalloc(&dLen, sh.lengths.size() * 4));
    CUDA_CHECK(cudaMemcpy(dCu, cu.data(), cu.size() * 4, cudaMemcpyHostToDevice));
    CUDA_CHECK(cudaMemcpy(dLen, sh.lengths.data(), sh.lengths.size() * 4, cudaMemcpyHostToDevice));
    if (k.dtype == AttnDType::F16) fillRandom<<<1024, 256>>>(static_cast<__half*>(dQkv), paddedTokens * qkvStride, 12345);
    else fillRandom<<<1024, 256>>>(static_cast<__nv_bfloat16*>(dQkv), paddedTokens * qkvStride, 12345);
    CUDA_CHECK(cudaGetLastError());

    FusedAttentionParams p;
    auto* base = static_cast<uint16_t*>(dQkv);
    p.q = base;
    p.k = base + hidden;
    p.v = base + 2 * hidden;
    p.out = dOut;
    p.qRowStride = p.kRowStride = p.vRowStride = qkvStride;
    p.outRowStride = hidden;
    p.numHeads = sh.heads;
    p.headDim = sh.headDim;
    p.softmaxScale = float(1.0 / std::sqrt(double(sh.headDim)));
    p.dtype = k.dtype;
    FusedAttentionParams packed = p, padded = p;
    packed.totalRows = cu.back();
    padded.totalRows = paddedTokens;
    const double varlenMs = medianMs([&] { k.launch(packed, dCu, nullptr, batch, sh.seqLen, nullptr); });
    const double paddedMs = medianMs([&] { k.launch(padded, nullptr, dLen, batch, sh.seqLen, nullptr); });
    CUDA_CHECK(cudaFree(dQkv));
    CUDA_CHECK(cudaFree(dOut));
    CUDA_CHECK(cudaFree(dCu));
    CUDA_CHECK(cudaFree(dLen));
    return {varlenMs, paddedMs};
}

double realFlops(const TimingShape& sh)
{
    double sumSq = 0;
    for (int32_t len : sh.lengths) sumSq += double(len) * len;
    return 4.0 * sh.heads * sh.headDim * sumSq;
}

void timeTable(const std::vector<Kernel>& kernels, const char* title, const std::vector<double>& pads)
{
    std::printf("\n## %s\n\n", title);
    std::printf("| kernel | B | H | S | D | pad | real tokens | varlen ms | varlen TFLOP/s | padded+mask ms | padded TFLOP/s |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const Kernel& k : kernels)
        for (double pad : pads) {
            TimingShape sh;
            sh.headDim = k.headDim;
            sh.heads = 768 / k.headDim;
            sh.lengths = pad == 0.0 ? std::vector<int32_t>(size_t(sh.batch), sh.seqLen) : drawLengths(sh.batch, sh.seqLen, pad, 2024);
            const auto [v, pd] = timeKernel(k, sh);
            const double f = realFlops(sh);
            const long realTokens = std::accumulate(sh.lengths.begin(), sh.lengths.end(), 0L);
            std::printf("| %s | %d | %d | %d | %d | %.2f | %ld | %.4f | %.1f | %.4f | %.1f |\n", k.name.c_str(), sh.batch, sh.heads,
                        sh.seqLen, sh.headDim, pad, realTokens, v, f / v * 1e-9, pd, f / pd * 1e-9);
            std::fflush(stdout);
        }
}

} // namespace

int main(int argc, char** argv)
{
    bool doCheck = false, doTime = false, doVariants = false, doProfile = false, quick = false;
    std::string lengthsDir;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--check") doCheck = true;
        else if (a == "--time") doTime = true;
        else if (a == "--variants") doVariants = true;
        else if (a == "--profile") doProfile = true;
        else if (a == "--quick") quick = true;
        else if (a == "--lengths-dir" && i + 1 < argc) lengthsDir = argv[++i];
        else {
            std::fprintf(stderr, "unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    cudaDeviceProp prop;
    CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
    std::printf("# attn_bench on %s (%d SMs, sm_%d%d)\n", prop.name, prop.multiProcessorCount, prop.major, prop.minor);

    if (!lengthsDir.empty()) {
        const std::string path = lengthsDir + "/lengths_b128_s512_pad0.5.txt";
        FILE* f = std::fopen(path.c_str(), "w");
        if (!f) { std::fprintf(stderr, "cannot write %s\n", path.c_str()); return 2; }
        for (int32_t len : drawLengths(128, 512, 0.5, 2024)) std::fprintf(f, "%d\n", len);
        std::fclose(f);
    }

    std::vector<Kernel> library;
    for (AttnDType t : {AttnDType::F16, AttnDType::BF16})
        for (int d : {32, 64, 128}) library.push_back(libraryKernel(d, t));
    // The Hopper kernel beside it where this GPU runs it (d64, d128).
    for (AttnDType t : {AttnDType::F16, AttnDType::BF16})
        for (int d : {64, 128})
            if (fusedAttentionHopperAvailable(d)) library.push_back(libraryKernel(d, t, true));
    if (library.size() == 6) std::printf("# the Hopper kernel does not run on this GPU/build: FlashAttention-2 kernel only\n");

    bool ok = true;
    if (doCheck) ok = checkKernels(library, 20251124, quick) && ok;
    if (doVariants) {
        const std::vector<Kernel> vs = variants();
        // Only the pad 0.75 and odd-length cases: enough to catch a broken tile shape.
        ok = checkKernels(vs, 777, /*quick=*/true) && ok;
        timeTable(vs, "Tile-shape variants (fp16)", {0.0, 0.5});
    }
    if (doTime) {
        std::vector<Kernel> d64;
        for (const Kernel& k : library) if (k.headDim == 64) d64.push_back(k);
        timeTable(d64, "Library kernels, head dim 64 (BERT-base)", {0.0, 0.5});
        std::vector<Kernel> others;
        for (const Kernel& k : library) if (k.headDim != 64 && k.dtype == AttnDType::F16) others.push_back(k);
        timeTable(others, "Library kernels, head dims 32 and 128 at hidden 768", {0.0});
    }
    if (doProfile) {
        TimingShape sh;
        sh.lengths.assign(size_t(sh.batch), sh.seqLen);
        timeKernel(libraryKernel(64, AttnDType::F16), sh);
        if (library.size() > 6) timeKernel(libraryKernel(64, AttnDType::F16, true), sh);
    }
    std::printf("\n%s\n", ok ? "ALL CHECKS PASSED" : "SOME CHECKS FAILED");
    return ok ? 0 : 1;
}

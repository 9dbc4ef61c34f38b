// The attention benchmark's timing part: one kernel on one shape in the varlen and padded modes
// (medians of CUDA-event times on device-filled random inputs), and the TFLOP/s tables that
// attn_bench --time and --variants print (attn_bench.cu); --profile times single launches for ncu.
//
// Build: part of the CMake target bertbench-attn-bench (kernels/CMakeLists.txt).
//
// Flop count: 4·H·D·Σ len² (QKᵀ and PV, 2 flops a multiply-add; real keys × real queries), so the
// padded runs are credited only with real work; at pad 0 this is 4·B·H·S²·D.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <numeric>
#include <utility>
#include <vector>

#include <cuda_runtime.h>

#include "bench/attention/attn_bench.h"

namespace bertbench::attnbench {

namespace {

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

double realFlops(const TimingShape& sh)
{
    double sumSq = 0;
    for (int32_t len : sh.lengths) sumSq += double(len) * len;
    return 4.0 * sh.heads * sh.headDim * sumSq;
}

} // namespace

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

} // namespace bertbench::attnbench

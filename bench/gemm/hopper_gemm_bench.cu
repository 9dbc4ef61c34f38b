// The own sm_90a GEMM (bench/gemm/HopperGemm*, on the primitives of kernels/hopper/) alone: correctness against a double-precision CPU twin, then
// its time against cuBLAS on BERT's four linear layers.
//
//   hopper_gemm_bench --check         every (dtype, layer, epilogue) at 1000 rows (a partial last
//                                     tile) and 65 536 rows (a sample of rows): fresh random
//                                     inputs, output poisoned first, rel L2 and max abs error
//   hopper_gemm_bench --time          65 536 tokens (128 × 512): ours with its epilogue, ours
//                                     plain, cublasLt with the same epilogue (heuristic's first
//                                     algorithm), cublasGemmEx plain; medians of --reps
//   --tokens N[,N…]  --dtype fp16|bf16|both  --reps R  --large (bert-large's shapes too)
//
// Build (H100/H200; the GEMM file for sm_90a; the timing part and the shared
// hopper_gemm_bench.h beside this file):
//   nvcc -std=c++20 -O3 -I. -gencode arch=compute_90a,code=sm_90a bench/gemm/hopper_gemm_bench.cu
//        bench/gemm/hopper_gemm_bench_timing.cu bench/gemm/HopperGemm.cu -lcublasLt -lcublas
//        -o hopper_gemm_bench
// or the CMake target bertbench-hopper-gemm-bench (kernels/CMakeLists.txt).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <cuda_runtime.h>

#include "bench/gemm/HopperGemm.h"
#include "bench/gemm/hopper_gemm_bench.h"

using namespace bertbench::gemmbench;

namespace {

// Rows checked: all of them up to 2048, else a spread sample with the first and last rows.
std::vector<int64_t> checkedRows(int64_t rows)
{
    std::vector<int64_t> r;
    if (rows <= 2048) {
        for (int64_t i = 0; i < rows; ++i) r.push_back(i);
        return r;
    }
    for (int i = 0; i < 96; ++i) r.push_back(int64_t(i) * (rows - 1) / 95);
    for (int64_t i = 1; i <= 32; ++i) r.push_back((i * 7919) % rows);
    return r;
}

bool checkOne(bool bf16, const Layer& L, int64_t rows, uint32_t seed)
{
    Operands op(bf16, rows, L.in, L.out, seed);
    CHECK_CUDA(cudaMemset(op.dY, 0xFF, size_t(rows) * L.out * 2));   // NaN poison
    bertbench::hopper::runHopperGemm(op.call(L.epilogue), nullptr);
    CHECK_CUDA(cudaDeviceSynchronize());
    std::vector<uint16_t> y(size_t(rows) * L.out);
    CHECK_CUDA(cudaMemcpy(y.data(), op.dY, y.size() * 2, cudaMemcpyDeviceToHost));
    const std::vector<int64_t> sample = checkedRows(rows);
    const unsigned threads = std::max(1u, std::min(32u, std::thread::hardware_concurrency()));
    std::vector<double> errSq(threads, 0), refSq(threads, 0), maxAbs(threads, 0);
    std::vector<std::thread> pool;
    for (unsigned tIdx = 0; tIdx < threads; ++tIdx)
        pool.emplace_back([&, tIdx] {
            std::vector<double> ref(L.out);
            for (size_t i = tIdx; i < sample.size(); i += threads) {
                op.reference(sample[i], L.epilogue, ref.data());
                for (int n = 0; n < L.out; ++n) {
                    const double got = fromBits(y[size_t(sample[i]) * L.out + n], bf16);
                    const double d = std::isfinite(got) ? got - ref[n] : 1e30;
                    errSq[tIdx] += d * d;
                    refSq[tIdx] += ref[n] * ref[n];
                    maxAbs[tIdx] = std::max(maxAbs[tIdx], std::fabs(d));
                }
            }
        });
    for (auto& th : pool) th.join();
    double e = 0, r = 0, m = 0;
    for (unsigned i = 0; i < threads; ++i) e += errSq[i], r += refSq[i], m = std::max(m, maxAbs[i]);
    const double rel = std::sqrt(e / r);
    const double tol = bf16 ? 1.2e-2 : 2e-3;
    const bool ok = rel <= tol;
    std::printf("check %-4s %-9s %-14s rows %6lld (%4zu checked)  rel L2 %.3e  max abs %.3e  tol %.0e  %s\n",
                bf16 ? "bf16" : "fp16", L.name, epilogueName(L.epilogue), (long long)rows, sample.size(), rel, m, tol,
                ok ? "ok" : "FAIL");
    return ok;
}

std::vector<int64_t> parseList(const char* s)
{
    std::vector<int64_t> v;
    for (const char* p = s; *p;) {
        char* end = nullptr;
        const long long x = std::strtoll(p, &end, 10);
        if (end == p || x <= 0) {
            std::fprintf(stderr, "bad number list: %s\n", s);
            std::exit(2);
        }
        v.push_back(x);
        p = *end == ',' ? end + 1 : end;
    }
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    bool check = false, time = false, large = false;
    std::vector<int64_t> tokens = {65536};
    std::vector<bool> dtypes = {false, true};
    int reps = 30;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--check") check = true;
        else if (a == "--time") time = true;
        else if (a == "--large") large = true;
        else if (a == "--tokens") tokens = parseList(next());
        else if (a == "--reps") reps = int(parseList(next())[0]);
        else if (a == "--dtype") {
            const std::string d = next();
            dtypes = d == "fp16" ? std::vector<bool>{false} : d == "bf16" ? std::vector<bool>{true} : std::vector<bool>{false, true};
        } else {
            std::fprintf(stderr, "usage: hopper_gemm_bench [--check] [--time] [--tokens N,..] [--dtype fp16|bf16|both] "
                                 "[--reps R] [--large]\n");
            return a == "--help" ? 0 : 2;
        }
    }
    if (!check && !time) check = time = true;
    if (!bertbench::hopper::hopperGemmAvailable()) {
        std::printf("SKIP: no compute capability 9.0 device (or no sm_90a image): the Hopper GEMM cannot run here\n");
        return 0;
    }
    std::vector<Layer> layers = {{"qkv", 768, 2304, HopperEpilogue::None},
                                 {"attn-out", 768, 768, HopperEpilogue::Residual},
                                 {"ffn-up", 768, 3072, HopperEpilogue::BiasGelu},
                                 {"ffn-down", 3072, 768, HopperEpilogue::Residual}};
    if (large)
        layers.insert(layers.end(), {{"L-qkv", 1024, 3072, HopperEpilogue::None},
                                     {"L-attnout", 1024, 1024, HopperEpilogue::Residual},
                                     {"L-ffn-up", 1024, 4096, HopperEpilogue::BiasGelu},
                                     {"L-ffn-down", 4096, 1024, HopperEpilogue::Residual}});
    int failures = 0;
    if (check) {
        uint32_t seed = 1;
        for (bool bf16 : dtypes)
            for (const Layer& L : layers)
                for (int64_t rows : {int64_t(1000), int64_t(65536)}) failures += checkOne(bf16, L, rows, seed++) ? 0 : 1;
        // Each epilogue on one more shape (the plain and GELU forms of a residual layer, …).
        for (bool bf16 : dtypes)
            for (HopperEpilogue e : {HopperEpilogue::None, HopperEpilogue::BiasGelu, HopperEpilogue::Residual})
                failures += checkOne(bf16, Layer{"extra", 256, 384, e}, 77, seed++) ? 0 : 1;
    }
    if (time) timeLayers(layers, tokens, dtypes, reps);
    if (failures) std::printf("%d check(s) FAILED\n", failures);
    return failures ? 1 : 0;
}

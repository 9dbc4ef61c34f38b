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
// Build (H100/H200; the GEMM file for sm_90a):
//   nvcc -std=c++20 -O3 -I. -gencode arch=compute_90a,code=sm_90a bench/gemm/hopper_gemm_bench.cu
//        bench/gemm/HopperGemm.cu -lcublasLt -lcublas -o hopper_gemm_bench
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include "bench/gemm/HopperGemm.h"

using bertbench::hopper::HopperEpilogue;
using bertbench::hopper::HopperGemmCall;

namespace {

#define CHECK_CUDA(x)                                                                                  \
    do {                                                                                               \
        cudaError_t e_ = (x);                                                                          \
        if (e_ != cudaSuccess) {                                                                       \
            std::fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));     \
            std::exit(2);                                                                              \
        }                                                                                              \
    } while (0)
#define CHECK_CUBLAS(x)                                                                                \
    do {                                                                                               \
        cublasStatus_t s_ = (x);                                                                       \
        if (s_ != CUBLAS_STATUS_SUCCESS) {                                                             \
            std::fprintf(stderr, "%s:%d %s: cuBLAS status %d\n", __FILE__, __LINE__, #x, int(s_));     \
            std::exit(2);                                                                              \
        }                                                                                              \
    } while (0)

struct Layer {
    const char* name;
    int in, out;
    HopperEpilogue epilogue;
};

uint16_t toBits(float v, bool bf16)
{
    if (bf16) {
        __nv_bfloat16 b = __float2bfloat16_rn(v);
        uint16_t u;
        std::memcpy(&u, &b, 2);
        return u;
    }
    __half h = __float2half_rn(v);
    uint16_t u;
    std::memcpy(&u, &h, 2);
    return u;
}
float fromBits(uint16_t u, bool bf16)
{
    if (bf16) {
        __nv_bfloat16 b;
        std::memcpy(&b, &u, 2);
        return __bfloat162float(b);
    }
    __half h;
    std::memcpy(&h, &u, 2);
    return __half2float(h);
}

// Host copies (already rounded to the dtype) and device buffers of one layer's operands.
struct Operands {
    bool bf16;
    int64_t rows;
    int in, out;
    std::vector<uint16_t> x, w, bias, residual;
    void *dX = nullptr, *dW = nullptr, *dBias = nullptr, *dResidual = nullptr, *dY = nullptr;

    Operands(bool bf16_, int64_t rows_, int in_, int out_, uint32_t seed) : bf16(bf16_), rows(rows_), in(in_), out(out_)
    {
        // splitmix64 of (seed, stream, index): fast enough for the 200 M-element operands.
        auto uniform = [](uint64_t z) {
            z += 0x9E3779B97F4A7C15ull;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            z ^= z >> 31;
            return float(double(z >> 11) * (2.0 / 9007199254740992.0) - 1.0);   // [-1, 1)
        };
        uint64_t stream = 0;
        auto fill = [&](std::vector<uint16_t>& v, size_t n, float scale) {
            v.resize(n);
            const uint64_t key = (uint64_t(seed) << 40) ^ (++stream << 56);
            for (size_t i = 0; i < n; ++i) v[i] = toBits(uniform(key + i) * scale, bf16);
        };
        fill(x, size_t(rows) * in, 1.f);
        fill(w, size_t(out) * in, 1.f / std::sqrt(float(in)) * 1.7f);   // outputs of about unit size
        fill(bias, size_t(out), 0.5f);
        fill(residual, size_t(rows) * out, 1.f);
        auto upload = [](void*& d, const std::vector<uint16_t>& v) {
            CHECK_CUDA(cudaMalloc(&d, v.size() * 2));
            CHECK_CUDA(cudaMemcpy(d, v.data(), v.size() * 2, cudaMemcpyHostToDevice));
        };
        upload(dX, x);
        upload(dW, w);
        upload(dBias, bias);
        upload(dResidual, residual);
        CHECK_CUDA(cudaMalloc(&dY, size_t(rows) * out * 2));
    }
    ~Operands()
    {
        for (void* p : {dX, dW, dBias, dResidual, dY}) cudaFree(p);
    }
    HopperGemmCall call(HopperEpilogue epilogue) const
    {
        HopperGemmCall c;
        c.bf16 = bf16;
        c.y = dY;
        c.x = dX;
        c.weight = dW;
        c.bias = dBias;
        c.residual = epilogue == HopperEpilogue::Residual ? dResidual : nullptr;
        c.rows = rows;
        c.in = in;
        c.out = out;
        c.epilogue = epilogue;
        return c;
    }
    // Double-precision twin of one output row, from the rounded inputs.
    void reference(int64_t row, HopperEpilogue epilogue, double* y) const
    {
        for (int n = 0; n < out; ++n) {
            double s = 0;
            const uint16_t* xr = &x[size_t(row) * in];
            const uint16_t* wr = &w[size_t(n) * in];
            for (int k = 0; k < in; ++k) s += double(fromBits(xr[k], bf16)) * double(fromBits(wr[k], bf16));
            s += fromBits(bias[n], bf16);
            if (epilogue == HopperEpilogue::BiasGelu) s = 0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0)));
            if (epilogue == HopperEpilogue::Residual) s += fromBits(residual[size_t(row) * out + n], bf16);
            y[n] = s;
        }
    }
};

const char* epilogueName(HopperEpilogue e)
{
    switch (e) {
    case HopperEpilogue::None: return "bias";
    case HopperEpilogue::BiasGelu: return "bias+gelu";
    case HopperEpilogue::Residual: return "bias+residual";
    }
    return "?";
}

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

// cublasLt with the layer's epilogue as cuBLAS offers it (heuristic's first algorithm).
struct LtGemm {
    cublasLtHandle_t lt;
    void* workspace = nullptr;
    size_t workspaceBytes = 32u << 20;
    LtGemm()
    {
        CHECK_CUBLAS(cublasLtCreate(&lt));
        CHECK_CUDA(cudaMalloc(&workspace, workspaceBytes));
    }
    ~LtGemm()
    {
        cudaFree(workspace);
        cublasLtDestroy(lt);
    }
    // Returns false when cublasLt has no algorithm.
    bool run(const Operands& op, bool withEpilogue, HopperEpilogue epilogue, int reps, std::vector<float>& ms)
    {
        const cudaDataType_t t = op.bf16 ? CUDA_R_16BF : CUDA_R_16F;
        cublasLtMatmulDesc_t desc;
        CHECK_CUBLAS(cublasLtMatmulDescCreate(&desc, CUBLAS_COMPUTE_32F, CUDA_R_32F));
        const cublasOperation_t opT = CUBLAS_OP_T, opN = CUBLAS_OP_N;
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &opT, sizeof opT));
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &opN, sizeof opN));
        cublasLtEpilogue_t epi = CUBLASLT_EPILOGUE_DEFAULT;
        if (withEpilogue) epi = epilogue == HopperEpilogue::BiasGelu ? CUBLASLT_EPILOGUE_GELU_BIAS : CUBLASLT_EPILOGUE_BIAS;
        CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epi, sizeof epi));
        if (withEpilogue)
            CHECK_CUBLAS(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &op.dBias, sizeof op.dBias));
        cublasLtMatrixLayout_t a, b, c;
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&a, t, op.in, op.out, op.in));
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&b, t, op.in, op.rows, op.in));
        CHECK_CUBLAS(cublasLtMatrixLayoutCreate(&c, t, op.out, op.rows, op.out));
        cublasLtMatmulPreference_t pref;
        CHECK_CUBLAS(cublasLtMatmulPreferenceCreate(&pref));
        CHECK_CUBLAS(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspaceBytes,
                                                          sizeof workspaceBytes));
        cublasLtMatmulHeuristicResult_t result{};
        int found = 0;
        cublasLtMatmulAlgoGetHeuristic(lt, desc, a, b, c, c, pref, 1, &result, &found);
        bool ok = found > 0;
        if (ok) {
            const bool residual = withEpilogue && epilogue == HopperEpilogue::Residual;
            const float alpha = 1.f, beta = residual ? 1.f : 0.f;
            const void* cIn = residual ? op.dResidual : op.dY;
            ms = timeIt(reps, [&] {
                CHECK_CUBLAS(cublasLtMatmul(lt, desc, &alpha, op.dW, a, op.dX, b, &beta, cIn, c, op.dY, c, &result.algo,
                                            workspace, workspaceBytes, nullptr));
            });
        }
        cublasLtMatmulPreferenceDestroy(pref);
        cublasLtMatrixLayoutDestroy(a);
        cublasLtMatrixLayoutDestroy(b);
        cublasLtMatrixLayoutDestroy(c);
        cublasLtMatmulDescDestroy(desc);
        return ok;
    }

    template <class F>
    static std::vector<float> timeIt(int reps, F&& f)
    {
        for (int i = 0; i < 5; ++i) f();
        CHECK_CUDA(cudaDeviceSynchronize());
        std::vector<float> ms;
        cudaEvent_t e0, e1;
        CHECK_CUDA(cudaEventCreate(&e0));
        CHECK_CUDA(cudaEventCreate(&e1));
        for (int i = 0; i < reps; ++i) {
            CHECK_CUDA(cudaEventRecord(e0));
            f();
            CHECK_CUDA(cudaEventRecord(e1));
            CHECK_CUDA(cudaEventSynchronize(e1));
            float t = 0;
            CHECK_CUDA(cudaEventElapsedTime(&t, e0, e1));
            ms.push_back(t);
        }
        cudaEventDestroy(e0);
        cudaEventDestroy(e1);
        return ms;
    }
};

float median(std::vector<float> v)
{
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void timeLayer(bool bf16, const Layer& L, int64_t rows, int reps, LtGemm& lt, cublasHandle_t blas)
{
    Operands op(bf16, rows, L.in, L.out, 7);
    const double flops = 2.0 * double(rows) * L.in * L.out;
    auto ours = [&](HopperEpilogue e) {
        return median(LtGemm::timeIt(reps, [&] { bertbench::hopper::runHopperGemm(op.call(e), nullptr); }));
    };
    const float oursEpi = ours(L.epilogue);
    const float oursPlain = ours(HopperEpilogue::None);
    std::vector<float> v;
    const float ltEpi = lt.run(op, true, L.epilogue, reps, v) ? median(v) : NAN;
    const float ltPlain = lt.run(op, false, L.epilogue, reps, v) ? median(v) : NAN;
    const cudaDataType_t t = bf16 ? CUDA_R_16BF : CUDA_R_16F;
    const float alpha = 1.f, beta = 0.f;
    const float blasPlain = median(LtGemm::timeIt(reps, [&] {
        CHECK_CUBLAS(cublasGemmEx(blas, CUBLAS_OP_T, CUBLAS_OP_N, L.out, int(rows), L.in, &alpha, op.dW, t, L.in, op.dX, t,
                                  L.in, &beta, op.dY, t, L.out, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
    }));
    auto tf = [&](float ms) { return flops / (ms * 1e-3) / 1e12; };
    std::printf("time %-4s %-9s %-14s rows %6lld  ours+epi %.4f ms (%5.1f TF/s)  ours plain %.4f (%5.1f)  "
                "lt+epi %.4f (%5.1f)  lt plain %.4f  gemmEx %.4f (%5.1f)  ours+epi/gemmEx %5.1f%%\n",
                bf16 ? "bf16" : "fp16", L.name, epilogueName(L.epilogue), (long long)rows, oursEpi, tf(oursEpi),
                oursPlain, tf(oursPlain), ltEpi, tf(ltEpi), ltPlain, blasPlain, tf(blasPlain),
                100.0 * oursEpi / blasPlain);
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
    if (time) {
        LtGemm lt;
        cublasHandle_t blas;
        CHECK_CUBLAS(cublasCreate(&blas));
        for (int64_t rows : tokens)
            for (bool bf16 : dtypes)
                for (const Layer& L : layers) timeLayer(bf16, L, rows, reps, lt, blas);
        cublasDestroy(blas);
    }
    if (failures) std::printf("%d check(s) FAILED\n", failures);
    return failures ? 1 : 0;
}

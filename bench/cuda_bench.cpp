// bertbench-cuda-bench: times cuda:eager directly (no runner, no Python), and the two ceilings
// the targets refer to: cuBLAS alone on the encoder's GEMM shapes, and a device-to-device
// copy. bench/run_eager_bench.sh runs it next to HF transformers on the GPU machine.
//
//   sweep     per cell (batch × seq × pad): median forward time with CUDA events, plain and as a
//             CUDA-graph replay, and the peak memory (CSV on stdout or --csv FILE)
//   profile   one cell with per-op CUDA events: ms per forward and the rate of each op category
//             (TFLOP/s for GEMMs, GB/s for the memory-bound kernels)
//   gemm      each encoder GEMM shape through cublasGemmEx alone (default algorithm) and through
//             our cublasLt path, on random data
//   copy      cudaMemcpyAsync device-to-device of 1 GiB (bytes read + written)
//
// Example: bertbench-cuda-bench sweep --batches 1,8,32,128 --seqs 128,512 --pads 0,0.5
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/model/ModelConfig.h"
#include "core/util/Random.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

using namespace bertbench;
using namespace bertbench::cuda;

namespace {

struct Options {
    std::string mode = "sweep";
    std::string model = "bert-base";
    DType dtype = DType::Float16;
    Task task = Task::Encoder;
    std::vector<int> batches{1, 8, 32, 128};
    std::vector<int> seqs{128, 512};
    std::vector<double> pads{0.0, 0.5};
    int warmup = 5;
    double targetMs = 1500;   // per cell and mode: repeats fill about this much time
    int minIters = 10, maxIters = 300;
    std::string csv;
    uint64_t seed = 0;
    bool packed = false;   // eager attention inside the padding-free encoder (for comparisons)
};

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) out.push_back(item);
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

Options parse(int argc, char** argv) {
    Options o;
    int i = 1;
    if (argc > 1 && argv[1][0] != '-') o.mode = argv[i++];
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--model") o.model = next();
        else if (a == "--dtype") o.dtype = parseDType(next()).value();
        else if (a == "--task") o.task = parseTask(next()).value();
        else if (a == "--batches") { o.batches.clear(); for (auto& s : split(next())) o.batches.push_back(std::stoi(s)); }
        else if (a == "--seqs") { o.seqs.clear(); for (auto& s : split(next())) o.seqs.push_back(std::stoi(s)); }
        else if (a == "--pads") { o.pads.clear(); for (auto& s : split(next())) o.pads.push_back(std::stod(s)); }
        else if (a == "--warmup") o.warmup = std::stoi(next());
        else if (a == "--target-ms") o.targetMs = std::stod(next());
        else if (a == "--csv") o.csv = next();
        else if (a == "--seed") o.seed = std::stoull(next());
        else if (a == "--packed") o.packed = true;
        else throw std::runtime_error("unknown option " + a);
    }
    return o;
}

// Times `forward` repeatedly: warm-up, then enough repeats to fill targetMs. Median in ms.
template <typename F>
double timeMedian(const Options& o, F forward) {
    for (int w = 0; w < o.warmup; ++w) forward();
    const double first = forward();
    const int iters = std::clamp(int(o.targetMs / std::max(first, 1e-3)), o.minIters, o.maxIters);
    std::vector<double> samples;
    for (int r = 0; r < iters; ++r) samples.push_back(forward());
    return median(samples);
}

int sweep(const Options& o) {
    const BertWeights weights = randomWeights(presetConfig(o.model), o.seed);
    std::ostream* csv = &std::cout;
    std::ofstream file;
    if (!o.csv.empty()) {
        file.open(o.csv);
        csv = &file;
    }
    *csv << "backend,model,task,dtype,batch,seq,pad,real_tokens,median_ms,median_graph_ms,peak_mb\n";
    CudaBertBackend backend(std::make_unique<EagerAttention>(o.packed), 0);
    backend.loadModel(weights, o.dtype);
    for (int b : o.batches) {
        for (int s : o.seqs) {
            for (double pad : o.pads) {
                BatchSpec spec;
                spec.batchSize = b;
                spec.maxSeqLen = s;
                spec.padFraction = pad;
                spec.vocabSize = weights.config.vocabSize;
                spec.seed = o.seed * 1000 + uint64_t(b * 7 + s * 13) + uint64_t(pad * 100);
                const Batch batch = makeBatch(spec);
                backend.setUseCudaGraphs(false);
                backend.prepare(o.task, batch);
                backend.resetPeakMemory();
                const double plain = timeMedian(o, [&] { return backend.forward(); });
                const double peakMb = double(backend.peakMemoryBytes()) / 1e6;
                backend.setUseCudaGraphs(true);
                const double graph = timeMedian(o, [&] { return backend.forward(); });
                backend.releaseCell();
                char line[256];
                std::snprintf(line, sizeof line, "cuda:eager%s,%s,%s,%s,%d,%d,%g,%lld,%.4f,%.4f,%.1f\n",
                              o.packed ? "-packed" : "", o.model.c_str(), toString(o.task).c_str(),
                              toString(o.dtype).c_str(), b, s, pad, (long long)batch.realTokens(), plain, graph, peakMb);
                *csv << line << std::flush;
                if (csv != &std::cout) std::cout << line << std::flush;
            }
        }
    }
    return 0;
}

int profile(const Options& o) {
    const BertWeights weights = randomWeights(presetConfig(o.model), o.seed);
    CudaBertBackend backend(std::make_unique<EagerAttention>(o.packed), 0);
    backend.loadModel(weights, o.dtype);
    for (int b : o.batches) {
        for (int s : o.seqs) {
            for (double pad : o.pads) {
                BatchSpec spec;
                spec.batchSize = b;
                spec.maxSeqLen = s;
                spec.padFraction = pad;
                spec.vocabSize = weights.config.vocabSize;
                spec.seed = o.seed + 1;
                const Batch batch = makeBatch(spec);
                backend.prepare(o.task, batch);
                for (int w = 0; w < o.warmup; ++w) backend.forward();
                std::vector<double> plain;
                for (int r = 0; r < 10; ++r) plain.push_back(backend.forward());
                OpProfiler profiler;
                backend.setProfiler(&profiler);
                const int iters = 10;
                double sum = 0;   // scopes nest (a strategy's ops inside "attention"): sum them exclusively
                for (int r = 0; r < iters; ++r) {
                    backend.forward();
                    profiler.collect();
                    sum += breakdownFromScopes(profiler.lastScopes(), 0.0).sumMs;
                }
                backend.setProfiler(nullptr);
                backend.releaseCell();
                std::printf("profile %s %s %s batch %d seq %d pad %g: forward %.3f ms (median, no profiling)\n",
                            o.model.c_str(), toString(o.task).c_str(), toString(o.dtype).c_str(), b, s, pad,
                            median(plain));
                std::printf("  %-20s %10s %7s %10s %10s %6s\n", "op", "ms/fwd", "share", "TFLOP/s", "GB/s", "calls");
                for (const auto& [name, t] : profiler.totals()) {
                    const double ms = t.ms / iters;
                    std::printf("  %-20s %10.3f %6.1f%% %10.1f %10.1f %6d\n", name.c_str(), ms, 100 * t.ms / sum,
                                t.flops > 0 ? t.flops / (t.ms * 1e-3) / 1e12 : 0.0,
                                t.bytes > 0 ? t.bytes / (t.ms * 1e-3) / 1e9 : 0.0, t.calls / iters);
                }
                std::printf("  %-20s %10.3f\n", "sum of ops", sum / iters);
            }
        }
    }
    return 0;
}

// Random values in `dtype` filling `bytes` (a 4M-element random block, tiled).
void fillRandom(void* dst, size_t count, DType dtype, Rng& rng) {
    const size_t block = std::min<size_t>(count, size_t(1) << 22);
    std::vector<float> values(block);
    for (float& v : values) v = float(rng.normal() * 0.5);
    std::vector<unsigned char> raw(block * elementSize(dtype));
    convertFromFloat(dtype, values.data(), block, raw.data());
    for (size_t done = 0; done < count; done += block) {
        const size_t n = std::min(block, count - done);
        BB_CUDA_CHECK(cudaMemcpy(static_cast<unsigned char*>(dst) + done * elementSize(dtype), raw.data(),
                                 n * elementSize(dtype), cudaMemcpyHostToDevice));
    }
}

int gemm(const Options& o) {
    const ModelConfig c = presetConfig(o.model);
    const int64_t tokens = int64_t(o.batches.front()) * o.seqs.front();
    const int H = c.hiddenSize, I = c.intermediateSize;
    struct Shape {
        const char* name;
        int in, out;
    } shapes[] = {{"qkv", H, 3 * H}, {"attn-out", H, H}, {"ffn-in", H, I}, {"ffn-out", I, H}};
    DeviceAllocator allocator(0);
    CudaContext context(0, allocator);
    context.ensureWorkspace();
    Gemm ours(context);
    Rng rng(o.seed + 99);
    const size_t e = elementSize(o.dtype);
    const cudaDataType_t type = toCudaDataType(o.dtype);
    EventTimer timer;
    std::printf("GEMMs of %s at %lld tokens (%s, fp32 accumulate), cuBLAS alone vs our cublasLt path:\n",
                o.model.c_str(), (long long)tokens, toString(o.dtype).c_str());
    std::printf("  %-10s %6s %6s %6s %12s %12s %12s %12s\n", "gemm", "M", "N", "K", "cublas ms", "cublas TF/s",
                "ours ms", "ours TF/s");
    double sumCublas = 0, sumOurs = 0;
    for (const Shape& s : shapes) {
        DeviceBuffer x(allocator, size_t(tokens) * s.in * e, "x"), w(allocator, size_t(s.out) * s.in * e, "w");
        DeviceBuffer b(allocator, size_t(s.out) * e, "b"), y(allocator, size_t(tokens) * s.out * e, "y");
        fillRandom(x.get(), size_t(tokens) * s.in, o.dtype, rng);
        fillRandom(w.get(), size_t(s.out) * s.in, o.dtype, rng);
        fillRandom(b.get(), size_t(s.out), o.dtype, rng);
        const float alpha = 1.f, beta = 0.f;
        auto cublasAlone = [&] {
            timer.start(context.stream());
            BB_CUBLAS_CHECK(cublasGemmEx(context.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, s.out, int(tokens), s.in, &alpha,
                                         w.get(), type, s.in, x.get(), type, s.in, &beta, y.get(), type, s.out,
                                         CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
            timer.stop(context.stream());
            return timer.elapsedMs();
        };
        const bool withBias = std::string(s.name) == "qkv";   // the model fuses only the QKV bias
        auto oursPath = [&] {
            timer.start(context.stream());
            ours.linear(o.dtype, y.get(), x.get(), w.get(), withBias ? b.get() : nullptr, tokens, s.in, s.out);
            timer.stop(context.stream());
            return timer.elapsedMs();
        };
        const double flops = 2.0 * double(tokens) * s.in * s.out;
        const double a = timeMedian(o, cublasAlone), m = timeMedian(o, oursPath);
        sumCublas += a;
        sumOurs += m;
        std::printf("  %-10s %6lld %6d %6d %12.4f %12.1f %12.4f %12.1f\n", s.name, (long long)tokens, s.out, s.in, a,
                    flops / (a * 1e-3) / 1e12, m, flops / (m * 1e-3) / 1e12);
    }
    std::printf("  per layer: cuBLAS alone %.4f ms, ours %.4f ms (%.1f%% of cuBLAS's rate)\n", sumCublas, sumOurs,
                100 * sumCublas / sumOurs);
    // Attention's batched GEMMs alone, as cuda:eager issues them.
    const int S = o.seqs.front(), B = o.batches.front(), heads = c.numHeads, d = c.headDim();
    const int64_t ldS = EagerAttention::scoreStride(S);
    DeviceBuffer q(allocator, size_t(B) * heads * S * d * e, "q"), k(allocator, size_t(B) * heads * S * d * e, "k");
    DeviceBuffer sc(allocator, size_t(B) * heads * S * ldS * e, "scores");
    fillRandom(q.get(), size_t(B) * heads * S * d, o.dtype, rng);
    fillRandom(k.get(), size_t(B) * heads * S * d, o.dtype, rng);
    auto qk = [&] {
        timer.start(context.stream());
        stridedBatchedGemm(context, o.dtype, true, false, S, S, d, 0.125f, k.get(), d, int64_t(S) * d, q.get(), d,
                           int64_t(S) * d, 0.f, sc.get(), ldS, int64_t(S) * ldS, B * heads);
        timer.stop(context.stream());
        return timer.elapsedMs();
    };
    const double tq = timeMedian(o, qk);
    std::printf("  %-10s batch %d x %d heads, S %d, d %d: %.4f ms, %.1f TFLOP/s\n", "q*k^T", B, heads, S, d, tq,
                2.0 * B * heads * double(S) * S * d / (tq * 1e-3) / 1e12);
    return 0;
}

int copy(const Options& o) {
    DeviceAllocator allocator(0);
    CudaContext context(0, allocator);
    const size_t bytes = size_t(1) << 30;
    DeviceBuffer a(allocator, bytes, "a"), b(allocator, bytes, "b");
    BB_CUDA_CHECK(cudaMemset(a.get(), 1, bytes));
    EventTimer timer;
    const double ms = timeMedian(o, [&] {
        timer.start(context.stream());
        BB_CUDA_CHECK(cudaMemcpyAsync(b.get(), a.get(), bytes, cudaMemcpyDeviceToDevice, context.stream()));
        timer.stop(context.stream());
        return timer.elapsedMs();
    });
    std::printf("device-to-device copy of %.2f GB: %.3f ms, %.0f GB/s (read + write)\n", double(bytes) / 1e9, ms,
                2.0 * double(bytes) / (ms * 1e-3) / 1e9);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse(argc, argv);
        if (o.mode == "sweep") return sweep(o);
        if (o.mode == "profile") return profile(o);
        if (o.mode == "gemm") return gemm(o);
        if (o.mode == "copy") return copy(o);
        std::fprintf(stderr, "unknown mode %s (sweep, profile, gemm, copy)\n", o.mode.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bertbench-cuda-bench: %s\n", e.what());
        return 1;
    }
}

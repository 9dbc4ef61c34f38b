// bertbench-small-linear-bench: the batch-1 forward's four linear layers, one at a time, through
// cuBLAS as the forward runs them (cublasLt with its epilogue, then the LayerNorm kernel where the
// layer has one), through cublasGemmEx alone (no epilogue), and through the small-row kernel
// (kernels/ops/SmallLinear.h). Each path is captured in a CUDA graph of `--layers` calls, each on
// its own copy of the weights (as the forward reads 12 layers' weights, which do not fit in L2),
// and the graph's median replay time is divided by the call count: the time a call adds to a
// graphed forward. GB/s counts the weights only, the bytes that bound these shapes.
//
//   bertbench-small-linear-bench [--rows 128,32] [--dtype float16] [--layers 12] [--reps 100]
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include "core/model/ModelConfig.h"
#include "core/util/Random.h"
#include "kernels/ops/Ops.h"
#include "kernels/ops/SmallLinear.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

using namespace bertbench;
using namespace bertbench::cuda;

namespace {

struct Options {
    std::vector<int> rows{128};
    DType dtype = DType::Float16;
    int layers = 12;
    int reps = 100;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--rows") {
            o.rows.clear();
            std::stringstream in(next());
            for (std::string s; std::getline(in, s, ',');) o.rows.push_back(std::stoi(s));
        } else if (a == "--dtype") o.dtype = parseDType(next()).value();
        else if (a == "--layers") o.layers = std::stoi(next());
        else if (a == "--reps") o.reps = std::stoi(next());
        else if (a == "--help" || a == "-h") {
            std::printf("usage: bertbench-small-linear-bench [--rows 128,32] [--dtype float16|bfloat16] "
                        "[--layers 12] [--reps 100]\n");
            std::exit(0);
        } else throw std::runtime_error("unknown option " + a);
    }
    for (int r : o.rows)
        if (r < 1 || r > ops::kSmallLinearMaxRows) throw std::runtime_error("--rows must lie in 1..128");
    if (o.layers < 1 || o.reps < 1) throw std::runtime_error("--layers and --reps must be positive");
    return o;
}

void fillRandom(DeviceBuffer& dst, size_t count, DType dtype, Rng& rng) {
    std::vector<float> values(count);
    for (float& v : values) v = float(rng.normal() * 0.5);
    std::vector<unsigned char> raw(count * elementSize(dtype));
    convertFromFloat(dtype, values.data(), count, raw.data());
    BB_CUDA_CHECK(cudaMemcpy(dst.get(), raw.data(), raw.size(), cudaMemcpyHostToDevice));
}

// Median over `reps` replays of a graph holding `calls` launches of `body`, per call, in µs.
double graphedMicros(CudaContext& context, int calls, int reps, const std::function<void(int)>& body) {
    cudaStream_t stream = context.stream();
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    BB_CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    for (int i = 0; i < calls; ++i) body(i);
    BB_CUDA_CHECK(cudaStreamEndCapture(stream, &graph));
    BB_CUDA_CHECK(cudaGraphInstantiate(&exec, graph, 0));
    EventTimer timer;
    std::vector<double> samples;
    for (int r = 0; r < reps + 5; ++r) {
        timer.start(stream);
        BB_CUDA_CHECK(cudaGraphLaunch(exec, stream));
        timer.stop(stream);
        const double ms = timer.elapsedMs();
        if (r >= 5) samples.push_back(ms);
    }
    BB_CUDA_CHECK(cudaGraphExecDestroy(exec));
    BB_CUDA_CHECK(cudaGraphDestroy(graph));
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2] * 1e3 / calls;
}

int run(const Options& o) {
    const ModelConfig c = presetConfig("bert-base");
    const int H = c.hiddenSize, I = c.intermediateSize;
    struct Shape {
        const char* name;
        int in, out;
        ops::SmallEpilogue epilogue;
    } shapes[] = {{"qkv", H, 3 * H, ops::SmallEpilogue::Bias},
                  {"attn-out+ln", H, H, ops::SmallEpilogue::BiasResidualLayerNorm},
                  {"ffn-in+gelu", H, I, ops::SmallEpilogue::BiasGelu},
                  {"ffn-out+ln", I, H, ops::SmallEpilogue::BiasResidualLayerNorm}};
    DeviceAllocator allocator(0);
    CudaContext context(0, allocator);
    context.ensureWorkspace();
    Gemm gemm(context);
    gemm.setAutotune(true);
    gemm.setFusedEpilogues(true);
    const size_t e = elementSize(o.dtype);
    const cudaDataType_t type = toCudaDataType(o.dtype);
    const double peakGBs = 4300;   // the H200's 4.3 TB/s, the weight-read floor
    Rng rng(7);
    std::printf("bert-base linear layers, %s, %d weight copies per graph, median of %d replays; µs per call "
                "(GB/s of weights read; floor at %.0f GB/s)\n",
                toString(o.dtype).c_str(), o.layers, o.reps, peakGBs);
    std::printf("  %5s %-12s %6s %6s %9s %16s %16s %16s %16s\n", "rows", "layer", "in", "out", "weight MB",
                "floor us", "cuBLAS+epi us", "cublasGemmEx us", "small us");
    for (int rows : o.rows) {
        double sums[4] = {0, 0, 0, 0};
        for (const Shape& s : shapes) {
            std::vector<std::unique_ptr<DeviceBuffer>> w;
            for (int l = 0; l < o.layers; ++l) {
                w.push_back(std::make_unique<DeviceBuffer>(allocator, size_t(s.out) * s.in * e, "w"));
                fillRandom(*w.back(), size_t(s.out) * s.in, o.dtype, rng);
            }
            DeviceBuffer x(allocator, size_t(rows) * s.in * e, "x"), y(allocator, size_t(rows) * s.out * e, "y");
            DeviceBuffer tmp(allocator, size_t(rows) * s.out * e, "tmp"), b(allocator, size_t(s.out) * e, "b");
            DeviceBuffer g(allocator, size_t(s.out) * e, "gamma"), be(allocator, size_t(s.out) * e, "beta");
            for (auto* buf : {&x, &y, &tmp}) fillRandom(*buf, buf->bytes() / e, o.dtype, rng);
            for (auto* buf : {&b, &g, &be}) fillRandom(*buf, size_t(s.out), o.dtype, rng);
            const bool ln = s.epilogue == ops::SmallEpilogue::BiasResidualLayerNorm;
            const bool gelu = s.epilogue == ops::SmallEpilogue::BiasGelu;
            auto cublasForward = [&](int l) {
                if (gelu) gemm.linearGelu(o.dtype, y.get(), x.get(), w[l]->get(), b.get(), rows, s.in, s.out);
                else if (!ln) gemm.linear(o.dtype, y.get(), x.get(), w[l]->get(), b.get(), rows, s.in, s.out);
                else {
                    gemm.linearResidual(o.dtype, tmp.get(), x.get(), w[l]->get(), b.get(), y.get(), rows, s.in, s.out);
                    ops::biasResidualLayerNorm(o.dtype, y.get(), tmp.get(), nullptr, nullptr, g.get(), be.get(), rows,
                                               s.out, 1e-12f, context.stream());
                }
            };
            const float alpha = 1.f, beta = 0.f;
            auto cublasAlone = [&](int l) {
                BB_CUBLAS_CHECK(cublasGemmEx(context.cublas(), CUBLAS_OP_T, CUBLAS_OP_N, s.out, rows, s.in, &alpha,
                                             w[l]->get(), type, s.in, x.get(), type, s.in, &beta, y.get(), type, s.out,
                                             CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
            };
            auto small = [&](int l) {
                ops::SmallLinearArgs a;
                a.dtype = o.dtype;
                a.epilogue = s.epilogue;
                a.y = y.get();
                a.x = x.get();
                a.weight = w[l]->get();
                a.bias = b.get();
                a.residual = y.get();
                a.gamma = g.get();
                a.beta = be.get();
                a.rows = rows;
                a.in = s.in;
                a.out = s.out;
                ops::useContextScratch(a, static_cast<float*>(context.workspace()), context.workspaceBytes(),
                                       context.counters(), context.properties().multiProcessorCount);
                ops::smallLinear(a, context.stream());
            };
            // Autotuning and plan building happen outside the capture.
            cublasForward(0);
            BB_CUDA_CHECK(cudaStreamSynchronize(context.stream()));
            const double mb = double(s.out) * s.in * e / 1e6;
            const double t[4] = {mb / peakGBs * 1e3, graphedMicros(context, o.layers, o.reps, cublasForward),
                                 graphedMicros(context, o.layers, o.reps, cublasAlone),
                                 graphedMicros(context, o.layers, o.reps, small)};
            std::printf("  %5d %-12s %6d %6d %9.2f", rows, s.name, s.in, s.out, mb);
            for (int k = 0; k < 4; ++k) {
                sums[k] += t[k];
                std::printf(" %8.2f (%5.0f)", t[k], mb / t[k] * 1e3);
            }
            std::printf("\n");
        }
        std::printf("  %5d %-12s %6s %6s %9s", rows, "layer", "", "", "");
        for (double v : sums) std::printf(" %8.2f %7s", v, "");
        std::printf("\n");
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bertbench-small-linear-bench: %s\n", e.what());
        return 1;
    }
}

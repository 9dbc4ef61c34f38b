// CudaBertBackend's measurement-profile side: the profiling forward, the GEMM probe and the PCI bus id.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "kernels/CudaBertBackend.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/GemmProbe.h"
#include "kernels/runtime/GraphCapture.h"
#include "kernels/runtime/StreamGate.h"

#include "core/util/Errors.h"

namespace bertbench::cuda {

namespace {

// The profiled forward enqueued behind a closed gate, launch by launch (no CUDA graph).
void profileGated(CudaContext& context, const std::function<void()>& forward, OpProfiler& profiler) {
    // Behind a closed gate: each scope times its ops, not the host's launch and event-record rate
    // (dominant for small cells).
    StreamGate gate;
    gate.hold(context.stream());
    try {
        forward();
    } catch (...) {
        gate.release();
        cudaStreamSynchronize(context.stream());   // the host function must be done with `gate`
        throw;
    }
    gate.release();
    BB_CUDA_CHECK(cudaStreamSynchronize(context.stream()));
    profiler.collect();
}

// Milliseconds one replay of `exec` takes: replays back to back between one pair of events (the
// events' own cost is spread over them), median of three such rounds, after two warm-up replays.
double replayMs(cudaGraphExec_t exec, cudaStream_t stream, double roughMs) {
    const int perRound = int(std::clamp(std::ceil(1.0 / std::max(roughMs, 1e-3)), 3.0, 200.0));
    for (int i = 0; i < 2; ++i) BB_CUDA_CHECK(cudaGraphLaunch(exec, stream));
    EventTimer timer;
    std::vector<double> rounds;
    for (int r = 0; r < 3; ++r) {
        timer.start(stream);
        for (int i = 0; i < perRound; ++i) BB_CUDA_CHECK(cudaGraphLaunch(exec, stream));
        timer.stop(stream);
        rounds.push_back(timer.elapsedMs() / perRound);
    }
    std::sort(rounds.begin(), rounds.end());
    return rounds[1];
}

// One category's launches alone (every layer's), captured into a CUDA graph and replayed: what
// they cost under --cuda-graphs, where the timed forwards are replays too. A profiled forward
// with an event node around every op would instead pay each node's cost (~2 µs on the H200:
// +30-65% at batch 1). The buffers the category reads hold the cell's data from the timed
// forwards, and the category's output stays finite when replayed (LayerNorms, softmax); the
// timed output was copied out before the profile. nullopt when the forward cannot be captured.
std::optional<double> categoryAloneMs(CudaContext& context, const std::function<void()>& forward,
                                      const std::string& category, double roughMs) {
    struct Filter {   // the forward enqueues only `category` while this lives
        CudaContext& c;
        Filter(CudaContext& context, const std::string& only) : c(context) { c.setOnlyCategory(only); }
        ~Filter() { c.setOnlyCategory({}); }
    } filter(context, category);
    cudaGraphExec_t exec = nullptr;
    try {
        exec = captureGraphExec(context.stream(), forward);
    } catch (const std::exception&) {   // not capturable: the caller keeps the launch-by-launch profile
        return std::nullopt;
    }
    try {
        const double ms = replayMs(exec, context.stream(), roughMs);
        cudaGraphExecDestroy(exec);
        return ms;
    } catch (...) {
        cudaGraphExecDestroy(exec);
        throw;
    }
}

} // namespace

std::optional<OpBreakdown> CudaBertBackend::profileForward() {
    if (!model_.prepared()) throw BackendError("profileForward() before prepare()");
    context_.makeCurrent();
    OpProfiler* previous = context_.profiler();   // the bench may have its own profiler attached
    OpProfiler profiler;
    context_.setProfiler(&profiler);
    const std::function<void()> forward = [&] { model_.forward(*attention_); };
    try {
        // The first profiled forward creates the events; the second, from a warm pool, counts.
        profileGated(context_, forward, profiler);
        profiler.clear();
        profileGated(context_, forward, profiler);
    } catch (...) {
        context_.setProfiler(previous);
        throw;
    }
    context_.setProfiler(previous);
    OpBreakdown gated = breakdownFromScopes(profiler.lastScopes(), 0.0);
    if (!useGraphs_) return gated;
    // Under --cuda-graphs: each category that occurred, timed as a graph of its launches alone
    // (no profiler attached: no event nodes in those graphs).
    struct Detach {
        CudaContext& c;
        OpProfiler* keep;
        ~Detach() { c.setProfiler(keep); }
    } detach{context_, previous};
    context_.setProfiler(nullptr);
    OpBreakdown alone = emptyBreakdown();
    for (const OpPart& part : gated.parts) {
        if (part.calls == 0) continue;
        const std::optional<double> ms = categoryAloneMs(context_, forward, part.category, part.ms);
        if (!ms) return gated;   // not capturable: the launch-by-launch profile stands
        addToBreakdown(alone, part.category, *ms, part.calls);
    }
    finishBreakdown(alone, 0.0);
    return alone;
}

double CudaBertBackend::gemmPeakTflops(DType dtype) {
    // One probe per (GPU, dtype) for the whole process: every cuda:* backend of a sweep shares it.
    static std::mutex mutex;
    static std::map<std::pair<int, int>, double> probed;
    const std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_pair(context_.device(), int(dtype));
    if (const auto it = probed.find(key); it != probed.end()) return it->second;
    const double tflops = measureGemmPeakTflops(context_, dtype);
    probed[key] = tflops;
    return tflops;
}

std::string CudaBertBackend::pciBusId() const {
    char id[32] = {};
    if (cudaDeviceGetPCIBusId(id, int(sizeof id), context_.device()) != cudaSuccess) {
        cudaGetLastError();
        return {};
    }
    return id;
}

} // namespace bertbench::cuda

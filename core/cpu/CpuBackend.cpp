#include "core/cpu/CpuBackend.h"

#include <chrono>
#include <fstream>

#include "core/cpu/CpuBackends.h"
#include "core/cpu/CpuOps.h"
#include "core/util/Errors.h"

namespace bertbench::cpu {

namespace {

std::string cpuModelName() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
        }
    }
    return "unknown CPU";
}

// What each strategy computes, in a few words (CpuAttention.h has the whole of it).
std::string attentionStrategy(AttentionKind kind) {
    const std::string keyBlocks = std::to_string(kKeyBlock) + "-key blocks, online softmax";
    switch (kind) {
    case AttentionKind::Eager: return "eager: B×heads×S×S scores, additive mask";
    case AttentionKind::Sdpa: return "sdpa: padded rows, " + keyBlocks;
    case AttentionKind::Flash: return "flash_attention_2: packed real tokens, " + keyBlocks;
    }
    return "?";
}

} // namespace

std::string attentionName(AttentionKind kind) {
    switch (kind) {
    case AttentionKind::Eager: return "eager";
    case AttentionKind::Sdpa: return "sdpa";
    case AttentionKind::Flash: return "flash_attention_2";
    }
    return "?";
}

CpuBackend::CpuBackend(AttentionKind kind) : kind_(kind), tracker_("cpu:" + attentionName(kind)) {}

CpuModel& CpuBackend::model() const {
    if (!model_) throw BackendError("no model loaded (loadModel first)");
    return *model_;
}

std::string CpuBackend::name() const { return "cpu:" + attentionName(kind_); }

std::string CpuBackend::deviceName() const {
    static const std::string model = cpuModelName();
    const int threads = cpuThreads();
    return "CPU: " + model + " (" + std::to_string(threads) + (threads == 1 ? " thread)" : " threads)");
}

void CpuBackend::loadModel(const BertWeights& weights, DType dtype) {
    if (dtype != DType::Float32) {
        throw BackendError(name() + " runs fp32 only; " + toString(dtype) + " is not supported on the CPU");
    }
    // The model type picks the forward; the previous model's buffers go before the next one's come.
    if (model_) model_->unload();
    model_ = makeCpuModel(weights.config, tracker_);
    model_->load(weights);
}

void CpuBackend::prepare(Task task, const Batch& batch) { model().prepare(task, batch, kind_); }

double CpuBackend::forward() {
    const auto start = std::chrono::steady_clock::now();
    model().forward();
    const auto end = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(end - start).count();
}

std::optional<OpBreakdown> CpuBackend::profileForward() {
    ScopeTimer timer;
    CpuModel& m = model();
    m.setScopeTimer(&timer);
    try {
        m.forward();
    } catch (...) {
        m.setScopeTimer(nullptr);
        throw;
    }
    m.setScopeTimer(nullptr);
    return breakdownFromScopes(timer.records(), 0.0);
}

std::vector<KernelOption> CpuBackend::kernelOptions() const {
    // Attention first: it is what tells the CPU backends apart; the BLAS string is long.
    return {{"attention", attentionStrategy(kind_)},
            {"threads", std::to_string(cpuThreads())},
            {"blas", blasLibrary()}};
}

TaskOutput CpuBackend::output() { return model().output(); }

void CpuBackend::releaseCell() {
    if (model_) model_->releaseCell();
}

} // namespace bertbench::cpu

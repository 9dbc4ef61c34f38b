// registerCpuBackends, the CPU thread count and the BLAS description (CpuBackends.h).
#include "core/cpu/CpuBackends.h"

#include <atomic>
#include <thread>

#include "core/cpu/CpuBackend.h"
#include "core/cpu/CpuOps.h"

namespace bertbench {

namespace {
std::atomic<int> g_threads{0};
}

void registerCpuBackends(BackendRegistry& registry) {
    using cpu::AttentionKind;
    const struct {
        AttentionKind kind;
        const char* description;
    } kinds[] = {
        {AttentionKind::Eager, "CPU fp32 reference, eager attention (B×heads×S×S scores, additive mask)"},
        {AttentionKind::Sdpa, "CPU fp32, fused attention over the padded batch (key blocks, online softmax)"},
        {AttentionKind::Flash, "CPU fp32, FlashAttention-2 style on packed real tokens (padding removed once)"},
    };
    for (const auto& k : kinds) {
        BackendInfo info;
        info.attention = cpu::attentionName(k.kind);
        info.name = "cpu:" + info.attention;
        info.device = "cpu";
        info.description = k.description;
        info.dtypes = {DType::Float32};
        const AttentionKind kind = k.kind;
        info.create = [kind]() -> std::unique_ptr<Backend> { return std::make_unique<cpu::CpuBackend>(kind); };
        registry.add(std::move(info));
    }
}

std::string cpuBlasDescription() {
    cpu::configureBlasThreads();
    const int threads = cpuThreads();
    return cpu::gemmDescription() + "; " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

void setCpuThreads(int threads) { g_threads.store(threads > 0 ? threads : 0); }

int cpuThreads() {
    const int t = g_threads.load();
    if (t > 0) return t;
    return int(std::max(1u, std::thread::hardware_concurrency()));
}

} // namespace bertbench

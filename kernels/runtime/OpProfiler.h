#pragma once
// Per-operation timing of a forward: CUDA events around each op, summed per category with the
// bytes the op must move and its flops, so the bench can report time shares, GEMM rates and
// achieved bandwidth, and the sweep's profiling forward gets its per-op breakdown.
//
// Scopes nest. totals() holds the outermost scopes only: CudaBertModel::forward's categories,
// which tile the forward exactly (the OpCategory names of core/profile: "embeddings",
// "qkv_gemm", "attention", "attention_local" (ModernBERT's local layers), "attn_out_ln",
// "ffn_up_gelu", "ffn_down_ln", "padding", "head";
// kernels/README.md). Scopes opened inside another (an attention strategy's own steps:
// "attention.softmax", ...) go to details(). lastScopes() keeps the last forward's scopes with
// their nesting, for an exclusive attribution (breakdownFromScopes). Off (null) in normal forwards.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <cuda_runtime_api.h>

#include "core/profile/OpCategory.h"

namespace bertbench::cuda {

class OpProfiler {
public:
    struct Total {
        double ms = 0;
        double bytes = 0;
        double flops = 0;
        int calls = 0;
    };

    OpProfiler() = default;
    ~OpProfiler();
    OpProfiler(const OpProfiler&) = delete;
    OpProfiler& operator=(const OpProfiler&) = delete;

    void begin(cudaStream_t stream, const std::string& category, double bytes, double flops);
    void end(cudaStream_t stream);
    // Synchronises, adds this forward's ops to the totals and recycles the events.
    void collect();
    const std::map<std::string, Total>& totals() const { return totals_; }
    const std::map<std::string, Total>& details() const { return details_; }
    // The scopes of the forwards collected last, in begin order, with their nesting.
    const std::vector<ScopeRecord>& lastScopes() const { return lastScopes_; }
    void clear() {
        totals_.clear();
        details_.clear();
        lastScopes_.clear();
    }

private:
    struct Record {
        std::string category;
        double bytes = 0, flops = 0;
        size_t depth = 0;   // open scopes around this one when it began
        int parent = -1;   // index in records_ of the enclosing scope
        cudaEvent_t start = nullptr, stop = nullptr;
    };
    cudaEvent_t takeEvent();
    std::vector<Record> records_;
    std::vector<size_t> open_;   // indices of begun, not yet ended records (scopes may nest)
    std::vector<cudaEvent_t> spare_;
    std::map<std::string, Total> totals_, details_;
    std::vector<ScopeRecord> lastScopes_;
};

// RAII scope; a null profiler costs nothing.
class OpScope {
public:
    OpScope(OpProfiler* profiler, cudaStream_t stream, const char* category, double bytes = 0, double flops = 0)
        : profiler_(profiler), stream_(stream) {
        if (profiler_) profiler_->begin(stream_, category, bytes, flops);
    }
    ~OpScope() {
        if (profiler_) profiler_->end(stream_);
    }
    OpScope(const OpScope&) = delete;
    OpScope& operator=(const OpScope&) = delete;

private:
    OpProfiler* profiler_;
    cudaStream_t stream_;
};

} // namespace bertbench::cuda

#include "kernels/runtime/OpProfiler.h"

#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

OpProfiler::~OpProfiler() {
    for (auto& r : records_) {
        cudaEventDestroy(r.start);
        cudaEventDestroy(r.stop);
    }
    for (cudaEvent_t e : spare_) cudaEventDestroy(e);
}

cudaEvent_t OpProfiler::takeEvent() {
    if (!spare_.empty()) {
        cudaEvent_t e = spare_.back();
        spare_.pop_back();
        return e;
    }
    cudaEvent_t e = nullptr;
    BB_CUDA_CHECK(cudaEventCreate(&e));
    return e;
}

void OpProfiler::begin(cudaStream_t stream, const std::string& category, double bytes, double flops) {
    Record r;
    r.category = category;
    r.bytes = bytes;
    r.flops = flops;
    r.depth = open_.size();
    r.parent = open_.empty() ? -1 : int(open_.back());
    r.start = takeEvent();
    r.stop = takeEvent();
    BB_CUDA_CHECK(cudaEventRecord(r.start, stream));
    records_.push_back(r);
    open_.push_back(records_.size() - 1);
}

void OpProfiler::end(cudaStream_t stream) {
    if (open_.empty()) return;
    const size_t index = open_.back();
    open_.pop_back();
    BB_CUDA_CHECK(cudaEventRecord(records_[index].stop, stream));
}

void OpProfiler::collect() {
    lastScopes_.clear();
    for (auto& r : records_) {
        BB_CUDA_CHECK(cudaEventSynchronize(r.stop));
        float ms = 0.f;
        BB_CUDA_CHECK(cudaEventElapsedTime(&ms, r.start, r.stop));
        Total& t = (r.depth == 0 ? totals_ : details_)[r.category];
        t.ms += ms;
        t.bytes += r.bytes;
        t.flops += r.flops;
        t.calls += 1;
        lastScopes_.push_back({r.category, double(ms), r.parent});
        spare_.push_back(r.start);
        spare_.push_back(r.stop);
    }
    records_.clear();
}

} // namespace bertbench::cuda

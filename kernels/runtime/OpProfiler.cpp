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

namespace {

// Inside a stream capture a plain record becomes a graph-internal node that cannot be timed; an
// external record is a node whose event holds a timestamp after each replay of the graph.
void recordEvent(cudaEvent_t event, cudaStream_t stream) {
    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    BB_CUDA_CHECK(cudaStreamIsCapturing(stream, &capture));
    if (capture == cudaStreamCaptureStatusActive)
        BB_CUDA_CHECK(cudaEventRecordWithFlags(event, stream, cudaEventRecordExternal));
    else
        BB_CUDA_CHECK(cudaEventRecord(event, stream));
}

} // namespace

void OpProfiler::begin(cudaStream_t stream, const std::string& category, double bytes, double flops) {
    Record r;
    r.category = category;
    r.bytes = bytes;
    r.flops = flops;
    r.depth = open_.size();
    r.parent = open_.empty() ? -1 : int(open_.back());
    r.start = takeEvent();
    r.stop = takeEvent();
    recordEvent(r.start, stream);
    records_.push_back(r);
    open_.push_back(records_.size() - 1);
}

void OpProfiler::end(cudaStream_t stream) {
    if (open_.empty()) return;
    const size_t index = open_.back();
    open_.pop_back();
    recordEvent(records_[index].stop, stream);
}

void OpProfiler::discard() {
    for (auto& r : records_) {
        spare_.push_back(r.start);
        spare_.push_back(r.stop);
    }
    records_.clear();
    open_.clear();
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

#include "kernels/model/WeightPrefetch.h"

#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/EnvFlag.h"

namespace bertbench::cuda {

WeightPrefetch::WeightPrefetch() : enabled_(envFlag("BERTBENCH_L2_PREFETCH", false)) {}

WeightPrefetch::~WeightPrefetch() {
    // Destructors must not throw: errors here are ignored (the context is going away).
    if (fork_) cudaEventDestroy(fork_);
    if (joined_) cudaEventDestroy(joined_);
    if (side_) cudaStreamDestroy(side_);
}

void WeightPrefetch::createStreams() {
    if (side_) return;
    BB_CUDA_CHECK(cudaStreamCreateWithFlags(&side_, cudaStreamNonBlocking));
    BB_CUDA_CHECK(cudaEventCreateWithFlags(&fork_, cudaEventDisableTiming));
    BB_CUDA_CHECK(cudaEventCreateWithFlags(&joined_, cudaEventDisableTiming));
}

void WeightPrefetch::prefetch(cudaStream_t stream, const void* ptr, size_t bytes) {
    if (!ptr || bytes == 0) return;
    createStreams();
    BB_CUDA_CHECK(cudaEventRecord(fork_, stream));
    BB_CUDA_CHECK(cudaStreamWaitEvent(side_, fork_, 0));
    ops::prefetchToL2(ptr, bytes, side_);
    pending_ = true;
}

void WeightPrefetch::join(cudaStream_t stream) {
    if (!pending_) return;
    BB_CUDA_CHECK(cudaEventRecord(joined_, side_));
    BB_CUDA_CHECK(cudaStreamWaitEvent(stream, joined_, 0));
    pending_ = false;
}

} // namespace bertbench::cuda

#pragma once
// Captures what a function enqueues on a stream into an instantiated CUDA graph: the --cuda-graphs
// forward (CudaBertBackend) and the profiler's category-alone graphs (CudaBertProfile.cpp).
#include <functional>

#include <cuda_runtime_api.h>

namespace bertbench::cuda {

// Runs `enqueue` under a thread-local stream capture and instantiates the result. Throws
// BackendError (the capture ended and cleaned up) when `enqueue` throws, the capture is
// invalidated, or instantiation fails. The caller owns the returned exec (cudaGraphExecDestroy).
cudaGraphExec_t captureGraphExec(cudaStream_t stream, const std::function<void()>& enqueue);

} // namespace bertbench::cuda

#include "kernels/runtime/GraphCapture.h"

#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

cudaGraphExec_t captureGraphExec(cudaStream_t stream, const std::function<void()>& enqueue) {
    cudaGraph_t graph = nullptr;
    BB_CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
    try {
        enqueue();
    } catch (...) {
        cudaStreamEndCapture(stream, &graph);   // ends the capture whatever state it is in
        if (graph) cudaGraphDestroy(graph);
        cudaGetLastError();
        throw;
    }
    BB_CUDA_CHECK(cudaStreamEndCapture(stream, &graph));
    cudaGraphExec_t exec = nullptr;
    const cudaError_t status = cudaGraphInstantiate(&exec, graph, 0);
    cudaGraphDestroy(graph);
    if (status != cudaSuccess) throwCudaError(status, "cudaGraphInstantiate", __FILE__, __LINE__);
    return exec;
}

} // namespace bertbench::cuda

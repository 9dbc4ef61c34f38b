#include "kernels/runtime/CudaContext.h"

#include "core/util/Errors.h"

#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

CudaContext::CudaContext(int device, DeviceAllocator& allocator) : device_(device), allocator_(allocator) {
    BB_CUDA_CHECK(cudaSetDevice(device_));
    BB_CUDA_CHECK(cudaGetDeviceProperties(&props_, device_));
    BB_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    BB_CUBLAS_CHECK(cublasCreate(&cublas_));
    BB_CUBLAS_CHECK(cublasSetStream(cublas_, stream_));
    // fp32 GEMMs stay fp32: no TF32 tensor-op math (CUBLAS_DEFAULT_MATH), fp32 accumulation everywhere.
    BB_CUBLAS_CHECK(cublasSetMathMode(cublas_, CUBLAS_DEFAULT_MATH));
    BB_CUBLAS_CHECK(cublasLtCreate(&cublasLt_));
}

CudaContext::~CudaContext() {
    cudaSetDevice(device_);
    if (stream_) cudaStreamSynchronize(stream_);
    workspace_.reset();
    if (cublasLt_) cublasLtDestroy(cublasLt_);
    if (cublas_) cublasDestroy(cublas_);
    if (stream_) cudaStreamDestroy(stream_);
}

void CudaContext::makeCurrent() const { BB_CUDA_CHECK(cudaSetDevice(device_)); }

void CudaContext::ensureWorkspace() {
    if (workspace_) return;
    workspace_ = DeviceBuffer(allocator_, kWorkspaceBytes, "cuBLAS workspace");
    // cuBLAS uses our workspace instead of allocating its own: required for CUDA-graph capture.
    BB_CUBLAS_CHECK(cublasSetWorkspace(cublas_, workspace_.get(), workspace_.bytes()));
}

void CudaContext::synchronize() const { BB_CUDA_CHECK(cudaStreamSynchronize(stream_)); }

EventTimer::EventTimer() {
    BB_CUDA_CHECK(cudaEventCreate(&start_));
    BB_CUDA_CHECK(cudaEventCreate(&stop_));
}

EventTimer::~EventTimer() {
    if (start_) cudaEventDestroy(start_);
    if (stop_) cudaEventDestroy(stop_);
}

void EventTimer::start(cudaStream_t stream) { BB_CUDA_CHECK(cudaEventRecord(start_, stream)); }
void EventTimer::stop(cudaStream_t stream) { BB_CUDA_CHECK(cudaEventRecord(stop_, stream)); }

double EventTimer::elapsedMs() {
    BB_CUDA_CHECK(cudaEventSynchronize(stop_));
    float ms = 0.f;
    BB_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
    return double(ms);
}

int firstUsableDevice() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
        cudaGetLastError();   // clear the sticky "no device" error
        throw BackendError("no CUDA device");
    }
    for (int d = 0; d < count; ++d) {
        int major = 0;
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, d);
        if (major >= 8) return d;
    }
    throw BackendError("no CUDA device of compute capability 8.0+");
}

} // namespace bertbench::cuda

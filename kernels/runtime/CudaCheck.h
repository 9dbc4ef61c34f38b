#pragma once
// Every CUDA runtime and cuBLAS call is checked: a failure throws BackendError naming the call,
// file:line and the library's error string; cudaErrorMemoryAllocation throws OutOfMemoryError.
#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_runtime_api.h>

namespace bertbench::cuda {

[[noreturn]] void throwCudaError(cudaError_t status, const char* call, const char* file, int line);
[[noreturn]] void throwCublasError(cublasStatus_t status, const char* call, const char* file, int line);
const char* cublasStatusName(cublasStatus_t status);

} // namespace bertbench::cuda

#define BB_CUDA_CHECK(call)                                                                    \
    do {                                                                                       \
        const cudaError_t bbStatus_ = (call);                                                  \
        if (bbStatus_ != cudaSuccess) ::bertbench::cuda::throwCudaError(bbStatus_, #call, __FILE__, __LINE__); \
    } while (0)

#define BB_CUBLAS_CHECK(call)                                                                  \
    do {                                                                                       \
        const cublasStatus_t bbStatus_ = (call);                                               \
        if (bbStatus_ != CUBLAS_STATUS_SUCCESS)                                                \
            ::bertbench::cuda::throwCublasError(bbStatus_, #call, __FILE__, __LINE__);         \
    } while (0)

// After a <<<...>>> launch: configuration errors surface here, asynchronous faults at the next sync.
#define BB_CHECK_LAUNCH(kernelName)                                                            \
    do {                                                                                       \
        const cudaError_t bbStatus_ = cudaGetLastError();                                      \
        if (bbStatus_ != cudaSuccess) ::bertbench::cuda::throwCudaError(bbStatus_, "launch " kernelName, __FILE__, __LINE__); \
    } while (0)

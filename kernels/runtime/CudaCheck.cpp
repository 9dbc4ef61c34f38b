#include "kernels/runtime/CudaCheck.h"

#include <string>

#include "core/util/Errors.h"

namespace bertbench::cuda {

namespace {
std::string where(const char* call, const char* file, int line) {
    return std::string(call) + " at " + file + ":" + std::to_string(line);
}
} // namespace

void throwCudaError(cudaError_t status, const char* call, const char* file, int line) {
    const std::string message = where(call, file, line) + ": " + cudaGetErrorName(status) + " (" +
                                cudaGetErrorString(status) + ")";
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();  // clear the sticky-free error so the next cell starts clean
        throw OutOfMemoryError("CUDA out of memory: " + message);
    }
    throw BackendError("CUDA error: " + message);
}

const char* cublasStatusName(cublasStatus_t status) {
    switch (status) {
    case CUBLAS_STATUS_SUCCESS: return "CUBLAS_STATUS_SUCCESS";
    case CUBLAS_STATUS_NOT_INITIALIZED: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case CUBLAS_STATUS_ALLOC_FAILED: return "CUBLAS_STATUS_ALLOC_FAILED";
    case CUBLAS_STATUS_INVALID_VALUE: return "CUBLAS_STATUS_INVALID_VALUE";
    case CUBLAS_STATUS_ARCH_MISMATCH: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case CUBLAS_STATUS_MAPPING_ERROR: return "CUBLAS_STATUS_MAPPING_ERROR";
    case CUBLAS_STATUS_EXECUTION_FAILED: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case CUBLAS_STATUS_INTERNAL_ERROR: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case CUBLAS_STATUS_NOT_SUPPORTED: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case CUBLAS_STATUS_LICENSE_ERROR: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

void throwCublasError(cublasStatus_t status, const char* call, const char* file, int line) {
    const std::string message = where(call, file, line) + ": " + cublasStatusName(status);
    if (status == CUBLAS_STATUS_ALLOC_FAILED) throw OutOfMemoryError("cuBLAS out of memory: " + message);
    throw BackendError("cuBLAS error: " + message);
}

} // namespace bertbench::cuda

#pragma once
// TMA tensor maps for the sm_90a kernels (attention and GEMM): a 2-D row-major fp16/bf16 matrix
// read in boxes of 128 (or 64) rows × 64 columns (128 bytes: the 128-byte swizzle span, the layout the
// wgmma shared-memory descriptors of HopperPtx.cuh expect). The driver's encoder is reached
// through the runtime's entry-point query, so nothing links libcuda.
#include <cstdint>
#include <stdexcept>
#include <string>

#include <cuda.h>
#include <cudaTypedefs.h>
#include <cuda_runtime_api.h>

namespace bertbench::hopper {

// Null when the driver has no cuTensorMapEncodeTiled (then the callers report "unavailable").
inline PFN_cuTensorMapEncodeTiled_v12000 encodeTiledFunction()
{
    static PFN_cuTensorMapEncodeTiled_v12000 fn = [] {
        void* p = nullptr;
        cudaDriverEntryPointQueryResult status{};
        const cudaError_t e = cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &p, 12000, cudaEnableDefault, &status);
        if (e != cudaSuccess || status != cudaDriverEntryPointSuccess) p = nullptr;
        return reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(p);
    }();
    return fn;
}

// [rows × columns] with the given row stride (elements), read in boxes of boxRows × 64. Rows past
// `rows` arrive as zeros. `who` names the caller in the error message.
inline CUtensorMap tensorMapRowsX64(const void* base, int64_t rowStride, int64_t rows, int64_t columns, bool bf16,
                                    unsigned boxRows, const char* who)
{
    CUtensorMap map{};
    const cuuint64_t dims[2] = {cuuint64_t(columns), cuuint64_t(rows)};
    const cuuint64_t strides[1] = {cuuint64_t(rowStride) * 2};
    const cuuint32_t box[2] = {64, boxRows};
    const cuuint32_t elementStrides[2] = {1, 1};
    const CUresult r = encodeTiledFunction()(
        &map, bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16, 2,
        const_cast<void*>(base), dims, strides, box, elementStrides, CU_TENSOR_MAP_INTERLEAVE_NONE,
        CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    if (r != CUDA_SUCCESS)
        throw std::runtime_error(std::string(who) + ": cuTensorMapEncodeTiled failed (CUresult " + std::to_string(int(r)) + ")");
    return map;
}

inline CUtensorMap tensorMap128x64(const void* base, int64_t rowStride, int64_t rows, int64_t columns, bool bf16,
                                   const char* who)
{
    return tensorMapRowsX64(base, rowStride, rows, columns, bf16, 128, who);
}

} // namespace bertbench::hopper

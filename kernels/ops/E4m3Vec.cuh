#pragma once
// One 16-byte vector of T (kVec<T> values) to e4m3 in one 4- or 8-byte store: the quantize step
// shared by the quantize pass (fp8_quantize.cu) and the kernels that write an fp8 layer's input
// themselves (the LayerNorm's fused quantize, layernorm.cu).
//
// Each value is first rounded to T, as the fp16 tensor a separate pass would read holds it, then
// multiplied by the inverse scale and converted with saturation (Fp8Ops.h): so a fused quantize
// gives the separate pass's bytes exactly.
#include <cuda_fp8.h>

#include "kernels/ops/Vec.cuh"

namespace bertbench::cuda::ops {

template <typename T>
__device__ __forceinline__ void storeE4m3Vec(uint8_t* p, const float (&v)[kVec<T>], float inverseScale) {
    constexpr int V = kVec<T>;
    static_assert(V == 4 || V == 8, "16 bytes of T are 4 or 8 values");
    uint64_t packed = 0;
#pragma unroll
    for (int k = 0; k < V; ++k) {
        const float rounded = toFloat(fromFloat<T>(v[k]));
        packed |= uint64_t(__nv_cvt_float_to_fp8(rounded * inverseScale, __NV_SATFINITE, __NV_E4M3)) << (8 * k);
    }
    if constexpr (V == 8) *reinterpret_cast<uint64_t*>(p) = packed;
    else *reinterpret_cast<uint32_t*>(p) = uint32_t(packed);
}

} // namespace bertbench::cuda::ops

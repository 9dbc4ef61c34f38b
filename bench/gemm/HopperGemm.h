#pragma once
// The sm_90a GEMM with fused epilogues (HopperGemmKernel.cuh) behind Gemm::linear, linearGelu and
// linearResidual: y[rows × out] = epilogue(x[rows × in] · Wᵀ), W in HF layout [out × in],
// fp16/bf16 in and out, fp32 accumulation. Gemm.cpp asks hopperGemmUsable() first and keeps its
// cublasLt path for everything else (fp32, other GPUs, shapes that do not tile).
#include <cstdint>

#include <cuda_runtime_api.h>

namespace bertbench::hopper {

enum class HopperEpilogue { None, BiasGelu, Residual };

struct HopperGemmCall {
    bool bf16 = false;
    void* y = nullptr;
    int64_t ldy = 0;                 // elements
    const void* x = nullptr;
    int64_t ldx = 0;
    const void* weight = nullptr;    // [out × in], contiguous
    const void* bias = nullptr;      // [out] or null (required for BiasGelu)
    const void* residual = nullptr;  // Residual: [rows × ldr]; may equal y
    int64_t ldr = 0;
    int64_t rows = 0;
    int in = 0, out = 0;
    HopperEpilogue epilogue = HopperEpilogue::None;
};

// True when this build carries the sm_90a GEMM and the current device is compute capability 9.0.
bool hopperGemmAvailable();

// hopperGemmAvailable, and the call tiles: out a multiple of 128, in of 64, 16-byte aligned
// pointers and row strides, rows in TMA's range.
bool hopperGemmUsable(const HopperGemmCall& call);

// Runs it on `stream`; throws std::runtime_error on a tensor-map or launch error.
void runHopperGemm(const HopperGemmCall& call, cudaStream_t stream);

} // namespace bertbench::hopper

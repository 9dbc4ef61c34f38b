#pragma once
// Linear layers over few rows: the batch-1 forward (≤ 128 tokens), where a GEMM reads megabytes
// of weights for a few hundred kilobytes of activations and cuBLAS's tiles leave most SMs idle.
//
//   y = x·Wᵀ + bias                      (QKV, pooler)
//   y = GELU(x·Wᵀ + bias)                 (FFN up; HF's exact erf GELU, in fp32)
//   y = LayerNorm(x·Wᵀ + bias + residual) (attention output, FFN down; y may be the residual)
//
// One kernel splits the K dimension so that (out / 64 column tiles) × splits ≈ the SM count, and
// each block streams its [64 × K/splits] slice of W once (tensor cores, mma.sync m16n8k16, a
// 4-stage cp.async pipeline, all rows ≤ 128 in one tile). Partial sums go to fp32 workspace:
//   bias / GELU: the last block of a column tile to finish (a per-tile counter that it resets
//                for the next launch) adds the others' partials and applies the epilogue;
//   LayerNorm:   a second kernel sums the partials of a row, adds bias and residual and
//                normalises the row in fp32 (LayerNormRow.cuh) — the LayerNorm launch a GEMM
//                epilogue would need anyway.
// Launched with programmatic dependent launch: each block starts loading its weights, which no
// earlier kernel writes, before it waits for the previous kernel's output (griddepcontrol.wait).
// fp16 and bf16 only; fp32 keeps cuBLAS.
#include <cstddef>
#include <cstdint>

#include <cuda_runtime_api.h>

#include "core/backend/Task.h"

namespace bertbench::cuda::ops {

constexpr int kSmallLinearMaxRows = 128;
constexpr int kSmallLinearTile = 64;   // columns per tile and K per pipeline stage
constexpr int kSmallLinearCounters = 1024;

enum class SmallEpilogue { Bias, BiasGelu, BiasResidualLayerNorm };

// True when the kernel takes the shape: fp16/bf16, 1 ≤ rows ≤ 128, in and out multiples of 64,
// out ≤ 64·kSmallLinearCounters. (Pointers must also be 16-byte aligned, row strides multiples
// of 8 elements: smallLinear checks and throws.)
bool smallLinearFits(DType dtype, int64_t rows, int in, int out);

// fp32 workspace bytes smallLinear needs for this shape on `sms` SMs.
size_t smallLinearWorkspaceBytes(int64_t rows, int in, int out, int sms);

struct SmallLinearArgs {
    DType dtype = DType::Float16;
    SmallEpilogue epilogue = SmallEpilogue::Bias;
    void* y = nullptr;
    const void* x = nullptr;
    const void* weight = nullptr;    // [out, in], HF layout
    const void* bias = nullptr;      // [out] or null
    const void* residual = nullptr;  // LayerNorm epilogue: [rows, out] (may equal y)
    const void* gamma = nullptr;     // LayerNorm epilogue: [out]
    const void* beta = nullptr;
    float eps = 1e-12f;
    int64_t rows = 0;
    int in = 0, out = 0;
    int64_t ldx = 0, ldy = 0;        // row strides in elements (0 = in / out)
    float* workspace = nullptr;      // ≥ smallLinearWorkspaceBytes
    size_t workspaceBytes = 0;
    unsigned* counters = nullptr;    // kSmallLinearCounters, zero before the first launch; left zero
    int sms = 0;
};

// The workspace, counters and SM count of a context, filled into args (model and checks alike).
void useContextScratch(SmallLinearArgs& args, float* workspace, size_t workspaceBytes, unsigned* counters, int sms);

// Enqueues the kernel(s) on `stream`. Throws BackendError on a shape the kernel does not take, a
// workspace too small, or a launch error.
void smallLinear(const SmallLinearArgs& args, cudaStream_t stream);

} // namespace bertbench::cuda::ops

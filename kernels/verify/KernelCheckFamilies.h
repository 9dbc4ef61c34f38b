#pragma once
// The kernel checks by op family, each appending to the list in one dtype; runKernelChecks
// (KernelChecks.cpp) runs them all. Each check names the kernel and its CPU twin.
#include <cstdint>

#include "core/backend/Task.h"
#include "core/util/Random.h"
#include "kernels/verify/CheckDevice.h"

namespace bertbench::cuda {

// NormChecks.cpp: bias + residual + LayerNorm; embeddings + LayerNorm (with the packed gather).
void addNormChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);

// GemmChecks.cpp: Gemm's linear layers with their fused cublasLt epilogues (bias, bias + GELU,
// bias + residual).
void addGemmChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);

// ActivationChecks.cpp: bias + activation (GELU, tanh) and the gated activation (GeGLU).
void addActivationChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);

// AttentionChecks.cpp: masked softmax, the eager strategy's whole step and, in fp16/bf16, the
// fused-attention strategies (the FlashAttention-2 kernel, and the Hopper kernel where it runs),
// each also with ModernBERT's sliding window (and RoPE in the eager split).
void addAttentionChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);
void addFusedAttentionChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);

// ModernBertChecks.cpp: RoPE in place on qkv (both layouts), the LayerNorm and the embeddings
// without bias or positions, mean pooling over real rows.
void addModernBertChecks(CheckDevice& dev, Rng& rng, DType dtype, CheckList& list);

// EncoderChecks.cpp: the allocator's limit and recovery; the packed encoder against the padded
// one on every task.
void addAllocatorChecks(CheckDevice& dev, CheckList& list);
void addPackedEncoderChecks(CheckDevice& dev, uint64_t seed, DType dtype, CheckList& list);

} // namespace bertbench::cuda

#pragma once
// Verify cases for the fused attention kernel (FusedAttention.h), through the strategies that the
// backends run (FastAttention.h), against core's CPU twins (cpu::sdpaAttention,
// cpu::flashAttention): fp16 and bf16, head dims 32/64/128, padded and packed, odd lengths with a
// length-1 row, fresh random inputs, outputs poisoned with NaN first. Meant to be appended to
// runKernelChecks (kernels/verify) so that `bertbench-cli verify` and tests/kernels run them.
#include <cstdint>
#include <vector>

#include "kernels/verify/KernelChecks.h"

namespace bertbench::cuda {

// Throws BackendError when no usable GPU is present.
std::vector<KernelCheck> runFusedAttentionChecks(uint64_t seed);

} // namespace bertbench::cuda

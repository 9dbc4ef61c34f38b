#pragma once
// Kernel-level checks: each kernel against its CPU twin on fresh random inputs, in every dtype it
// runs, with the device output poisoned (NaN bytes) first so an unwritten element fails; plus the
// allocator's limit / out-of-memory recovery and the packed encoder against the padded one.
// Shared by `bertbench-cli verify` and tests/kernels. The checks live by op family in
// kernels/verify/*Checks.cpp (KernelCheckFamilies.h lists them; CheckDevice.h is their one style).
#include <cstdint>
#include <string>
#include <vector>

#include "core/backend/Task.h"

namespace bertbench::cuda {

struct KernelCheck {
    std::string name;     // "layernorm hidden 768"
    DType dtype = DType::Float32;
    double maxAbs = 0;
    double relL2 = 0;
    double tolerance = 0;
    bool pass = false;
    std::string failure;
};

// Throws BackendError when no usable GPU is present.
std::vector<KernelCheck> runKernelChecks(uint64_t seed);

// The fused-attention strategies' checks alone (part of runKernelChecks too), fp16 and bf16:
// bench/attention/fused_checks_main.cpp runs them on a GPU without the rest.
std::vector<KernelCheck> runFusedAttentionChecks(uint64_t seed);

} // namespace bertbench::cuda

#pragma once
// Kernel-level checks: each fused kernel against its CPU twin on fresh random inputs, in every
// dtype, with the device output poisoned (NaN bytes) first so an unwritten element fails; plus the
// allocator's limit / out-of-memory recovery. Shared by `bertbench-cli verify` and tests/kernels.
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

} // namespace bertbench::cuda

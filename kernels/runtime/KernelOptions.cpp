#include "kernels/runtime/KernelOptions.h"

#include <cstdlib>
#include <cstring>

namespace bertbench::cuda {

bool environmentFlag(const char* name, bool fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "off") == 0 || std::strcmp(v, "false") == 0);
}

KernelOptions KernelOptions::fromEnvironment() {
    KernelOptions o;
    o.hopperAttention = environmentFlag("BERTBENCH_HOPPER_ATTENTION", o.hopperAttention);
    o.gemmAutotune = environmentFlag("BERTBENCH_GEMM_AUTOTUNE", o.gemmAutotune);
    o.fp8FastAccumulate = environmentFlag("BERTBENCH_FP8_FAST_ACCUM", o.fp8FastAccumulate);
    return o;
}

} // namespace bertbench::cuda

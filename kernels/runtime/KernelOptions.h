#pragma once
// The choices of the GPU forward that a user may switch, read once from the environment in one
// place (KernelOptions::fromEnvironment) and recorded with every run (run.json's kernel_options).
//
// Every other path of the forward is fixed: each experiment was measured on an H100 and either made
// the default or deleted (docs/PERFORMANCE.md, "Kernel experiments: kept or deleted"). The two left
// here are kept as switches because each answers a question a user asks of their own GPU: what the
// sm_90a attention kernel buys over FlashAttention-2, and what per-shape GEMM autotuning buys over
// cuBLAS's heuristic. Both default to the faster path. The third is not measured yet: whether fp8
// GEMMs may accumulate in cuBLASLt's fast (reduced-precision) mode; the fp8-cells and fp8-verify
// device steps decide it (speed against task agreement), then it becomes the default or goes.
//
//   BERTBENCH_HOPPER_ATTENTION  on (default): the sm_90a attention kernel where it runs; off: the
//                               FlashAttention-2 kernel everywhere
//   BERTBENCH_GEMM_AUTOTUNE     on (default): time the cublasLt candidates of each GEMM shape once;
//                               off: the heuristic's first algorithm
//   BERTBENCH_FP8_FAST_ACCUM    off (default): fp8 GEMMs accumulate in fp32 throughout; on:
//                               cuBLASLt's fast accumulation (recorded in each fp8 layer's path)
//
// A value is read by one rule: unset or empty = the default, "0", "off" or "false" = off, anything
// else = on.
#include <string>
#include <vector>

namespace bertbench::cuda {

struct KernelOptions {
    bool hopperAttention = true;
    bool gemmAutotune = true;
    bool fp8FastAccumulate = false;

    static KernelOptions fromEnvironment();
};

// The rule above, for one variable (exposed for tests).
bool environmentFlag(const char* name, bool fallback);

} // namespace bertbench::cuda

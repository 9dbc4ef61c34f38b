// Runs runFusedAttentionChecks (kernels/verify/KernelChecks.h) alone: the fused-attention
// strategies' part of `bertbench-cli verify`, without the rest. Link against a build tree's
// libraries, e.g. (device preset):
//   g++ -std=c++20 -O2 -I. -I/usr/local/cuda/include bench/attention/fused_checks_main.cpp
//       build-attn/kernels/libbertbench_kernels.a build-attn/core/libbertbench_core.a
//       /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.a -L/usr/local/cuda/lib64 -lcublasLt -lcublas -lcudart -o fused_checks
#include <cstdio>

#include "kernels/verify/KernelChecks.h"

int main()
{
    bool ok = true;
    for (const auto& c : bertbench::cuda::runFusedAttentionChecks(20251124)) {
        std::printf("%-32s %-5s rel L2 %.2e  max abs %.2e  tol %.1e  %s %s\n", c.name.c_str(),
                    bertbench::toString(c.dtype).c_str(), c.relL2, c.maxAbs, c.tolerance, c.pass ? "ok" : "FAIL",
                    c.failure.c_str());
        ok = ok && c.pass;
    }
    return ok ? 0 : 1;
}

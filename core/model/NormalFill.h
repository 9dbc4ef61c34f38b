#pragma once
// Deterministic normal(0, std) fill for random weights: own PRNG (SplitMix64) and Box–Muller
// with own log/sin/cos polynomials (no std:: distributions, no libm differences), so a seed
// gives the same weights on every platform. Big tensors are cut into fixed-size chunks, each
// with its own stream, and filled in parallel: the result does not depend on the thread count.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bertbench {

struct NormalFillJob {
    float* data = nullptr;
    size_t count = 0;
    float stddev = 0.02f;
    uint64_t seed = 0;     // one stream per job (chunks derive theirs from it)
};

void fillNormal(const std::vector<NormalFillJob>& jobs, int threads = 0);

// SplitMix64 finaliser: a good 64-bit mixer, used to derive seeds.
uint64_t mixSeed(uint64_t x);

} // namespace bertbench

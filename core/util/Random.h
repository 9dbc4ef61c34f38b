#pragma once
// A small deterministic PRNG (splitmix64 seeding + xoshiro256**) and a Box–Muller normal:
// the same numbers on every platform and standard library, unlike std:: distributions.
#include <cmath>
#include <cstdint>

namespace bertbench {

class Rng {
public:
    explicit Rng(uint64_t seed) {
        uint64_t x = seed;
        for (uint64_t& s : state_) s = splitmix64(x);
    }

    uint64_t next() {
        const uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [lo, hi] (inclusive); the tiny modulo bias is irrelevant here.
    int64_t uniformInt(int64_t lo, int64_t hi) {
        const uint64_t span = uint64_t(hi - lo) + 1;
        return lo + int64_t(next() % span);
    }

    // Standard normal by Box–Muller (the second value of each pair is kept for the next call).
    double normal() {
        if (hasSpare_) {
            hasSpare_ = false;
            return spare_;
        }
        double u1 = uniform();
        while (u1 <= 0.0) u1 = uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 6.283185307179586476925 * u2;
        spare_ = r * std::sin(theta);
        hasSpare_ = true;
        return r * std::cos(theta);
    }

    static uint64_t splitmix64(uint64_t& x) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t state_[4]{};
    double spare_ = 0;
    bool hasSpare_ = false;
};

} // namespace bertbench

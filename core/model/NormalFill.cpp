#include "core/model/NormalFill.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <thread>

namespace bertbench {

namespace {

// Wider-vector clones picked at load time. With contraction off (see core/cpu/blas.cmake) every
// clone performs the same IEEE operations, so the numbers do not depend on the CPU.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define NORMAL_FILL_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define NORMAL_FILL_CLONES
#endif

constexpr size_t kChunk = size_t(1) << 16;   // elements per independent stream (even)
constexpr size_t kBlock = 1024;              // pairs transformed per vector loop

uint64_t splitmixNext(uint64_t& state) {
    state += 0x9e3779b97f4a7c15ull;
    return mixSeed(state);
}

// ln(x) for normal x > 0: x = 2^e · m, m folded into [√½, √2), ln m = 2·atanh(s) with
// s = (m − 1)/(m + 1), |s| < 0.172: the odd series to s⁹ is accurate to ~1e-9.
inline float logPositive(float x) {
    const uint32_t bits = std::bit_cast<uint32_t>(x);
    int e = int((bits >> 23) & 0xffu) - 127;
    float m = std::bit_cast<float>((bits & 0x7fffffu) | 0x3f800000u);
    const int big = m > 1.41421356f;          // arithmetic selects keep the loop branch-free
    m *= 1.0f - 0.5f * float(big);             // exact: × 1 or × 0.5
    e += big;
    const float s = (m - 1.0f) / (m + 1.0f);
    const float s2 = s * s;
    const float series = 1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9))));
    return float(e) * 0.693147180559945f + 2.0f * s * series;
}

// Box–Muller on one block: u1 ∈ (0,1], u2 ∈ [0,1) → two normals. The angle 2π·u2 is split
// into a quadrant q and a ±π/4 offset around the quadrant's middle, where Taylor series
// to the 9th/8th power are accurate to ~1e-8.
NORMAL_FILL_CLONES void boxMuller(const float* u1, const float* u2, float* out, size_t pairs, float stddev) {
    constexpr float kHalfPi = 1.57079632679f;
    constexpr float kInvSqrt2 = 0.70710678118f;
    for (size_t i = 0; i < pairs; ++i) {
        const float r = std::sqrt(-2.0f * logPositive(u1[i])) * stddev;
        const float t = u2[i] * 4.0f;
        const int q = int(t);                       // 0..3
        const float a = (t - float(q) - 0.5f) * kHalfPi;
        const float a2 = a * a;
        const float sa = a * (1.0f - a2 / 6 * (1.0f - a2 / 20 * (1.0f - a2 / 42 * (1.0f - a2 / 72))));
        const float ca = 1.0f - a2 / 2 * (1.0f - a2 / 12 * (1.0f - a2 / 30 * (1.0f - a2 / 56)));
        // angle = q·π/2 + π/4 + a
        const float c0 = (ca - sa) * kInvSqrt2;
        const float s0 = (ca + sa) * kInvSqrt2;
        // Rotate by q quadrants with bit selects: odd q swaps cos and sin, then sign flips
        // (cos negative for q = 1, 2; sin for q = 2, 3).
        const uint32_t swap = 0u - uint32_t(q & 1);
        const uint32_t cb = std::bit_cast<uint32_t>(c0), sb = std::bit_cast<uint32_t>(s0);
        const float c = std::bit_cast<float>(((sb & swap) | (cb & ~swap)) ^ (uint32_t((q + 1) & 2) << 30));
        const float s = std::bit_cast<float>(((cb & swap) | (sb & ~swap)) ^ (uint32_t(q & 2) << 30));
        out[2 * i] = r * c;
        out[2 * i + 1] = r * s;
    }
}

void fillChunk(float* data, size_t count, float stddev, uint64_t seed) {
    uint64_t state = seed;
    float u1[kBlock], u2[kBlock], out[2 * kBlock];
    for (size_t done = 0; done < count;) {
        const size_t pairs = std::min(kBlock, (count - done + 1) / 2);
        for (size_t i = 0; i < pairs; ++i) {
            const uint64_t bits = splitmixNext(state);
            u1[i] = float(uint32_t(bits >> 40) + 1u) * (1.0f / 16777216.0f);             // (0, 1]
            u2[i] = float(uint32_t(bits >> 8) & 0xffffffu) * (1.0f / 16777216.0f);       // [0, 1)
        }
        boxMuller(u1, u2, out, pairs, stddev);
        const size_t n = std::min(2 * pairs, count - done);
        std::copy(out, out + n, data + done);
        done += n;
    }
}

} // namespace

uint64_t mixSeed(uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

void fillNormal(const std::vector<NormalFillJob>& jobs, int threads) {
    struct Piece {
        float* data;
        size_t count;
        float stddev;
        uint64_t seed;
    };
    std::vector<Piece> pieces;
    for (const NormalFillJob& job : jobs) {
        for (size_t begin = 0, c = 0; begin < job.count; begin += kChunk, ++c) {
            pieces.push_back({job.data + begin, std::min(kChunk, job.count - begin), job.stddev,
                              mixSeed(job.seed ^ mixSeed(c + 1))});
        }
    }
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    threads = int(std::min<size_t>(size_t(threads), std::max<size_t>(1, pieces.size() / 4)));
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (size_t i; (i = next.fetch_add(1)) < pieces.size();) {
            fillChunk(pieces[i].data, pieces[i].count, pieces[i].stddev, pieces[i].seed);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
}

} // namespace bertbench

#include "core/sweep/Uncertainty.h"

#include <algorithm>
#include <cmath>

namespace bertbench {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// log P(Binomial(n, 1/2) = k).
double logPmf(size_t n, size_t k) {
    return std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) - std::lgamma(double(n - k) + 1) -
           double(n) * std::log(2.0);
}

// (k-th, (n-1-k)-th) order statistics of `samples` (reordered in place).
Interval orderStatistics(std::vector<double>& samples, size_t k) {
    const size_t n = samples.size();
    auto lo = samples.begin() + std::ptrdiff_t(k);
    std::nth_element(samples.begin(), lo, samples.end());
    const double low = *lo;
    auto hi = samples.begin() + std::ptrdiff_t(n - 1 - k);
    std::nth_element(lo, hi, samples.end());
    return {low, *hi};
}

Interval intervalAt(const std::vector<double>& samples, double level) {
    const std::optional<size_t> k = medianIntervalIndex(samples.size(), level);
    if (!k) return {};
    std::vector<double> copy = samples;
    return orderStatistics(copy, *k);
}

} // namespace

std::optional<size_t> medianIntervalIndex(size_t n, double level) {
    if (n == 0 || !(level > 0 && level < 1)) return std::nullopt;
    const double tail = (1.0 - level) / 2.0;
    // Start where the lower tail is negligible (> 8 standard deviations below n/2) and sum up:
    // a few thousand terms at most, whatever n.
    const double sd = std::sqrt(double(n)) / 2.0;
    const double start = std::floor(double(n) / 2.0 - 8.0 * sd);
    size_t k = start > 0 ? size_t(start) : 0;
    double cdf = 0;
    std::optional<size_t> best;
    for (; k <= n / 2; ++k) {
        cdf += std::exp(logPmf(n, k));
        if (cdf > tail) break;
        best = k;
    }
    return best;
}

size_t minSamplesForInterval(double level) {
    for (size_t n = 1; n < 64; ++n)
        if (medianIntervalIndex(n, level)) return n;
    return 64;
}

Interval medianInterval(std::vector<double> samples, double level) {
    const std::optional<size_t> k = medianIntervalIndex(samples.size(), level);
    if (!k) return {};
    return orderStatistics(samples, *k);
}

double relativeHalfWidthPct(const Interval& interval, double median) {
    if (!interval.valid() || !(median > 0)) return kNaN;
    return (interval.hi - interval.lo) / 2.0 / median * 100.0;
}

Interval ratioInterval(const std::vector<double>& numerator, const std::vector<double>& denominator, double level) {
    const double each = std::sqrt(level);   // Šidák: both hold with probability >= level
    const Interval a = intervalAt(numerator, each);
    const Interval b = intervalAt(denominator, each);
    if (!a.valid() || !b.valid() || !(b.lo > 0)) return {};
    return {a.lo / b.hi, a.hi / b.lo};
}

std::string toString(Verdict v) {
    switch (v) {
    case Verdict::Unknown: return "";
    case Verdict::Same: return "same";
    case Verdict::Faster: return "faster";
    case Verdict::Slower: return "slower";
    }
    return "";
}

std::optional<Verdict> parseVerdict(const std::string& s) {
    if (s.empty() || s == "unknown") return Verdict::Unknown;
    for (Verdict v : {Verdict::Same, Verdict::Faster, Verdict::Slower})
        if (toString(v) == s) return v;
    return std::nullopt;
}

Verdict verdictOfPercent(const Interval& pct) {
    if (!pct.valid()) return Verdict::Unknown;
    if (pct.lo > 0) return Verdict::Faster;
    if (pct.hi < 0) return Verdict::Slower;
    return Verdict::Same;
}

SpeedupInterval speedupInterval(const std::vector<double>& baselineMs, const std::vector<double>& candidateMs,
                                double level) {
    SpeedupInterval s;
    const Interval ratio = ratioInterval(baselineMs, candidateMs, level);
    if (!ratio.valid()) return s;
    s.pct = {(ratio.lo - 1.0) * 100.0, (ratio.hi - 1.0) * 100.0};
    s.verdict = verdictOfPercent(s.pct);
    return s;
}

Interval speedupDeltaInterval(const std::vector<double>& baseA, const std::vector<double>& candA,
                              const std::vector<double>& baseB, const std::vector<double>& candB, double level) {
    const double each = std::pow(level, 0.25);
    const Interval ba = intervalAt(baseA, each), ca = intervalAt(candA, each);
    const Interval bb = intervalAt(baseB, each), cb = intervalAt(candB, each);
    if (!ba.valid() || !ca.valid() || !bb.valid() || !cb.valid()) return {};
    if (!(ca.lo > 0) || !(cb.lo > 0)) return {};
    // speedup = (base / cand − 1)·100; the delta's extremes pair B's extreme with A's opposite one.
    return {(bb.lo / cb.hi - ba.hi / ca.lo) * 100.0, (bb.hi / cb.lo - ba.lo / ca.hi) * 100.0};
}

} // namespace bertbench

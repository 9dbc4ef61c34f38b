#pragma once
// How sure a number is: the distribution-free interval of a median, the interval of a speedup
// (a ratio of two medians) and the verdict read from it, at kVerdictLevel.
//
// Method (docs/ARCHITECTURE.md, "Uncertainty"): a median's interval is the pair of order
// statistics [x(k), x(n-1-k)] with the largest k such that P(Binomial(n, 1/2) <= k) <= (1-L)/2,
// exact for any continuous distribution of independent forwards, no seed, no resampling. A
// ratio of medians a/b takes each median's interval at level sqrt(L) (Šidák) and divides the
// corners, [lo_a / hi_b, hi_a / lo_b]: when both intervals hold, so does the ratio's, so its
// coverage is at least L (conservative: "faster" and "slower" are strong statements, "same" means
// "not shown at this level"). Compare's two-run delta of speedups uses four medians at L^(1/4).
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace bertbench {

constexpr double kVerdictLevel = 0.95;

struct Interval {
    double lo = std::numeric_limits<double>::quiet_NaN();
    double hi = std::numeric_limits<double>::quiet_NaN();
    bool valid() const { return lo == lo && hi == hi; }   // both not NaN
    bool contains(double x) const { return valid() && lo <= x && x <= hi; }
};

// The 0-based lower index k of the median's order-statistic interval of n samples at `level`,
// or nullopt when n is too small (n < 6 at 95 %).
std::optional<size_t> medianIntervalIndex(size_t n, double level);
// The smallest sample count whose median has an interval at `level`.
size_t minSamplesForInterval(double level);
// Interval of the median of `samples` (any order) at `level`; invalid when too few samples.
Interval medianInterval(std::vector<double> samples, double level = kVerdictLevel);
// Half the interval's width as a percentage of `median`: the noise adaptive sampling stops on.
// NaN when the interval is invalid or the median is not positive.
double relativeHalfWidthPct(const Interval& interval, double median);

// The interval of median(numerator) / median(denominator), coverage >= level.
Interval ratioInterval(const std::vector<double>& numerator, const std::vector<double>& denominator,
                       double level = kVerdictLevel);

enum class Verdict { Unknown, Same, Faster, Slower };
std::string toString(Verdict v);   // "", "same", "faster", "slower"
std::optional<Verdict> parseVerdict(const std::string& s);   // "" and "unknown" read as Unknown

// The speedup % (t_base / t_cand − 1)·100 with its interval, from both sides' forward times.
struct SpeedupInterval {
    Interval pct;
    Verdict verdict = Verdict::Unknown;
};
SpeedupInterval speedupInterval(const std::vector<double>& baselineMs, const std::vector<double>& candidateMs,
                                double level = kVerdictLevel);
// Faster when the whole interval of a speedup-like percentage lies above 0, slower below,
// same when it holds 0, unknown when invalid.
Verdict verdictOfPercent(const Interval& pct);

// Compare's delta of two runs' speedups, in points: (speedup_b − speedup_a) with its interval
// from the four medians (each at level^(1/4)).
Interval speedupDeltaInterval(const std::vector<double>& baseA, const std::vector<double>& candA,
                              const std::vector<double>& baseB, const std::vector<double>& candB,
                              double level = kVerdictLevel);

} // namespace bertbench

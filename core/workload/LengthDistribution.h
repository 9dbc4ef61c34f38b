#pragma once
// What a workload's lengths look like before anyone spends GPU time on it: count, min, median,
// p90, p99, max, the share a max length would truncate, and a text histogram.
#include <cstddef>
#include <string>
#include <vector>

#include "core/workload/TokenCounter.h"
#include "core/workload/WorkloadFiles.h"

namespace bertbench {

struct TruncationShare {
    int maxLength = 0;
    std::size_t truncated = 0;  // examples longer than maxLength
    double share = 0;           // truncated / examples
};

struct LengthDistribution {
    std::size_t examples = 0;
    int min = 0, max = 0;
    double mean = 0, median = 0, p90 = 0, p99 = 0;  // percentiles by linear interpolation
    std::vector<TruncationShare> truncation;        // one per max length asked for
};

// Throws InputError for no lengths.
LengthDistribution describeLengths(const std::vector<int>& lengths, const std::vector<int>& maxLengths);

// The percentile p in [0, 100] of sorted values, linear between order statistics (numpy's default).
double percentileOfSorted(const std::vector<int>& sorted, double p);

// Rows of "  lo-hi  count  ████" over `bins` equal-width bins from 1 to the maximum (bars scaled to
// `width` characters; a non-empty bin gets at least one), and a "| max length L" marker row where
// given (0 = none).
std::string lengthHistogramText(const std::vector<int>& lengths, int markLength = 0, int bins = 16, int width = 40);

// Each text's token count, in order.
std::vector<int> countTokens(const TokenCounter& tokenizer, const std::vector<TextExample>& texts);

} // namespace bertbench

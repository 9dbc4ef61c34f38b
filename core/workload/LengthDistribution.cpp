#include "core/workload/LengthDistribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/util/Errors.h"

namespace bertbench {

double percentileOfSorted(const std::vector<int>& sorted, double p) {
    if (sorted.empty()) return 0;
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (rank - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

LengthDistribution describeLengths(const std::vector<int>& lengths, const std::vector<int>& maxLengths) {
    if (lengths.empty()) throw InputError("a workload with no examples");
    std::vector<int> sorted = lengths;
    std::sort(sorted.begin(), sorted.end());
    LengthDistribution d;
    d.examples = sorted.size();
    d.min = sorted.front();
    d.max = sorted.back();
    d.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size());
    d.median = percentileOfSorted(sorted, 50);
    d.p90 = percentileOfSorted(sorted, 90);
    d.p99 = percentileOfSorted(sorted, 99);
    for (int maxLength : maxLengths) {
        const auto over = static_cast<std::size_t>(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), maxLength));
        d.truncation.push_back({maxLength, over, static_cast<double>(over) / static_cast<double>(sorted.size())});
    }
    return d;
}

std::string lengthHistogramText(const std::vector<int>& lengths, int markLength, int bins, int width) {
    if (lengths.empty() || bins < 1) return {};
    const int top = *std::max_element(lengths.begin(), lengths.end());
    const int binWidth = std::max(1, (top + bins - 1) / bins);
    const int used = (top + binWidth - 1) / binWidth;
    std::vector<std::size_t> counts(static_cast<std::size_t>(used), 0);
    for (int len : lengths) ++counts[static_cast<std::size_t>(std::clamp((len - 1) / binWidth, 0, used - 1))];
    const std::size_t peak = *std::max_element(counts.begin(), counts.end());
    const std::string topLabel = std::to_string(used * binWidth);
    const std::size_t labelWidth = 2 * topLabel.size() + 1;
    const std::size_t countWidth = std::to_string(peak).size();
    std::string text;
    bool marked = markLength <= 0;
    for (int b = 0; b < used; ++b) {
        const int lo = b * binWidth + 1, hi = (b + 1) * binWidth;
        if (!marked && markLength < lo) {
            text += "  " + std::string(labelWidth + countWidth + 2, ' ') + "| max length " + std::to_string(markLength) + "\n";
            marked = true;
        }
        std::string label = std::to_string(lo) + "-" + std::to_string(hi);
        const std::string count = std::to_string(counts[static_cast<std::size_t>(b)]);
        const std::size_t c = counts[static_cast<std::size_t>(b)];
        std::size_t bar = peak ? (c * static_cast<std::size_t>(width) + peak / 2) / peak : 0;
        if (c > 0 && bar == 0) bar = 1;
        text += "  " + std::string(labelWidth - label.size(), ' ') + label + "  " +
                std::string(countWidth - count.size(), ' ') + count + "  ";
        for (std::size_t k = 0; k < bar; ++k) text += "\u2588";
        text += "\n";
    }
    return text;
}

std::vector<int> countTokens(const TokenCounter& tokenizer, const std::vector<TextExample>& texts) {
    std::vector<int> counts;
    counts.reserve(texts.size());
    for (const TextExample& t : texts) counts.push_back(static_cast<int>(tokenizer.count(t.text)));
    return counts;
}

} // namespace bertbench

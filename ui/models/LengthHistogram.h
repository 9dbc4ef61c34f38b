#pragma once
// The data of a workload's length histogram (ui/charts/LengthHistogramChart): equal-width bins
// of token counts, the max lengths of the sweep marked with the share each would truncate, and
// the distribution's figures for the subtitle. A long tail past every mark goes into one last
// bin ("≥ x"), so the bins where the marks fall keep a readable width.
#include <QString>
#include <cstdint>
#include <vector>

#include "core/sweep/WorkloadRecord.h"

namespace bertbench::ui {

struct HistogramBin {
    int lo = 1, hi = 1;   // lengths lo..hi, inclusive
    int64_t count = 0;
};

struct LengthMark {
    int maxLength = 0;
    int64_t truncated = 0;   // examples longer than maxLength
    double share = 0;        // truncated / examples
};

struct LengthHistogramData {
    QString title;           // "Workload · reviews.txt"
    QString subtitle;        // "2,000 examples · median 55 · p90 140 · p99 310 · max 1,682"
    std::vector<HistogramBin> bins;
    bool overflow = false;   // the last bin holds every length >= its lo
    std::vector<LengthMark> marks;
    int64_t examples = 0;
    int maxLength = 0;       // the longest example
    QString emptyNote;       // why there is no histogram (no file, unreadable, not recorded)
    bool empty() const { return bins.empty(); }
};

// `maxLengths`: the sweep's max sequence lengths, each marked. `bins`: about how many bins.
LengthHistogramData lengthHistogram(const std::vector<int>& lengths, const std::vector<int>& maxLengths,
                                    const QString& title, int bins = 40);
// A finished run's: its recorded lengths (the first model's, or `model`'s), marked at its seq lens.
LengthHistogramData runLengthHistogram(const WorkloadRecord& workload, const std::vector<int>& seqLens,
                                       const std::string& model = {});
// "12.3% of 2,000 truncated at 128" lines, one per mark.
QString truncationText(const LengthHistogramData& data);

} // namespace bertbench::ui

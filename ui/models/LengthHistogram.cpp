#include "ui/models/LengthHistogram.h"

#include <QFileInfo>
#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>

#include "core/workload/LengthDistribution.h"
#include "ui/models/RowText.h"

namespace bertbench::ui {

namespace {

QString number(double v) {
    return v == std::floor(v) ? QLocale(QLocale::English).toString(qint64(v)) : QString::number(v, 'f', 1);
}

} // namespace

LengthHistogramData lengthHistogram(const std::vector<int>& lengths, const std::vector<int>& maxLengths,
                                    const QString& title, int bins) {
    LengthHistogramData data;
    data.title = title;
    if (lengths.empty()) {
        data.emptyNote = QStringLiteral("no lengths");
        return data;
    }
    std::vector<int> sorted = lengths;
    std::sort(sorted.begin(), sorted.end());
    data.examples = int64_t(sorted.size());
    data.maxLength = sorted.back();
    const double p99 = percentileOfSorted(sorted, 99);
    data.subtitle = QStringLiteral("%1 examples · median %2 · p90 %3 · p99 %4 · max %5 tokens")
                        .arg(number(double(data.examples)), number(percentileOfSorted(sorted, 50)),
                             number(percentileOfSorted(sorted, 90)), number(p99), number(data.maxLength));

    std::vector<int> marks = maxLengths;
    std::sort(marks.begin(), marks.end());
    marks.erase(std::unique(marks.begin(), marks.end()), marks.end());
    for (int m : marks) {
        if (m < 1) continue;
        LengthMark mark;
        mark.maxLength = m;
        mark.truncated = int64_t(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), m));
        mark.share = double(mark.truncated) / double(data.examples);
        data.marks.push_back(mark);
    }
    // The drawn range: past the longest mark and the 99th percentile; beyond it, one "≥" bin.
    const int markTop = marks.empty() ? 0 : marks.back();
    int upper = std::max({int(std::ceil(p99)), int(std::ceil(markTop * 1.1)), 8});
    upper = std::min(upper, data.maxLength);
    data.overflow = data.maxLength > upper;
    bins = std::max(4, bins);
    const int width = std::max(1, int(std::ceil(double(upper) / bins)));
    for (int lo = 1; lo <= upper; lo += width) data.bins.push_back({lo, std::min(upper, lo + width - 1), 0});
    if (data.overflow) data.bins.push_back({upper + 1, data.maxLength, 0});
    for (int len : sorted) {
        const size_t i = std::min(data.bins.size() - 1, size_t(std::max(0, len - 1) / width));
        ++data.bins[i].count;
    }
    return data;
}

LengthHistogramData runLengthHistogram(const WorkloadRecord& workload, const std::vector<int>& seqLens,
                                       const std::string& model) {
    if (!workload.recorded()) {
        LengthHistogramData data;
        data.emptyNote = QStringLiteral("This run used the synthetic lengths (no workload file), or its file does not "
                                        "record the workload's lengths (a CSV).");
        return data;
    }
    const WorkloadLengths* m = workload.lengthsOf(model);
    if (m == nullptr) m = &workload.models.front();
    QString title = QStringLiteral("Workload · %1").arg(QFileInfo(qstr(workload.file)).fileName());
    LengthHistogramData data = lengthHistogram(m->lengths, seqLens, title);
    QString how = workload.kind == WorkloadKind::Texts ? QStringLiteral("tokens counted by %1").arg(qstr(m->tokenizer))
                                                      : QStringLiteral("token counts");
    if (!m->model.empty() && workload.models.size() > 1) how = qstr(modelLabel(m->model)) + QStringLiteral(": ") + how;
    data.subtitle += QStringLiteral(" · ") + how;
    return data;
}

QString truncationText(const LengthHistogramData& data) {
    QStringList lines;
    for (const LengthMark& m : data.marks)
        lines << QStringLiteral("max %1: %2% truncated (%3 of %4)")
                     .arg(m.maxLength)
                     .arg(m.share * 100, 0, 'f', 1)
                     .arg(number(double(m.truncated)), number(double(data.examples)));
    return lines.join(QStringLiteral("\n"));
}

} // namespace bertbench::ui

#include "ui/models/OfflineComparison.h"

#include <QFileInfo>
#include <QLocale>
#include <cmath>
#include <set>

namespace bertbench::ui {

namespace {

// The figures and their source are docs/PERFORMANCE.md's ("Offline against MLPerf").
constexpr double kMlperfBert999 = 7939.77;
constexpr double kMlperfBert99 = 9081.51;

// What makes two files' samples/s comparable: the same model, task, max length and samples of the
// same lengths file (its hash when recorded, else its name).
QString cellOf(const OfflineSpec& s, int samples) {
    const QString lengths = s.lengthsSha256.empty() ? QFileInfo(QString::fromStdString(s.lengthsFile)).fileName()
                                                    : QString::fromStdString(s.lengthsSha256.substr(0, 12));
    return QStringLiteral("%1 · %2 · max length %3 · %4 samples of %5")
        .arg(QString::fromStdString(s.model), QString::fromStdString(toString(s.task)))
        .arg(s.maxLength)
        .arg(samples)
        .arg(lengths);
}

QString referenceText(const OfflineSpec& s) {
    if (!s.reference.empty()) return QString::fromStdString(s.reference + " " + toString(s.referenceDType));
    return s.backends.empty() ? QString() : QString::fromStdString(s.backends.front());
}

OfflineCurve curveOf(const OfflineBackendResult& b, const OfflineResult& r, const QString& file) {
    OfflineCurve c;
    c.backend = QString::fromStdString(b.backend);
    c.dtype = QString::fromStdString(b.dtypeRan.empty() ? toString(r.spec.dtype) : b.dtypeRan);
    c.file = file;
    c.agreementPct = b.agreementPct;
    c.trials = b.trials;
    if (b.status != RowStatus::Ok && b.trials.empty())
        c.failure = QString::fromStdString(toString(b.status) + (b.message.empty() ? "" : ": " + b.message));
    for (const OfflineTrial& t : b.trials)
        if (t.status == RowStatus::Ok) {   // the table shows the others with their status
            c.batchSizes.push_back(t.batchSize);
            c.samplesPerS.push_back(t.samplesPerS);
        }
    if (b.best >= 0) {
        c.bestBatch = b.trials[size_t(b.best)].batchSize;
        c.bestSamplesPerS = b.trials[size_t(b.best)].samplesPerS;
    }
    return c;
}

} // namespace

QString rateText(double perSecond) { return QLocale(QLocale::English).toString(perSecond, 'f', 1); }

std::vector<PublishedFigure> mlperfFiguresFor(const OfflineSpec& spec) {
    if (spec.model != "bert-large" || spec.task != Task::Qa || spec.maxLength != 384) return {};
    return {{QStringLiteral("MLPerf v4.0 bert-99.9 (TensorRT, H100)"), kMlperfBert999},
            {QStringLiteral("MLPerf v4.0 bert-99, int8 (TensorRT, H100)"), kMlperfBert99}};
}

OfflineComparison compareOffline(const std::vector<OfflineFile>& files, QStringList* problems) {
    OfflineComparison out;
    if (files.empty()) return out;
    const OfflineResult& first = files.front().result;
    const QString cell = cellOf(first.spec, first.samples);
    std::set<QString> devices;
    QStringList references;
    for (const OfflineFile& f : files) {
        const QString name = QFileInfo(f.path).fileName();
        if (cellOf(f.result.spec, f.result.samples) != cell) {
            if (problems)
                *problems << QStringLiteral("%1: another cell (%2) than %3 (%4): its samples/s would not compare")
                                 .arg(name, cellOf(f.result.spec, f.result.samples),
                                      QFileInfo(files.front().path).fileName(), cell);
            continue;
        }
        // "NVIDIA H100 80GB HBM3 (torch 2.11.0+cu130)": the card once, whatever ran on it.
        devices.insert(QString::fromStdString(f.result.device).section(QStringLiteral(" ("), 0, 0));
        if (!references.contains(referenceText(f.result.spec))) references << referenceText(f.result.spec);
        for (const OfflineBackendResult& b : f.result.backends) out.curves.push_back(curveOf(b, f.result, name));
    }
    const OfflineSpec& s = first.spec;
    out.title = QStringLiteral("%1 · %2 · max length %3")
                    .arg(QString::fromStdString(s.model), QString::fromStdString(toString(s.task)))
                    .arg(s.maxLength);
    out.subtitle = QStringLiteral("%1 samples (mean %2 real tokens, %3 truncated), sorted by length · agreement vs %4")
                       .arg(QLocale(QLocale::English).toString(first.samples))
                       .arg(first.meanLength, 0, 'f', 1)
                       .arg(first.truncated)
                       .arg(references.join(QStringLiteral(", ")));
    out.device = QStringList(devices.begin(), devices.end()).join(QStringLiteral(" · "));
    out.published = mlperfFiguresFor(s);
    if (!out.published.empty())
        out.publishedSource = QStringLiteral(
            "MLPerf Inference v4.0, closed division, Offline, SQuAD v1.1 (real lengths, padding removed); "
            "ours: the lengths file's samples, padded per sorted batch (docs/PERFORMANCE.md says what else differs)");
    return out;
}

} // namespace bertbench::ui

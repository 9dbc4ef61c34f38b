#pragma once
// What the offline view and figure draw from one or more offline.json files of the same cell
// (model, task, max length, samples, lengths file): per backend of each file, samples/s against
// batch size, the best size, real tokens/s there and task agreement; and, when the cell is
// MLPerf's BERT shape (bert-large, qa, max 384), MLPerf's published Offline figures beside it.
// Files of another cell are refused by name: their samples/s would not compare.
#include <QString>
#include <QStringList>
#include <limits>
#include <vector>

#include "core/sweep/OfflineScenario.h"

namespace bertbench::ui {

struct OfflineCurve {
    QString backend;      // "cuda:flash_attention_2"
    QString dtype;        // what it ran: "fp8", "fp16"
    QString file;         // the offline.json it came from (file name)
    std::vector<int> batchSizes;        // measured (ok) trials, increasing
    std::vector<double> samplesPerS;    // of those
    int bestBatch = 0;                  // 0: none measured
    double bestSamplesPerS = 0;
    double agreementPct = std::numeric_limits<double>::quiet_NaN();   // NaN: the reference itself, or none
    std::vector<OfflineTrial> trials;   // every size tried, as the file has them (the view's table)
    QString failure;                    // the backend did not run at all
};

// A published figure to draw as a horizontal line.
struct PublishedFigure {
    QString label;        // "MLPerf v4.0 TensorRT bert-99.9 (1 × H100-SXM)"
    double samplesPerS = 0;
};

struct OfflineComparison {
    QString title;        // "bert-large · qa · max length 384"
    QString subtitle;     // "10,833 samples (mean 172.5 real tokens), sorted by length · agreement vs cuda:eager fp32"
    QString device;       // the devices, as the files name them
    std::vector<OfflineCurve> curves;
    std::vector<PublishedFigure> published;
    QString publishedSource;   // where the published figures come from, for a footnote
};

struct OfflineFile {
    QString path;
    OfflineResult result;
};

// The first file sets the cell; a file of another cell adds "<file>: …" to `problems` and is
// left out. Curves in file order, backends in each file's order.
OfflineComparison compareOffline(const std::vector<OfflineFile>& files, QStringList* problems);

// MLPerf Inference v4.0's Offline figures for BERT-large on SQuAD v1.1 at max 384 on one
// H100-SXM-80GB (NVIDIA's TensorRT harness), when the result is that cell; else none.
std::vector<PublishedFigure> mlperfFiguresFor(const OfflineSpec& spec);

// "4,752.9" — samples/s and tokens/s in the view, the legend and the table.
QString rateText(double perSecond);

} // namespace bertbench::ui

#pragma once
// The offline scenario, shaped like MLPerf Inference's Offline (docs/PERFORMANCE.md, "Offline
// against MLPerf"): a fixed set of N samples from a data workload, all available at once, sorted
// by length and cut into batches, each padded to its longest row; the figure is samples per second
// over the whole set (and real tokens per second), at the batch size that gives the most.
//
//   samples   the workload's first N rows when N <= its size (the whole file when N is its size,
//             as MLPerf's performance run covers SQuAD v1.1 dev's 10,833 samples); beyond its
//             size, the whole file once and then rows drawn uniformly with replacement (seeded).
//             Rows longer than the max length are truncated to it (counted).
//   batches   the samples sorted by length, ascending, cut into consecutive batches of B rows (the
//             last may be smaller), each padded to its own longest row.
//   a pass    one forward of every batch, in order, each batch prepared untimed (BatchCycle.h);
//             its time is the sum of the backend's device times, so what the host does between
//             batches (input upload, graph capture) is not counted: MLPerf's figure is wall-clock
//             over the run and includes it (docs say so where they compare).
//   search    for each backend, batch sizes from the list in increasing order; every size gets a
//             warm-up pass and `passes` timed passes (median); the search stops at the first size
//             that runs out of memory, or after `patience` sizes in a row slower than the best so
//             far. The best = the most samples/s.
//   agreement after the search, each backend runs `agreementSamples` samples of an evenly
//             spaced pick (short, middle and long rows alike) in batches of `agreementBatch`, and
//             its task decisions are compared with the reference's on the same batches
//             (TaskAgreement.h): `reference` in `referenceDType` when named (e.g. cuda:eager in
//             fp32, run for this only), else the first backend.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/sweep/ResultRow.h"
#include "core/sweep/SweepRunner.h"

namespace bertbench {

struct OfflineSpec {
    std::string model = "bert-large";
    Task task = Task::Qa;
    DType dtype = DType::Float16;
    int maxLength = 384;
    int samples = 10833;                       // MLPerf BERT's SQuAD v1.1 dev set size
    std::vector<int> batchSizes{16, 32, 64, 128, 256, 512, 1024};
    int warmupPasses = 1;
    int passes = 3;
    int patience = 2;
    int agreementSamples = 512;
    int agreementBatch = 32;
    uint64_t seed = 1;
    bool cudaGraphs = false;
    int64_t memoryLimitMb = 0;
    std::vector<std::string> backends;        // the first is the agreement reference unless `reference`
    std::string reference;                    // the agreement reference, run only for it ("" = backends[0])
    DType referenceDType = DType::Float32;
    std::string lengthsFile;                  // recorded (the caller reads it)
    std::string lengthsSha256;
};

// The samples: N lengths as above, truncated to maxLength. `truncated` counts the rows cut.
std::vector<int> offlineSamples(const std::vector<int>& workload, int samples, int maxLength, uint64_t seed,
                                int* truncated = nullptr);
// Sorted ascending and cut into batches of `batchSize` (the last may be smaller).
std::vector<std::vector<int>> sortedBatches(std::vector<int> samples, int batchSize);

struct OfflineTrial {
    int batchSize = 0;
    int batches = 0;
    RowStatus status = RowStatus::Ok;
    std::string message;
    LatencyStats passMs;           // one pass = every batch once
    double samplesPerS = 0;        // samples / median pass
    double realTokensPerS = 0;     // real tokens / median pass
    double padFraction = 0;        // 1 − real / padded positions over the batches
    double peakMemMb = 0;
};

struct OfflineBackendResult {
    std::string backend;
    std::string dtypeRan;          // what the backend says it ran (Backend::dtypeRan), else the asked
    RowStatus status = RowStatus::Ok;
    std::string message;           // load failure
    std::vector<OfflineTrial> trials;
    int best = -1;                 // index into trials; -1 = none ran
    double agreementPct = std::numeric_limits<double>::quiet_NaN();   // vs the reference; NaN for it
    int64_t agreementDecisions = 0;
};

struct OfflineResult {
    OfflineSpec spec;
    std::string device;
    int samples = 0;
    int truncated = 0;
    int64_t realTokens = 0;
    double meanLength = 0;
    std::vector<OfflineBackendResult> backends;
    std::string startTime, endTime;
};

using OfflineLog = std::function<void(const std::string&)>;
// Called after each backend with the result so far (a caller writes it, so that an interrupted
// run keeps the backends it finished).
using OfflineProgress = std::function<void(const OfflineResult&)>;
// Loads each backend in turn (the weights once), searches its batch size, measures agreement.
OfflineResult runOffline(const OfflineSpec& spec, const std::vector<int>& workload, const BackendRegistry& registry,
                         const WeightsProvider& weights, const OfflineLog& log = {},
                         const OfflineProgress& progress = {});

// Per backend: each batch size tried, then the best, samples/s and tokens/s, agreement.
std::string offlineTable(const OfflineResult& result);

} // namespace bertbench

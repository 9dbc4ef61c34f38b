#include "core/sweep/SweepRunner.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "core/model/ModelConfig.h"
#include "core/util/Errors.h"

namespace bertbench {

BertWeights loadWeightsFor(const SweepSpec& spec) {
    if (isPreset(spec.model)) return randomWeights(presetConfig(spec.model), spec.seed);
    return loadHfCheckpoint(spec.model);
}

SweepRunner::SweepRunner(const BackendRegistry& registry, WeightsProvider weights)
    : registry_(registry), weights_(std::move(weights)), environment_(currentEnvironment()) {}

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Cancelled {};  // unwinds one measurement when the user pressed Stop

// One backend loaded for the sweep; `loadError` keeps why it could not be loaded.
struct LoadedBackend {
    std::string name;
    std::unique_ptr<Backend> backend;
    RowStatus loadStatus = RowStatus::Ok;
    std::string loadError;
};

struct MeasureResult {
    Measurement measurement;
    TaskOutput output;
    RowStatus status = RowStatus::Ok;
    std::string message;
};

RowStatus statusOf(const std::exception& e) {
    return dynamic_cast<const OutOfMemoryError*>(&e) != nullptr ? RowStatus::Oom : RowStatus::Error;
}

// prepare (untimed) → warm-up → timed forwards → output. Cancellation and the cell timeout are
// checked between forwards.
MeasureResult measure(LoadedBackend& lb, const SweepSpec& spec, const Cell& cell, const Batch& batch,
                      const std::atomic<bool>& cancel, Clock::time_point cellStart) {
    MeasureResult r;
    r.measurement.backend = lb.name;
    if (lb.loadStatus != RowStatus::Ok) {
        r.status = lb.loadStatus;
        r.message = lb.name + ": " + lb.loadError;
        return r;
    }
    Backend& backend = *lb.backend;
    auto checkpoint = [&] {
        if (cancel.load()) throw Cancelled{};
        if (spec.cellTimeoutS > 0 && secondsSince(cellStart) > spec.cellTimeoutS)
            throw BackendError("cell timed out after " + std::to_string(spec.cellTimeoutS) + " s");
    };
    try {
        backend.setMemoryLimitBytes(spec.memoryLimitMb * 1000000);
        backend.resetPeakMemory();
        backend.prepare(cell.task, batch);
        for (int i = 0; i < spec.warmup; ++i) {
            checkpoint();
            backend.forward();
        }
        std::vector<double> samples;
        samples.reserve(size_t(spec.numBatches));
        for (int i = 0; i < spec.numBatches; ++i) {
            checkpoint();
            samples.push_back(backend.forward());
        }
        r.output = backend.output();
        r.measurement.latency = summarize(std::move(samples));
        r.measurement.peakMemMb = double(backend.peakMemoryBytes()) / 1e6;
    } catch (const Cancelled&) {
        r.status = RowStatus::Cancelled;
        r.message = "stopped by the user";
    } catch (const std::exception& e) {
        r.status = statusOf(e);
        r.message = lb.name + ": " + e.what();
    }
    try {
        backend.releaseCell();
    } catch (const std::exception& e) {
        if (r.status == RowStatus::Ok) {
            r.status = RowStatus::Error;
            r.message = lb.name + ": releasing the cell failed: " + e.what();
        }
    }
    return r;
}

LoadedBackend loadBackend(const BackendRegistry& registry, const std::string& name, const BertWeights& weights,
                          const SweepSpec& spec) {
    LoadedBackend lb;
    lb.name = name;
    const BackendInfo* info = registry.find(name);
    if (info == nullptr) throw InputError("unknown backend '" + name + "'");
    try {
        lb.backend = info->create();
        lb.backend->setMemoryLimitBytes(spec.memoryLimitMb * 1000000);
        lb.backend->setUseCudaGraphs(spec.cudaGraphs);
        lb.backend->loadModel(weights, spec.dtype);
    } catch (const std::exception& e) {
        lb.loadStatus = statusOf(e);
        lb.loadError = std::string("loading the model failed: ") + e.what();
    }
    return lb;
}

bool isCudaBackend(const std::string& name) { return name.rfind("cuda:", 0) == 0; }

} // namespace

Run SweepRunner::run(const SweepSpec& spec, SweepObserver& observer, const std::atomic<bool>& cancel,
                     const std::vector<Cell>& skip) {
    std::vector<Cell> cells;
    for (const Cell& c : cellsOf(spec))
        if (std::find(skip.begin(), skip.end(), c) == skip.end()) cells.push_back(c);
    size_t nextIndex = 0;
    const CellSource next = [&]() -> std::optional<Cell> {
        if (nextIndex >= cells.size()) return std::nullopt;
        return cells[nextIndex++];
    };
    return runCells(spec, observer, cancel, next, int(cells.size()));
}

Run SweepRunner::runCells(const SweepSpec& spec, SweepObserver& observer, const std::atomic<bool>& cancel,
                          const CellSource& next, int total) {
    Run run;
    run.spec = spec;
    run.environment = environment_;
    run.environment.startTime = isoTimeNow();
    run.environment.cudaGraphs = spec.cudaGraphs;

    const auto sweepStart = Clock::now();
    observer.progress({0, total, 0, -1});

    observer.log("Loading model " + spec.model);
    const BertWeights weights = weights_(spec);
    LoadedBackend baseline = loadBackend(registry_, spec.baseline, weights, spec);
    std::vector<LoadedBackend> candidates;
    for (const std::string& name : spec.candidates) candidates.push_back(loadBackend(registry_, name, weights, spec));

    for (int index = 0;; ++index) {
        if (cancel.load()) break;
        const std::optional<Cell> nextCell = next();
        if (!nextCell) break;
        const Cell cell = *nextCell;
        observer.cellStarted(cell, index, total);
        const auto cellStart = Clock::now();

        BatchSpec bs;
        bs.batchSize = cell.batchSize;
        bs.maxSeqLen = cell.seqLen;
        bs.padFraction = cell.pad;
        bs.seqlenStdev = spec.seqlenStdev;
        bs.vocabSize = weights.config.vocabSize;
        bs.seed = cellSeed(spec, cell);
        const Batch batch = makeBatch(bs);

        const MeasureResult base = measure(baseline, spec, cell, batch, cancel, cellStart);
        for (LoadedBackend& cand : candidates) {
            ResultRow row;
            row.cell = cell;
            row.numBatches = spec.numBatches;
            row.isCuda = isCudaBackend(cand.name);
            row.isHalf = isHalf(spec.dtype);
            row.useMask = true;
            row.realTokens = batch.realTokens();
            row.baseline = base.measurement;
            if (base.status != RowStatus::Ok) {
                // Without the baseline there is nothing to compare against.
                row.candidate.backend = cand.name;
                row.status = base.status;
                row.message = "baseline " + base.message;
            } else {
                const MeasureResult c = measure(cand, spec, cell, batch, cancel, cellStart);
                row.candidate = c.measurement;
                row.status = c.status;
                row.message = c.message;
                if (c.status == RowStatus::Ok) {
                    try {
                        const OutputError err = compareOutputs(c.output, base.output, batch);
                        row.maxAbsError = err.maxAbs;
                        row.relError = err.relL2;
                    } catch (const std::exception& e) {
                        row.status = RowStatus::Error;
                        row.message = cand.name + ": " + e.what();
                    }
                }
            }
            if (row.isCuda) row.gpu = gpu_;
            run.rows.push_back(row);
            observer.rowReady(row);
        }

        const double elapsed = secondsSince(sweepStart);
        const int done = index + 1;
        observer.progress({done, total, elapsed, total >= done ? elapsed / done * (total - done) : -1});
    }
    run.environment.endTime = isoTimeNow();
    return run;
}

} // namespace bertbench

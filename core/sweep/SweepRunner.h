#pragma once
// Measures a sweep: per cell one seeded batch; the baseline and every candidate run in that
// cell (prepare untimed, warm-up, timed forwards in interleaved rounds or one backend after the
// other: CellTiming.h); statistics, the speedup's interval and verdict; output error vs the baseline.
#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "core/backend/Backend.h"
#include "core/energy/EnergyMeter.h"
#include "core/model/BertWeights.h"
#include "core/sweep/Run.h"

namespace bertbench {

struct SweepProgress {
    int cellsDone = 0;
    int cellsTotal = 0;
    double elapsedS = 0;
    double etaS = -1;   // < 0 = unknown yet
};

class SweepObserver {
public:
    virtual ~SweepObserver() = default;
    virtual void cellStarted(const Cell& /*cell*/, int /*index*/, int /*total*/) {}
    virtual void rowReady(const ResultRow& /*row*/) {}
    virtual void progress(const SweepProgress& /*p*/) {}
    virtual void log(const std::string& /*line*/) {}
};

// Loads the weights of one of a spec's models (preset + the spec's seed, or a checkpoint folder).
using WeightsProvider = std::function<BertWeights(const SweepSpec&, const std::string& model)>;
BertWeights loadWeightsFor(const SweepSpec& spec, const std::string& model);

class SweepRunner {
public:
    SweepRunner(const BackendRegistry& registry, WeightsProvider weights = loadWeightsFor);

    // The machine description recorded in the run (default: currentEnvironment()).
    void setEnvironment(Environment env) { environment_ = std::move(env); }
    // Where GPU backends' energy readings come from (default: NVML, loaded at run time).
    // Tests inject a synthetic meter or a loader of a missing library.
    void setEnergyMeterFactory(EnergyMeterFactory factory) { energyFactory_ = std::move(factory); }
    // The GPU the cuda:* backends run on, recorded in their rows (default: not recorded).
    void setGpuIdentity(GpuIdentity gpu) { gpu_ = std::move(gpu); }
    // A data workload read by the caller (core/workload/Workload.h), so the sweep does not read and
    // tokenize it again; without one, a spec with a data workload is read when the sweep starts.
    void setWorkload(WorkloadRecord workload) { workload_ = std::move(workload); }

    // Runs every cell not in `skip` (cells already finished, for resume). Returns the run with
    // the rows measured now. Cancellation is checked between forwards; rows of an interrupted
    // cell get status `cancelled`. A cell that throws becomes `oom`/`error` rows; the sweep goes on.
    Run run(const SweepSpec& spec, SweepObserver& observer, const std::atomic<bool>& cancel,
            const std::vector<Cell>& skip = {});

    // The next cell to measure, or nullopt to end the sweep. Called once before each cell, so
    // a call also says the previous cell's rows are all out (a worker process reports it then).
    using CellSource = std::function<std::optional<Cell>()>;
    // Like run(), with the cells handed out one at a time (a worker fed by its parent): the
    // model and backends are loaded once, then cells are measured until `next` says stop.
    // `total` is what progress reports count against (< 0 = unknown).
    Run runCells(const SweepSpec& spec, SweepObserver& observer, const std::atomic<bool>& cancel,
                 const CellSource& next, int total);

private:
    struct LoadedModel;
    LoadedModel loadModel(const std::string& model, const SweepSpec& spec, SweepObserver& observer,
                          Environment& environment, bool probeGemm) const;

    const BackendRegistry& registry_;
    WeightsProvider weights_;
    Environment environment_;
    EnergyMeterFactory energyFactory_;
    GpuIdentity gpu_;
    WorkloadRecord workload_;
};

// Max abs and relative L2 error of `candidate` against `reference` on real positions.
struct OutputError {
    double maxAbs = 0;
    double relL2 = 0;
};
OutputError compareOutputs(const TaskOutput& candidate, const TaskOutput& reference, const Batch& batch);

} // namespace bertbench

#include "core/sweep/SweepRunner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

#include "core/energy/Nvml.h"
#include "core/model/ModelConfig.h"
#include "core/profile/Flops.h"
#include "core/sweep/BatchCycle.h"
#include "core/sweep/CellBatches.h"
#include "core/sweep/CellTiming.h"
#include "core/sweep/MeasurementProfile.h"
#include "core/sweep/TaskAgreement.h"
#include "core/util/Errors.h"
#include "core/workload/Workload.h"

namespace bertbench {

BertWeights loadWeightsFor(const SweepSpec& spec, const std::string& model) {
    if (isPreset(model)) return randomWeights(presetConfig(model), spec.seed);
    return loadHfCheckpoint(model);
}

SweepRunner::SweepRunner(const BackendRegistry& registry, WeightsProvider weights)
    : registry_(registry), weights_(std::move(weights)), environment_(currentEnvironment()),
      energyFactory_(nvmlMeterFactory()) {}

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

RowStatus statusOf(const std::exception& e) {
    return dynamic_cast<const OutOfMemoryError*>(&e) != nullptr ? RowStatus::Oom : RowStatus::Error;
}

LoadedBackend loadBackend(const BackendRegistry& registry, const std::string& name, const BertWeights& weights,
                          const SweepSpec& spec, DType dtype, const EnergyMeterFactory& energyFactory) {
    LoadedBackend lb;
    lb.name = name;
    lb.dtype = dtype;
    const BackendInfo* info = registry.find(name);
    if (info == nullptr) throw InputError("unknown backend '" + name + "'");
    if (!info->unavailableReason.empty()) {
        lb.loadStatus = RowStatus::Error;
        lb.loadError = "unavailable on this machine: " + info->unavailableReason;
        return lb;
    }
    try {
        lb.backend = info->create();
        lb.backend->setMemoryLimitBytes(spec.memoryLimitMb * 1000000);
        lb.backend->setUseCudaGraphs(spec.cudaGraphs);
        lb.backend->setCellTimeoutS(spec.cellTimeoutS);
        lb.backend->loadModel(weights, dtype);
        lb.energy = openEnergySource(*lb.backend, energyFactory);
    } catch (const std::exception& e) {
        lb.loadStatus = statusOf(e);
        lb.loadError = std::string("loading the model failed: ") + e.what();
    }
    return lb;
}

// What the backend ran with, read after its load and again after each of its cells (some choices,
// such as autotuned GEMM algorithms, exist only after a forward): the run keeps the latest, under
// `key` — the backend's name, or the baseline's label where it has a data type of its own, so that
// cuda:eager fp32 against cuda:eager in fp8 keeps both.
void recordKernelOptions(const LoadedBackend& lb, Environment& env, const std::string& key) {
    if (lb.loadStatus != RowStatus::Ok || !lb.backend) return;
    std::vector<KernelOption> options;
    try {
        options = lb.backend->kernelOptions();
    } catch (const std::exception& e) {
        // A description must not fail the sweep; the run says why it has none.
        options = {{"kernel_options_error", e.what()}};
    }
    if (!options.empty()) env.kernelOptions[key] = std::move(options);
}

} // namespace

// A model's weights and every backend loaded with it.
struct SweepRunner::LoadedModel {
    std::string name;
    BertWeights weights;
    LoadedBackend baseline;
    std::vector<LoadedBackend> candidates;
};

SweepRunner::LoadedModel SweepRunner::loadModel(const std::string& model, const SweepSpec& spec,
                                                SweepObserver& observer, Environment& environment,
                                                bool probeGemm) const {
    observer.log("Loading model " + model);
    LoadedModel m;
    m.name = model;
    try {
        m.weights = weights_(spec, model);
    } catch (const std::exception& e) {
        if (spec.models.size() <= 1) throw;   // nothing of the run can be measured
        // One model of several that cannot be read: its cells become error rows and the other
        // models are still measured.
        auto failed = [&](const std::string& backend) {
            LoadedBackend lb;
            lb.name = backend;
            lb.loadStatus = RowStatus::Error;
            lb.loadError = "loading model " + model + " failed: " + e.what();
            return lb;
        };
        m.baseline = failed(spec.baseline);
        for (const std::string& name : spec.candidates) m.candidates.push_back(failed(name));
        return m;
    }
    m.baseline = loadBackend(registry_, spec.baseline, m.weights, spec, baselineDTypeOf(spec), energyFactory_);
    for (const std::string& name : spec.candidates)
        m.candidates.push_back(loadBackend(registry_, name, m.weights, spec, spec.dtype, energyFactory_));
    std::vector<Backend*> loaded;
    if (m.baseline.loadStatus == RowStatus::Ok) loaded.push_back(m.baseline.backend.get());
    for (LoadedBackend& lb : m.candidates)
        if (lb.loadStatus == RowStatus::Ok) loaded.push_back(lb.backend.get());
    if (probeGemm) {
        probeGemmPeak(loaded, spec.dtype, environment);
        if (environment.gemmPeakTflops > 0) {
            char line[96];
            std::snprintf(line, sizeof line, "GEMM probe: %.1f TFLOP/s attainable", environment.gemmPeakTflops);
            observer.log(line);
        }
    }
    recordKernelOptions(m.baseline, environment, baselineLabel(spec));
    for (const LoadedBackend& lb : m.candidates) recordKernelOptions(lb, environment, lb.name);
    return m;
}

namespace {

// The registry's device, so that torch:* backends running on the GPU count as CUDA rows too.
bool isCudaBackend(const BackendRegistry& registry, const std::string& name) {
    const BackendInfo* info = registry.find(name);
    return info != nullptr ? info->device == "cuda" : name.rfind("cuda:", 0) == 0;
}

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
    // A data workload's lengths, read once (the caller may have read them: setWorkload).
    if (spec.workload.isData() && !workload_.recorded()) workload_ = loadWorkload(spec);
    Run run;
    run.spec = spec;
    recordWorkloadIdentity(run.spec, workload_);
    run.workload = workload_;
    run.environment = environment_;
    run.environment.startTime = isoTimeNow();
    run.environment.cudaGraphs = spec.cudaGraphs;

    const auto sweepStart = Clock::now();
    observer.progress({0, total, 0, -1});

    // One model's weights and backends at a time: cells come model by model (cellsOf), so each
    // is loaded once; a worker handed cells of several models reloads when the model changes.
    std::optional<LoadedModel> loaded;
    for (int index = 0;; ++index) {
        if (cancel.load()) break;
        const std::optional<Cell> nextCell = next();
        if (!nextCell) break;
        const Cell cell = *nextCell;
        if (!loaded || loaded->name != cell.model) {
            loaded.reset();   // the previous model's memory goes before the next one's comes
            // The GEMM probe measures the GPU, not the model: once a run.
            loaded = loadModel(cell.model, spec, observer, run.environment, /*probeGemm=*/index == 0);
        }
        const BertWeights& weights = loaded->weights;
        LoadedBackend& baseline = loaded->baseline;
        std::vector<LoadedBackend>& candidates = loaded->candidates;
        observer.cellStarted(cell, index, total);
        const auto cellStart = Clock::now();

        // The cell's batches: one seeded synthetic batch, or a data workload's draw (CellBatches.h).
        const WorkloadLengths* lengths = workload_.recorded() ? workload_.lengthsOf(cell.model) : nullptr;
        const CellBatches cellBatches =
            makeCellBatches(spec, cell, weights.config, lengths != nullptr ? &lengths->lengths : nullptr);
        const Batch& batch = cellBatches.reference();
        CellContext ctx;
        ctx.flops = cellBatches.flops;
        ctx.environment = &run.environment;

        // Every side of the cell timed together (interleaved rounds, or one after the other).
        std::vector<LoadedBackend*> sides{&baseline};
        for (LoadedBackend& cand : candidates) sides.push_back(&cand);
        std::string timing;
        std::vector<MeasureResult> measured;
        {
            // A data cell's batches: each timed forward runs them all (BatchCycle.h).
            std::vector<std::unique_ptr<ScopedBatchCycle>> cycles;
            for (LoadedBackend* side : sides)
                cycles.push_back(std::make_unique<ScopedBatchCycle>(side->backend, cellBatches.batches));
            measured = timeCell(sides, spec, cell, batch, cancel, cellStart, ctx, timing);
        }
        for (size_t k = 0; k < measured.size() && k < sides.size(); ++k)
            if (sides[k]->backend)
                perBatchFigures(measured[k].measurement, *sides[k]->backend, sides[k]->dtype, spec.dtype,
                                run.environment, cellBatches);
        const MeasureResult& base = measured[0];
        recordKernelOptions(baseline, run.environment, baselineLabel(spec));
        for (const LoadedBackend& cand : candidates) recordKernelOptions(cand, run.environment, cand.name);
        for (size_t k = 0; k < candidates.size(); ++k) {
            LoadedBackend& cand = candidates[k];
            ResultRow row;
            row.cell = cell;
            row.numBatches = spec.numBatches;
            row.isCuda = isCudaBackend(registry_, cand.name);
            row.isHalf = isHalf(spec.dtype);
            row.useMask = true;
            row.realTokens = cellBatches.realTokens;
            row.realisedPad = cellBatches.realisedPad;
            row.workloadRows = cellBatches.workloadRows;
            row.truncatedRows = cellBatches.truncatedRows;
            row.baseline = base.measurement;
            if (base.status != RowStatus::Ok) {
                // Without the baseline there is nothing to compare against.
                row.candidate.backend = cand.name;
                row.status = base.status;
                row.message = "baseline " + base.message;
            } else {
                const MeasureResult& c = measured[k + 1];
                row.candidate = c.measurement;
                row.status = c.status;
                row.message = c.message;
                row.timing = timing;
                // Adaptive sampling: the count the candidate took (the seed CSV's num_batches).
                if (spec.maxNoisePct > 0 && c.status == RowStatus::Ok) row.numBatches = c.measurement.latency.samples;
                if (c.status == RowStatus::Ok) {
                    const SpeedupInterval si = speedupInterval(base.measurement.samplesMs, c.measurement.samplesMs);
                    row.speedupCiPct = si.pct;
                    row.verdict = si.verdict;
                    try {
                        const OutputError err = compareOutputs(c.output, base.output, batch);
                        row.maxAbsError = err.maxAbs;
                        row.relError = err.relL2;
                        row.taskAgreementPct = taskAgreement(cell.task, c.output, base.output, batch).percent();
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

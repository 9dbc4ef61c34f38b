#include "core/sweep/SweepSpec.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "core/util/Random.h"

namespace bertbench {

std::vector<Cell> cellsOf(const SweepSpec& spec) {
    std::vector<Cell> cells;
    cells.reserve(spec.models.size() * spec.tasks.size() * spec.batchSizes.size() * spec.seqLens.size() *
                  spec.pads.size());
    for (const std::string& model : spec.models)
        for (Task task : spec.tasks)
            for (int batch : spec.batchSizes)
                for (int seq : spec.seqLens) {
                    if (spec.workload.isData()) {
                        for (Batching b : spec.workload.batching) cells.push_back(Cell{task, batch, seq, 0.0, model, b});
                        continue;
                    }
                    for (double pad : spec.pads) cells.push_back(Cell{task, batch, seq, pad, model});
                }
    return cells;
}

uint64_t cellSeed(const SweepSpec& spec, const Cell& cell) {
    // Model and task are left out on purpose: every model and task of a sweep sees the same lengths.
    uint64_t padBits = 0;
    std::memcpy(&padBits, &cell.pad, sizeof padBits);
    uint64_t x = spec.seed;
    uint64_t h = Rng::splitmix64(x);
    for (uint64_t v : {uint64_t(cell.batchSize), uint64_t(cell.seqLen), padBits}) {
        x = h ^ v;
        h = Rng::splitmix64(x);
    }
    return h;
}

std::string baselineLabel(const SweepSpec& spec) {
    return spec.baselineDType ? spec.baseline + " " + toString(*spec.baselineDType) : spec.baseline;
}

std::string modelLabel(const std::string& model) {
    if (model.empty()) return "model not recorded";
    std::string s = model;
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    const size_t slash = s.find_last_of('/');
    return slash == std::string::npos ? s : s.substr(slash + 1);
}

namespace {

// Limits of every spec field, in one place (issue: "one table of every spec field's bounds").
constexpr int kMaxBatch = 4096;
constexpr int kMaxWarmup = 1000;
constexpr int kMaxNumBatches = 100000;
constexpr double kMaxStdev = 100000;
constexpr double kMaxNoisePct = 100;
constexpr double kMaxCellTimeS = 86400;

std::string num(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

template <typename T>
void checkListNotEmpty(const std::vector<T>& list, const char* field, std::vector<SpecProblem>& out) {
    if (list.empty()) out.push_back({field, "must list at least one value"});
}

template <typename T>
void checkDuplicates(const std::vector<T>& list, const char* field, std::vector<SpecProblem>& out) {
    for (size_t i = 0; i < list.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (list[i] == list[j]) {
                out.push_back({std::string(field) + "[" + std::to_string(i) + "]",
                               "value " + num(double(list[i])) + " is listed twice"});
                break;
            }
}

} // namespace

std::vector<SpecProblem> validateSpec(const SweepSpec& spec, int maxPositions,
                                      const std::vector<std::string>& knownBackends) {
    std::vector<SpecProblem> problems;
    auto add = [&](std::string field, std::string message) { problems.push_back({std::move(field), std::move(message)}); };
    auto indexed = [](const char* field, size_t i) { return std::string(field) + "[" + std::to_string(i) + "]"; };

    checkListNotEmpty(spec.models, "models", problems);
    for (size_t i = 0; i < spec.models.size(); ++i) {
        if (spec.models[i].empty())
            add(spec.models.size() == 1 ? std::string("model") : indexed("models", i),
                "is empty: name a preset (tiny, bert-base, ...) or a checkpoint folder");
        for (size_t j = 0; j < i; ++j)
            if (spec.models[i] == spec.models[j]) add(indexed("models", i), "model '" + spec.models[i] + "' is listed twice");
    }

    checkListNotEmpty(spec.tasks, "tasks", problems);
    for (size_t i = 0; i < spec.tasks.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (spec.tasks[i] == spec.tasks[j]) add(indexed("tasks", i), "task " + toString(spec.tasks[i]) + " is listed twice");

    checkListNotEmpty(spec.batchSizes, "batch_sizes", problems);
    for (size_t i = 0; i < spec.batchSizes.size(); ++i) {
        const int b = spec.batchSizes[i];
        if (b < 1 || b > kMaxBatch)
            add(indexed("batch_sizes", i), "batch size " + std::to_string(b) + " is out of range 1.." + std::to_string(kMaxBatch));
    }
    checkDuplicates(spec.batchSizes, "batch_sizes", problems);

    checkListNotEmpty(spec.seqLens, "seq_lens", problems);
    const int seqLimit = maxPositions > 0 ? maxPositions : 1 << 20;
    for (size_t i = 0; i < spec.seqLens.size(); ++i) {
        const int s = spec.seqLens[i];
        if (s < 1 || s > seqLimit)
            add(indexed("seq_lens", i), "sequence length " + std::to_string(s) + " is out of range 1.." +
                                            std::to_string(seqLimit) +
                                            (maxPositions > 0 ? " (the model's max_position_embeddings)" : ""));
    }
    checkDuplicates(spec.seqLens, "seq_lens", problems);

    addWorkloadProblems(spec.workload, problems);
    checkListNotEmpty(spec.pads, "pads", problems);
    for (size_t i = 0; i < spec.pads.size(); ++i) {
        const double p = spec.pads[i];
        if (!(p >= 0.0 && p < 1.0)) add(indexed("pads", i), "pad fraction " + num(p) + " is out of range [0, 1)");
    }
    checkDuplicates(spec.pads, "pads", problems);

    if (!(spec.seqlenStdev >= 0.0 && spec.seqlenStdev <= kMaxStdev))
        add("seqlen_stdev", "length stdev " + num(spec.seqlenStdev) + " is out of range 0.." + num(kMaxStdev));
    if (spec.warmup < 0 || spec.warmup > kMaxWarmup)
        add("warmup", "warm-up count " + std::to_string(spec.warmup) + " is out of range 0.." + std::to_string(kMaxWarmup));
    if (spec.numBatches < 1 || spec.numBatches > kMaxNumBatches)
        add("num_batches", "timed batch count " + std::to_string(spec.numBatches) + " is out of range 1.." +
                               std::to_string(kMaxNumBatches));
    if (!(spec.maxNoisePct >= 0.0 && spec.maxNoisePct <= kMaxNoisePct))
        add("max_noise_pct", "noise target " + num(spec.maxNoisePct) + " % is out of range 0.." + num(kMaxNoisePct) +
                                 " (0 = a fixed count of timed forwards)");
    if (!(spec.minTimeS >= 0.0 && spec.minTimeS <= kMaxCellTimeS))
        add("min_time_s", "minimum time " + num(spec.minTimeS) + " s per cell is out of range 0.." + num(kMaxCellTimeS));
    if (!(spec.maxTimeS > 0.0 && spec.maxTimeS <= kMaxCellTimeS))
        add("max_time_s", "maximum time " + num(spec.maxTimeS) + " s per cell is out of range (0, " + num(kMaxCellTimeS) +
                              "]");
    else if (spec.minTimeS > spec.maxTimeS)
        add("max_time_s", "maximum time " + num(spec.maxTimeS) + " s per cell is below the minimum time " +
                              num(spec.minTimeS) + " s");
    if (spec.memoryLimitMb < 0) add("memory_limit_mb", "memory limit " + std::to_string(spec.memoryLimitMb) + " MB must be >= 0 (0 = none)");
    if (!(spec.cellTimeoutS >= 0.0)) add("cell_timeout_s", "cell timeout " + num(spec.cellTimeoutS) + " s must be >= 0 (0 = none)");

    auto checkBackend = [&](const std::string& field, const std::string& name) {
        if (name.empty()) {
            add(field, "backend name is empty");
            return;
        }
        if (knownBackends.empty()) return;
        if (std::find(knownBackends.begin(), knownBackends.end(), name) == knownBackends.end()) {
            std::string list;
            for (const std::string& k : knownBackends) list += (list.empty() ? "" : ", ") + k;
            add(field, "unknown backend '" + name + "' (this build and machine offer: " + list + ")");
        }
    };
    checkBackend("baseline", spec.baseline);
    if (spec.candidates.empty()) add("candidates", "must list at least one backend to compare with the baseline");
    for (size_t i = 0; i < spec.candidates.size(); ++i) {
        // A candidate may be the baseline itself: an A/A run, whose verdicts show the machine's
        // noise floor (a second instance of the backend is loaded and timed like any candidate).
        checkBackend(indexed("candidates", i), spec.candidates[i]);
        for (size_t j = 0; j < i; ++j)
            if (spec.candidates[i] == spec.candidates[j])
                add(indexed("candidates", i), "candidate '" + spec.candidates[i] + "' is listed twice");
    }
    return problems;
}

} // namespace bertbench

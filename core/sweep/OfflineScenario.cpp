#include "core/sweep/OfflineScenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/batch/Batch.h"
#include "core/model/BertWeights.h"
#include "core/sweep/BatchCycle.h"
#include "core/sweep/Run.h"
#include "core/sweep/TaskAgreement.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

// SplitMix64: the scenario's own generator, the same draw on every platform.
struct SplitMix {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
};

std::vector<Batch> makeBatches(const std::vector<std::vector<int>>& rows, const ModelConfig& config, uint64_t seed) {
    std::vector<Batch> out;
    out.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        const int width = *std::max_element(rows[i].begin(), rows[i].end());
        out.push_back(makeBatchOfLengths(rows[i], width, config.vocabSize, config.padTokenId, seed + i));
    }
    return out;
}

double padOf(const std::vector<std::vector<int>>& rows) {
    int64_t real = 0, padded = 0;
    for (const std::vector<int>& b : rows) {
        const int width = *std::max_element(b.begin(), b.end());
        for (int l : b) real += l;
        padded += int64_t(width) * int64_t(b.size());
    }
    return padded > 0 ? 1.0 - double(real) / double(padded) : 0.0;
}

RowStatus statusOf(const std::exception& e) {
    return dynamic_cast<const OutOfMemoryError*>(&e) != nullptr ? RowStatus::Oom : RowStatus::Error;
}

void say(const OfflineLog& log, const std::string& line) {
    if (log) log(line);
}

std::string fixedText(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// The agreement pick: `count` samples evenly spaced over the sorted samples (short to long).
std::vector<int> agreementPick(const std::vector<int>& samples, int count) {
    std::vector<int> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = std::min(sorted.size(), size_t(std::max(count, 0)));
    std::vector<int> pick;
    pick.reserve(n);
    for (size_t i = 0; i < n; ++i) pick.push_back(sorted[i * sorted.size() / n]);
    return pick;
}

} // namespace

std::vector<int> offlineSamples(const std::vector<int>& workload, int samples, int maxLength, uint64_t seed,
                                int* truncated) {
    if (workload.empty()) throw InputError("the offline scenario needs a workload with at least one length");
    if (samples < 1) throw InputError("--samples must be at least 1");
    if (maxLength < 1) throw InputError("the max length must be at least 1");
    std::vector<int> out;
    out.reserve(size_t(samples));
    for (size_t i = 0; i < workload.size() && out.size() < size_t(samples); ++i) out.push_back(workload[i]);
    SplitMix rng{seed};
    while (out.size() < size_t(samples)) out.push_back(workload[size_t(rng.next() % workload.size())]);
    int cut = 0;
    for (int& l : out) {
        if (l < 1) throw InputError("a workload length below 1: " + std::to_string(l));
        if (l > maxLength) {
            l = maxLength;
            ++cut;
        }
    }
    if (truncated) *truncated = cut;
    return out;
}

std::vector<std::vector<int>> sortedBatches(std::vector<int> samples, int batchSize) {
    if (batchSize < 1) throw InputError("batch size must be at least 1");
    std::sort(samples.begin(), samples.end());
    std::vector<std::vector<int>> out;
    for (size_t i = 0; i < samples.size(); i += size_t(batchSize))
        out.emplace_back(samples.begin() + long(i), samples.begin() + long(std::min(samples.size(), i + size_t(batchSize))));
    return out;
}

OfflineResult runOffline(const OfflineSpec& spec, const std::vector<int>& workload, const BackendRegistry& registry,
                         const WeightsProvider& weights, const OfflineLog& log, const OfflineProgress& progress) {
    if (spec.backends.empty()) throw InputError("the offline scenario needs at least one backend");
    if (spec.batchSizes.empty()) throw InputError("the offline scenario needs at least one batch size to try");
    if (spec.passes < 1) throw InputError("the offline scenario needs at least one timed pass");
    OfflineResult result;
    result.spec = spec;
    result.startTime = isoTimeNow();
    const std::vector<int> samples = offlineSamples(workload, spec.samples, spec.maxLength, spec.seed, &result.truncated);
    result.samples = int(samples.size());
    for (int l : samples) result.realTokens += l;
    result.meanLength = double(result.realTokens) / double(samples.size());

    SweepSpec sweep;
    sweep.models = {spec.model};
    sweep.tasks = {spec.task};
    sweep.dtype = spec.dtype;
    sweep.seed = spec.seed;
    const BertWeights w = weights(sweep, spec.model);
    if (spec.maxLength > w.config.maxPositions)
        throw InputError("max length " + std::to_string(spec.maxLength) + " exceeds the model's " +
                         std::to_string(w.config.maxPositions) + " positions");

    const std::vector<int> pick = agreementPick(samples, spec.agreementSamples);
    const std::vector<Batch> agreementBatches =
        pick.empty() ? std::vector<Batch>{} : makeBatches(sortedBatches(pick, std::max(1, spec.agreementBatch)), w.config, spec.seed ^ 0xA5A5u);
    std::vector<TaskOutput> referenceOutputs;
    const bool separateReference = !spec.reference.empty();
    if (separateReference && !agreementBatches.empty() && hasTaskAgreement(spec.task)) {
        try {
            const BackendInfo* info = registry.find(spec.reference);
            if (!info) throw InputError("unknown reference backend " + spec.reference);
            std::unique_ptr<Backend> reference = info->create();
            reference->setMemoryLimitBytes(spec.memoryLimitMb * 1000000);
            reference->loadModel(w, spec.referenceDType);
            for (const Batch& batch : agreementBatches) {
                reference->prepare(spec.task, batch);
                reference->forward();
                referenceOutputs.push_back(reference->output());
                reference->releaseCell();
            }
            say(log, "agreement reference: " + spec.reference + " in " + toString(spec.referenceDType) + ", " +
                         std::to_string(pick.size()) + " samples");
        } catch (const std::exception& e) {
            say(log, "agreement reference " + spec.reference + " failed: " + e.what());
            referenceOutputs.clear();
        }
    }

    for (size_t bi = 0; bi < spec.backends.size(); ++bi) {
        OfflineBackendResult br;
        br.backend = spec.backends[bi];
        br.dtypeRan = toString(spec.dtype);
        const BackendInfo* info = registry.find(br.backend);
        std::unique_ptr<Backend> backend;
        try {
            if (!info) throw InputError("unknown backend " + br.backend);
            if (!info->unavailableReason.empty()) throw BackendError(info->unavailableReason);
            backend = info->create();
            backend->setMemoryLimitBytes(spec.memoryLimitMb * 1000000);
            backend->setUseCudaGraphs(spec.cudaGraphs);
            backend->loadModel(w, spec.dtype);
            if (const std::optional<DType> ran = backend->dtypeRan()) br.dtypeRan = toString(*ran);
            if (result.device.empty()) result.device = backend->deviceName();
        } catch (const std::exception& e) {
            br.status = statusOf(e);
            br.message = e.what();
            say(log, br.backend + ": not loaded: " + br.message);
            result.backends.push_back(std::move(br));
            if (bi == 0) referenceOutputs.clear();
            continue;
        }

        double bestRate = -1;
        int slower = 0;
        for (int b : spec.batchSizes) {
            OfflineTrial t;
            t.batchSize = b;
            const std::vector<std::vector<int>> rows = sortedBatches(samples, b);
            t.batches = int(rows.size());
            t.padFraction = padOf(rows);
            try {
                BatchCycle cycle(std::move(backend), makeBatches(rows, w.config, spec.seed));
                struct GiveBack {
                    BatchCycle& c;
                    std::unique_ptr<Backend>& slot;
                    ~GiveBack() { slot = c.release(); }
                } giveBack{cycle, backend};
                cycle.resetPeakMemory();
                cycle.prepare(spec.task, Batch{});
                for (int i = 0; i < spec.warmupPasses; ++i) cycle.forward();
                std::vector<double> passMs;
                for (int i = 0; i < spec.passes; ++i) passMs.push_back(cycle.forward() * double(rows.size()));
                t.peakMemMb = double(cycle.peakMemoryBytes()) / 1e6;
                cycle.releaseCell();
                t.passMs = summarize(passMs);
                t.samplesPerS = t.passMs.medianMs > 0 ? double(samples.size()) / (t.passMs.medianMs / 1000) : 0;
                t.realTokensPerS = t.passMs.medianMs > 0 ? double(result.realTokens) / (t.passMs.medianMs / 1000) : 0;
            } catch (const std::exception& e) {
                t.status = statusOf(e);
                t.message = e.what();
                if (backend) {
                    try {
                        backend->releaseCell();
                    } catch (...) {
                    }
                }
            }
            say(log, br.backend + " batch " + std::to_string(b) + ": " +
                         (t.status == RowStatus::Ok ? fixedText(t.samplesPerS, 1) + " samples/s"
                                                    : toString(t.status) + " " + t.message));
            br.trials.push_back(t);
            if (t.status == RowStatus::Oom) break;   // larger batches would not fit either
            if (t.status != RowStatus::Ok) continue;
            if (t.samplesPerS > bestRate) {
                bestRate = t.samplesPerS;
                br.best = int(br.trials.size()) - 1;
                slower = 0;
            } else if (++slower >= spec.patience) {
                break;
            }
        }

        // Agreement on the same batches as the first backend.
        if (backend && !agreementBatches.empty() && hasTaskAgreement(spec.task)) {
            try {
                TaskAgreement total;
                for (size_t k = 0; k < agreementBatches.size(); ++k) {
                    backend->prepare(spec.task, agreementBatches[k]);
                    backend->forward();
                    TaskOutput out = backend->output();
                    backend->releaseCell();
                    if (bi == 0 && !separateReference) {
                        referenceOutputs.push_back(std::move(out));
                    } else if (k < referenceOutputs.size()) {
                        const TaskAgreement a = taskAgreement(spec.task, out, referenceOutputs[k], agreementBatches[k]);
                        total.decisions += a.decisions;
                        total.agreed += a.agreed;
                    }
                }
                if ((bi > 0 || separateReference) && total.decisions > 0) {
                    br.agreementPct = total.percent();
                    br.agreementDecisions = total.decisions;
                }
            } catch (const std::exception& e) {
                say(log, br.backend + ": agreement not measured: " + e.what());
                if (bi == 0 && !separateReference) referenceOutputs.clear();
            }
        }
        result.backends.push_back(std::move(br));
        if (progress) progress(result);
    }
    result.endTime = isoTimeNow();
    return result;
}

std::string offlineTable(const OfflineResult& r) {
    std::ostringstream out;
    out << "Offline: " << r.spec.model << " " << toString(r.spec.task) << " " << toString(r.spec.dtype) << ", "
        << r.samples << " samples (mean " << fixedText(r.meanLength, 1) << " real tokens, " << r.truncated
        << " truncated to " << r.spec.maxLength << "), sorted by length";
    if (!r.device.empty()) out << ", on " << r.device;
    out << "\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-28s %-5s %6s %8s %6s %12s %12s %14s  %s\n", "backend", "ran", "batch", "batches",
                  "pad", "pass ms", "samples/s", "real tok/s", "");
    out << line;
    for (const OfflineBackendResult& b : r.backends) {
        if (b.status != RowStatus::Ok) {
            out << b.backend << ": " << toString(b.status) << ": " << b.message << "\n";
            continue;
        }
        for (size_t i = 0; i < b.trials.size(); ++i) {
            const OfflineTrial& t = b.trials[i];
            if (t.status != RowStatus::Ok) {
                std::snprintf(line, sizeof line, "%-28s %-5s %6d %8d %6.2f  %s\n", b.backend.c_str(), b.dtypeRan.c_str(),
                              t.batchSize, t.batches, t.padFraction, (toString(t.status) + ": " + t.message).substr(0, 120).c_str());
            } else {
                std::snprintf(line, sizeof line, "%-28s %-5s %6d %8d %6.2f %12.2f %12.1f %14.0f  %s\n", b.backend.c_str(),
                              b.dtypeRan.c_str(), t.batchSize, t.batches, t.padFraction, t.passMs.medianMs, t.samplesPerS,
                              t.realTokensPerS, int(i) == b.best ? "<- best" : "");
            }
            out << line;
        }
    }
    out << "\nBest per backend:\n";
    for (const OfflineBackendResult& b : r.backends) {
        if (b.best < 0) {
            out << "  " << b.backend << ": no batch size ran\n";
            continue;
        }
        const OfflineTrial& t = b.trials[size_t(b.best)];
        out << "  " << b.backend << " (" << b.dtypeRan << "): " << fixedText(t.samplesPerS, 1) << " samples/s, "
            << fixedText(t.realTokensPerS, 0) << " real tokens/s at batch " << t.batchSize;
        if (std::isfinite(b.agreementPct))
            out << ", task agreement with "
                << (r.spec.reference.empty() ? r.spec.backends.front() : r.spec.reference + " " + toString(r.spec.referenceDType))
                << " " << fixedText(b.agreementPct, 2) << "% of "
                << b.agreementDecisions << " decisions";
        out << "\n";
    }
    out << "Pass time = the sum of the backend's device times over every batch (host work between batches "
           "not counted).\n";
    return out.str();
}

} // namespace bertbench

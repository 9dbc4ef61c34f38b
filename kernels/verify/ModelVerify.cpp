#include "kernels/verify/ModelVerify.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>

#include "core/backend/DTypeTolerance.h"
#include "core/sweep/TaskAgreement.h"
#include "core/util/Errors.h"

namespace bertbench::cuda {

std::string VerifyCase::label() const {
    char text[64];
    std::snprintf(text, sizeof text, "%dx%d pad %g", batchSize, seqLen, pad);
    return text;
}

std::string defaultVerifyCases() { return "1x512,3x77,4x512@0.75,8x128"; }

std::vector<VerifyCase> parseVerifyCases(const std::string& text) {
    std::vector<VerifyCase> cases;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        VerifyCase c;
        int consumed = 0;
        const bool withPad = std::sscanf(item.c_str(), "%dx%d@%lf%n", &c.batchSize, &c.seqLen, &c.pad, &consumed) == 3;
        if (!withPad) {
            c.pad = 0;
            consumed = 0;
            if (std::sscanf(item.c_str(), "%dx%d%n", &c.batchSize, &c.seqLen, &consumed) != 2) consumed = -1;
        }
        if (consumed != int(item.size()) || c.batchSize < 1 || c.batchSize > 4096 || c.seqLen < 1 ||
            c.seqLen > 8192 || c.pad < 0 || c.pad >= 1) {
            throw InputError("bad case '" + item + "': expected BxS or BxS@PAD with batch 1..4096, length 1..8192, pad in [0,1)");
        }
        cases.push_back(c);
    }
    if (cases.empty()) throw InputError("no cases given");
    return cases;
}

double defaultTolerance(DType dtype) {
    // fp32 against cpu:eager fp32: two summation orders; the rest as DTypeTolerance.h says.
    return dtype == DType::Float32 ? 1e-5 : reducedPrecisionTolerance(dtype);
}

double flooredSquares(double referenceSquares, size_t count, double rmsFloor) {
    return std::max(referenceSquares, rmsFloor * rmsFloor * double(count));
}

double flooredRelL2(double relL2, double referenceSquares, size_t count, double rmsFloor) {
    const double floored = flooredSquares(referenceSquares, count, rmsFloor);
    if (!(referenceSquares < floored) || !std::isfinite(relL2)) return relL2;   // also NaN stays NaN
    // compareOutputs gave ‖d‖/‖b‖, or ‖d‖ itself when ‖b‖ = 0.
    const double diffNorm = referenceSquares > 0 ? relL2 * std::sqrt(referenceSquares) : relL2;
    return diffNorm / std::sqrt(floored);
}

namespace {

struct Candidate {
    std::string name;
    DType dtype;
    std::unique_ptr<Backend> backend;
    std::string loadFailure;
};

// Σ ref² over the real positions, and how many values that is.
double realSquares(const TaskOutput& out, const Batch& batch, size_t& count) {
    double sum = 0;
    count = 0;
    auto add = [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) sum += double(out.values[i]) * double(out.values[i]);
        count += end - begin;
    };
    if (out.perPosition && out.shape.size() == 3) {
        const size_t width = size_t(out.shape[2]);
        for (int b = 0; b < batch.batchSize; ++b) {
            const size_t begin = size_t(b) * size_t(batch.maxSeqLen) * width;
            add(begin, begin + size_t(batch.lengths[size_t(b)]) * width);
        }
    } else {
        add(0, out.values.size());
    }
    return sum;
}

bool supports(const BackendInfo& info, DType dtype) {
    for (DType d : info.dtypes)
        if (d == dtype) return true;
    return false;
}

} // namespace

std::vector<VerifyRow> verifyBackends(const BertWeights& weights, const BackendRegistry& registry,
                                      const VerifyOptions& options, const VerifyLog& log) {
    auto say = [&](const std::string& line) {
        if (log) log(line);
    };
    const BackendInfo* refInfo = registry.find(options.reference);
    if (!refInfo) throw InputError("reference backend " + options.reference + " is not available");
    std::unique_ptr<Backend> reference = refInfo->create();
    reference->loadModel(weights, DType::Float32);

    std::vector<Candidate> candidates;
    for (const std::string& name : options.backends) {
        const BackendInfo* info = registry.find(name);
        if (!info) throw InputError("unknown backend " + name);
        for (DType dtype : options.dtypes) {
            if (!supports(*info, dtype)) continue;
            Candidate c{name, dtype, info->create(), {}};
            try {
                c.backend->setUseCudaGraphs(options.cudaGraphs);
                c.backend->loadModel(weights, dtype);
            } catch (const std::exception& e) {
                c.loadFailure = e.what();
            }
            candidates.push_back(std::move(c));
        }
    }

    std::vector<VerifyRow> rows;
    for (size_t i = 0; i < options.cases.size(); ++i) {
        const VerifyCase& vc = options.cases[i];
        BatchSpec spec;
        spec.batchSize = vc.batchSize;
        spec.maxSeqLen = vc.seqLen;
        spec.padFraction = vc.pad;
        spec.seqlenStdev = options.seqlenStdev;
        spec.vocabSize = weights.config.vocabSize;
        spec.padTokenId = weights.config.padTokenId;
        spec.seed = options.seed * 1000003ull + i + 1;
        const Batch batch = makeBatch(spec);
        for (Task task : options.tasks) {
            say("  " + vc.label() + " " + toString(task) + ": reference " + options.reference);
            reference->prepare(task, batch);
            reference->forward();
            const TaskOutput expected = reference->output();
            reference->releaseCell();
            size_t count = 0;
            const double squares = realSquares(expected, batch, count);
            const double referenceSquares = flooredSquares(squares, count);
            for (Candidate& c : candidates) {
                VerifyRow row;
                row.verifyCase = vc;
                row.task = task;
                row.backend = c.name;
                row.dtype = c.dtype;
                row.referenceSquares = referenceSquares;
                const auto tol = options.tolerance.find(c.dtype);
                row.tolerance = tol != options.tolerance.end() ? tol->second : defaultTolerance(c.dtype);
                if (!c.loadFailure.empty()) {
                    row.failure = c.loadFailure;
                } else {
                    try {
                        c.backend->prepare(task, batch);
                        c.backend->forward();
                        if (options.cudaGraphs) c.backend->forward();   // a replay of the captured graph
                        const TaskOutput got = c.backend->output();
                        c.backend->releaseCell();
                        row.error = compareOutputs(got, expected, batch);
                        const TaskAgreement agreement = taskAgreement(task, got, expected, batch);
                        row.decisions = agreement.decisions;
                        row.agreed = agreement.agreed;
                        row.error.relL2 = flooredRelL2(row.error.relL2, squares, count);
                        row.pass = row.error.relL2 <= row.tolerance;   // false for NaN
                    } catch (const std::exception& e) {
                        row.failure = e.what();
                        try {
                            c.backend->releaseCell();
                        } catch (...) {
                        }
                    }
                }
                rows.push_back(row);
            }
        }
    }
    return rows;
}

std::vector<VerifySummary> summarizeVerify(const std::vector<VerifyRow>& rows) {
    std::vector<VerifySummary> out;
    std::vector<std::pair<double, double>> sums;   // Σ diff², Σ ref²
    std::vector<std::pair<int64_t, int64_t>> decisions;   // task decisions compared, agreed
    for (const VerifyRow& r : rows) {
        size_t i = 0;
        while (i < out.size() && !(out[i].task == r.task && out[i].backend == r.backend && out[i].dtype == r.dtype)) ++i;
        if (i == out.size()) {
            VerifySummary s;
            s.task = r.task;
            s.backend = r.backend;
            s.dtype = r.dtype;
            s.tolerance = r.tolerance;
            s.pass = true;
            out.push_back(s);
            sums.emplace_back(0.0, 0.0);
            decisions.emplace_back(0, 0);
        }
        VerifySummary& s = out[i];
        ++s.cases;
        if (!r.failure.empty()) {
            s.pass = false;
            s.failure = r.failure;
            s.worstCase = r.verifyCase.label();
            s.worstCaseRelL2 = INFINITY;
            continue;
        }
        const double rel = std::isnan(r.error.relL2) ? INFINITY : r.error.relL2;
        const double abs = std::isnan(r.error.maxAbs) ? INFINITY : r.error.maxAbs;
        s.maxAbs = std::max(s.maxAbs, abs);
        if (s.worstCase.empty() || rel > s.worstCaseRelL2) {
            s.worstCaseRelL2 = rel;
            s.worstCase = r.verifyCase.label();
        }
        sums[i].first += rel * rel * r.referenceSquares;
        sums[i].second += r.referenceSquares;
        if (r.decisions > 0) {
            decisions[i].first += r.decisions;
            decisions[i].second += r.agreed;
        }
    }
    for (size_t i = 0; i < out.size(); ++i)
        if (decisions[i].first > 0) out[i].agreementPct = 100.0 * double(decisions[i].second) / double(decisions[i].first);
    for (size_t i = 0; i < out.size(); ++i) {
        VerifySummary& s = out[i];
        s.relL2 = sums[i].second > 0 ? std::sqrt(sums[i].first / sums[i].second) : std::sqrt(sums[i].first);
        if (!std::isfinite(s.relL2) || s.relL2 > s.tolerance || !std::isfinite(s.maxAbs)) s.pass = false;
    }
    return out;
}

} // namespace bertbench::cuda

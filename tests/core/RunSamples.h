#pragma once
// Test support for the run file suites: a run that exercises every field, and field-by-field
// comparisons that say what differs.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "core/ErrorOf.h"
#include "core/sweep/Run.h"
#include "core/util/Errors.h"

namespace bertbench::testing {

template <typename F>
std::string formatErrorOf(F f) {
    return testing::errorOf<FileFormatError>(f);
}

inline bool sameDouble(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
}

inline std::string show(double x) {
    std::ostringstream s;
    s.precision(17);
    s << x;
    return s.str();
}

// Collects differences as "field: a != b" lines.
class Diff {
public:
    void num(const std::string& f, double a, double b) {
        if (!sameDouble(a, b)) add(f, show(a), show(b));
    }
    template <typename T>
    void eq(const std::string& f, const T& a, const T& b) {
        if (!(a == b)) {
            std::ostringstream sa, sb;
            sa << a;
            sb << b;
            add(f, sa.str(), sb.str());
        }
    }
    void add(const std::string& f, const std::string& a, const std::string& b) {
        out_ += f + ": " + a + " != " + b + "\n";
    }
    const std::string& text() const { return out_; }
    bool empty() const { return out_.empty(); }

private:
    std::string out_;
};

inline void diffMeasurement(Diff& d, const std::string& p, const Measurement& a, const Measurement& b,
                            bool stats = true) {
    d.eq(p + ".backend", a.backend, b.backend);
    d.eq(p + ".hasStats", a.hasStats, b.hasStats);
    d.eq(p + ".samples", a.latency.samples, b.latency.samples);
    d.num(p + ".median", a.latency.medianMs, b.latency.medianMs);
    if (stats) {
        d.num(p + ".mean", a.latency.meanMs, b.latency.meanMs);
        d.num(p + ".p10", a.latency.p10Ms, b.latency.p10Ms);
        d.num(p + ".p90", a.latency.p90Ms, b.latency.p90Ms);
        d.num(p + ".stdev", a.latency.stdevMs, b.latency.stdevMs);
    }
    d.num(p + ".peak", a.peakMemMb, b.peakMemMb);
    d.num(p + ".compile", a.compileMs, b.compileMs);
    d.num(p + ".medianLo", a.latency.medianLoMs, b.latency.medianLoMs);
    d.num(p + ".medianHi", a.latency.medianHiMs, b.latency.medianHiMs);
    d.num(p + ".noise", a.latency.noisePct, b.latency.noisePct);
    d.eq(p + ".stop", toString(a.stop), toString(b.stop));
    d.eq(p + ".samplesMs.size", a.samplesMs.size(), b.samplesMs.size());
    for (size_t i = 0; i < std::min(a.samplesMs.size(), b.samplesMs.size()); ++i)
        d.num(p + ".samplesMs[" + std::to_string(i) + "]", a.samplesMs[i], b.samplesMs[i]);
}

inline void diffRow(Diff& d, const std::string& p, const ResultRow& a, const ResultRow& b) {
    d.eq(p + ".model", a.cell.model, b.cell.model);
    d.eq(p + ".task", int(a.cell.task), int(b.cell.task));
    d.eq(p + ".batch", a.cell.batchSize, b.cell.batchSize);
    d.eq(p + ".seq", a.cell.seqLen, b.cell.seqLen);
    d.num(p + ".pad", a.cell.pad, b.cell.pad);
    diffMeasurement(d, p + ".baseline", a.baseline, b.baseline);
    diffMeasurement(d, p + ".candidate", a.candidate, b.candidate);
    d.eq(p + ".numBatches", a.numBatches, b.numBatches);
    d.eq(p + ".isCuda", a.isCuda, b.isCuda);
    d.eq(p + ".isHalf", a.isHalf, b.isHalf);
    d.eq(p + ".useMask", a.useMask, b.useMask);
    d.eq(p + ".realTokens", a.realTokens, b.realTokens);
    d.num(p + ".maxAbsError", a.maxAbsError, b.maxAbsError);
    d.num(p + ".relError", a.relError, b.relError);
    d.eq(p + ".status", int(a.status), int(b.status));
    d.eq(p + ".message", a.message, b.message);
    d.eq(p + ".gpu.name", a.gpu.name, b.gpu.name);
    d.eq(p + ".gpu.uuid", a.gpu.uuid, b.gpu.uuid);
    d.eq(p + ".gpu.index", a.gpu.index, b.gpu.index);
    d.num(p + ".speedupCi.lo", a.speedupCiPct.lo, b.speedupCiPct.lo);
    d.num(p + ".speedupCi.hi", a.speedupCiPct.hi, b.speedupCiPct.hi);
    d.eq(p + ".verdict", toString(a.verdict), toString(b.verdict));
    d.eq(p + ".timing", a.timing, b.timing);
}

inline void diffRows(Diff& d, const std::vector<ResultRow>& a, const std::vector<ResultRow>& b) {
    d.eq("rows.size", a.size(), b.size());
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) diffRow(d, "rows[" + std::to_string(i) + "]", a[i], b[i]);
}

inline void diffSpec(Diff& d, const SweepSpec& a, const SweepSpec& b) {
    d.eq("spec.models.size", a.models.size(), b.models.size());
    for (size_t i = 0; i < std::min(a.models.size(), b.models.size()); ++i)
        d.eq("spec.models[" + std::to_string(i) + "]", a.models[i], b.models[i]);
    d.eq("spec.tasks.size", a.tasks.size(), b.tasks.size());
    for (size_t i = 0; i < std::min(a.tasks.size(), b.tasks.size()); ++i)
        d.eq("spec.tasks[" + std::to_string(i) + "]", int(a.tasks[i]), int(b.tasks[i]));
    d.eq("spec.baseline", a.baseline, b.baseline);
    d.eq("spec.candidates.size", a.candidates.size(), b.candidates.size());
    for (size_t i = 0; i < std::min(a.candidates.size(), b.candidates.size()); ++i)
        d.eq("spec.candidates[" + std::to_string(i) + "]", a.candidates[i], b.candidates[i]);
    d.eq("spec.dtype", int(a.dtype), int(b.dtype));
    d.eq("spec.baselineDType", a.baselineDType ? int(*a.baselineDType) : -1, b.baselineDType ? int(*b.baselineDType) : -1);
    d.eq("spec.batchSizes.size", a.batchSizes.size(), b.batchSizes.size());
    for (size_t i = 0; i < std::min(a.batchSizes.size(), b.batchSizes.size()); ++i)
        d.eq("spec.batchSizes[" + std::to_string(i) + "]", a.batchSizes[i], b.batchSizes[i]);
    d.eq("spec.seqLens.size", a.seqLens.size(), b.seqLens.size());
    for (size_t i = 0; i < std::min(a.seqLens.size(), b.seqLens.size()); ++i)
        d.eq("spec.seqLens[" + std::to_string(i) + "]", a.seqLens[i], b.seqLens[i]);
    d.eq("spec.pads.size", a.pads.size(), b.pads.size());
    for (size_t i = 0; i < std::min(a.pads.size(), b.pads.size()); ++i)
        d.num("spec.pads[" + std::to_string(i) + "]", a.pads[i], b.pads[i]);
    d.num("spec.seqlenStdev", a.seqlenStdev, b.seqlenStdev);
    d.eq("spec.warmup", a.warmup, b.warmup);
    d.eq("spec.numBatches", a.numBatches, b.numBatches);
    d.eq("spec.seed", a.seed, b.seed);
    d.eq("spec.cudaGraphs", a.cudaGraphs, b.cudaGraphs);
    d.eq("spec.memoryLimitMb", a.memoryLimitMb, b.memoryLimitMb);
    d.num("spec.cellTimeoutS", a.cellTimeoutS, b.cellTimeoutS);
    d.eq("spec.profile", a.profile, b.profile);
    d.num("spec.maxNoisePct", a.maxNoisePct, b.maxNoisePct);
    d.num("spec.minTimeS", a.minTimeS, b.minTimeS);
    d.num("spec.maxTimeS", a.maxTimeS, b.maxTimeS);
    d.eq("spec.interleave", a.interleave, b.interleave);
}

inline void diffEnvironment(Diff& d, const Environment& a, const Environment& b) {
    d.eq("env.host", a.host, b.host);
    d.eq("env.cpu", a.cpu, b.cpu);
    d.eq("env.blas", a.blas, b.blas);
    d.eq("env.gpu", a.gpu, b.gpu);
    d.eq("env.driver", a.driver, b.driver);
    d.eq("env.cudaRuntime", a.cudaRuntime, b.cudaRuntime);
    d.eq("env.bertbenchVersion", a.bertbenchVersion, b.bertbenchVersion);
    d.eq("env.startTime", a.startTime, b.startTime);
    d.eq("env.endTime", a.endTime, b.endTime);
    d.eq("env.cudaGraphs", a.cudaGraphs, b.cudaGraphs);
    d.eq("env.source", a.source, b.source);
    d.num("env.gemmPeakTflops", a.gemmPeakTflops, b.gemmPeakTflops);
    d.eq("env.gemmProbeNote", a.gemmProbeNote, b.gemmProbeNote);
    d.eq("env.shardIndex", a.shardIndex, b.shardIndex);
    d.eq("env.shardCount", a.shardCount, b.shardCount);
    d.eq("env.workers", a.workers, b.workers);
    d.eq("env.kernelOptions.size", a.kernelOptions.size(), b.kernelOptions.size());
    for (const auto& [backend, options] : a.kernelOptions) {
        const auto other = b.kernelOptions.find(backend);
        d.eq("env.kernelOptions[" + backend + "]", kernelOptionsLine(options),
             other == b.kernelOptions.end() ? std::string("(missing)") : kernelOptionsLine(other->second));
    }
}

inline std::string diffRuns(const Run& a, const Run& b) {
    Diff d;
    diffSpec(d, a.spec, b.spec);
    diffEnvironment(d, a.environment, b.environment);
    diffRows(d, a.rows, b.rows);
    return d.text();
}

// A run over 2 tasks × 2 batch sizes × 2 seq lens × 3 pads × 2 candidates, with awkward
// doubles, every status, and messages with commas, quotes and line breaks.
inline Run sampleRun() {
    Run run;
    SweepSpec& s = run.spec;
    s.models = {"tiny"};
    s.tasks = {Task::Encoder, Task::Classification};
    s.baseline = "cpu:eager";
    s.candidates = {"cpu:sdpa", "cpu:flash_attention_2"};
    s.dtype = DType::Float32;
    s.batchSizes = {1, 4};
    s.seqLens = {128, 256};
    s.pads = {0.0, 0.1, 0.75};
    s.seqlenStdev = 7.25;
    s.warmup = 3;
    s.numBatches = 5;
    s.seed = 18446744073709551557ull;   // past int64
    s.cudaGraphs = true;
    s.memoryLimitMb = 12345;
    s.cellTimeoutS = 2.5;
    s.maxNoisePct = 1.5;
    s.minTimeS = 0.25;
    s.maxTimeS = 7.75;
    s.interleave = false;

    Environment& e = run.environment;
    e.host = "bench-host \"01\"";
    e.cpu = "AMD EPYC 7B13, 2 cores";
    e.blas = "OpenBLAS 0.3.21";
    e.gpu = "";
    e.driver = "";
    e.cudaRuntime = "";
    e.bertbenchVersion = "0.1.0";
    e.startTime = "2024-05-01T12:00:00Z";
    e.endTime = "2024-05-01T12:03:07Z";
    e.cudaGraphs = false;
    e.source = "bertbench";
    e.shardIndex = 1;
    e.shardCount = 3;
    e.workers = "0,1";
    // Order kept as given (not sorted), and values with quotes, commas, semicolons and non-ASCII.
    e.kernelOptions["cpu:eager"] = {{"threads", "2"},
                                    {"blas", "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64, core Haswell"},
                                    {"attention", "eager: B×heads×S×S scores; \"additive\" mask"}};
    e.kernelOptions["cpu:sdpa"] = {{"threads", "2"}, {"attention", "sdpa: padded rows"}};

    int k = 0;
    for (Task task : s.tasks)
        for (int b : s.batchSizes)
            for (int len : s.seqLens)
                for (double pad : s.pads)
                    for (const std::string& cand : s.candidates) {
                        ResultRow r;
                        r.cell = Cell{task, b, len, pad, s.models.front()};
                        r.numBatches = s.numBatches;
                        r.isCuda = false;
                        r.isHalf = false;
                        r.useMask = (k % 3) != 0;
                        r.realTokens = int64_t(b) * len - k;
                        r.baseline.backend = s.baseline;
                        r.baseline.latency = {5, 1.0 / 3.0 + k, 0.1 + 0.2 + k, 1e-300, 12345.678901234567, 0.5 * k};
                        r.baseline.peakMemMb = 464.124 + k;
                        r.candidate.backend = cand;
                        r.candidate.latency = {5, 2.0 / 7.0 + k, 1.1 * k, 5e-324, 1e300, -0.0};
                        r.candidate.peakMemMb = 100.0 / 3.0;
                        r.maxAbsError = k % 2 ? 1.2345678e-7 : -1;
                        r.relError = k % 2 ? 3.0e-8 : -1;
                        r.status = RowStatus::Ok;
                        ++k;
                        run.rows.push_back(r);
                    }
    run.rows[3].status = RowStatus::Error;
    run.rows[3].message = "kernel failed, code \"7\"\nsecond line\r\nthird, with comma";
    run.rows[4].status = RowStatus::Oom;
    run.rows[4].message = "out of memory: wanted 1,024 MB";
    run.rows[5].status = RowStatus::Cancelled;
    run.rows[5].message = "\"";
    run.rows[6].message = " leading and trailing spaces ";
    run.rows[7].relError = std::numeric_limits<double>::quiet_NaN();
    run.rows[7].maxAbsError = std::numeric_limits<double>::infinity();
    run.rows[8].candidate.hasStats = false;
    run.rows[9].candidate.compileMs = 12345.25;   // a compiled candidate (torch:sdpa+compile)
    run.rows[9].baseline.compileMs = 0;
    // Uncertainty: intervals, noise, stop reasons, verdicts and timing order on some rows (the
    // others not recorded, as rows of older files); per-forward samples only in run.json.
    const Verdict verdicts[] = {Verdict::Faster, Verdict::Same, Verdict::Slower};
    const StopReason stops[] = {StopReason::Count, StopReason::Noise, StopReason::MaxTime, StopReason::SampleCap};
    for (size_t i = 0; i < run.rows.size(); i += 3) {
        ResultRow& r = run.rows[i];
        r.baseline.latency.medianLoMs = r.baseline.latency.medianMs - 0.125;
        r.baseline.latency.medianHiMs = r.baseline.latency.medianMs + 1.0 / 3.0;
        r.baseline.latency.noisePct = 0.1 + 0.2;
        r.candidate.latency.medianLoMs = 1e-9;
        r.candidate.latency.medianHiMs = 2.5;
        r.candidate.latency.noisePct = 12.5;
        r.baseline.stop = stops[i % 4];
        r.candidate.stop = stops[(i + 1) % 4];
        r.speedupCiPct = {-1.0 / 3.0, 42.125};
        r.verdict = verdicts[i % 3];
        r.timing = i % 2 ? "sequential" : "interleaved";
    }
    // Rows of a multi-GPU run know their GPU (a name with a comma and quotes, for the CSV).
    for (size_t i = 9; i < run.rows.size(); i += 2)
        run.rows[i].gpu = {"NVIDIA H200, \"SXM\"", "GPU-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f" + std::to_string(i % 10),
                           int(i % 3)};
    return run;
}

// "'fragment' not in: message", for failed message checks.
inline std::string notIn(const std::string& fragment, const std::string& message) {
    std::string s = "'";
    s.append(fragment).append("' not in: ").append(message);
    return s;
}

// Names of the files in `dir` (to check that no temp files are left).
inline std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace bertbench::testing

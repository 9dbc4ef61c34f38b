// Native run file: {"format":"bertbench-run","version":2,"spec":{...},"environment":{...},"rows":[...]}.
// Version 2 adds per measurement "breakdown", "efficiency", "energy" (MeasurementProfileJson.cpp)
// and the environment's GEMM probe; version-1 files still load, those fields "not recorded".
// Lossless: doubles are written with the shortest text that reads back exactly (non-finite
// ones as "NaN"/"Infinity"/"-Infinity"), every field of Run has a key.
#include <cmath>
#include <limits>

#include "core/results/KernelOptionsJson.h"
#include "core/results/RunFiles.h"
#include "core/results/RunJsonValues.h"
#include "core/sweep/SpecJsonDetail.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

using jsonio::FieldError;
using jsonio::Json;

constexpr const char* kFormatName = "bertbench-run";
constexpr int kVersion = 2;

Json environmentToValue(const Environment& e) {
    Json j = Json::object();
    j["host"] = e.host;
    j["cpu"] = e.cpu;
    j["blas"] = e.blas;
    j["gpu"] = e.gpu;
    j["driver"] = e.driver;
    j["cuda_runtime"] = e.cudaRuntime;
    j["bertbench_version"] = e.bertbenchVersion;
    j["start_time"] = e.startTime;
    j["end_time"] = e.endTime;
    j["cuda_graphs"] = e.cudaGraphs;
    j["source"] = e.source;
    j["gemm_peak_tflops"] = jsonio::numberValue(e.gemmPeakTflops);
    j["gemm_probe_note"] = e.gemmProbeNote;
    // Optional keys: absent in whole-sweep, single-process runs (and in files from before them).
    if (e.shardCount > 0) j["shard"] = Json{{"index", e.shardIndex}, {"count", e.shardCount}};
    if (!e.workers.empty()) j["workers"] = e.workers;
    if (!e.kernelOptions.empty()) j["kernel_options"] = jsonio::kernelOptionsValue(e.kernelOptions);
    return j;
}

Json measurementToValue(const Measurement& m) {
    Json lat = Json::object();
    lat["samples"] = m.latency.samples;
    lat["median_ms"] = jsonio::numberValue(m.latency.medianMs);
    lat["mean_ms"] = jsonio::numberValue(m.latency.meanMs);
    lat["p10_ms"] = jsonio::numberValue(m.latency.p10Ms);
    lat["p90_ms"] = jsonio::numberValue(m.latency.p90Ms);
    lat["stdev_ms"] = jsonio::numberValue(m.latency.stdevMs);
    // Optional: the median's interval and noise (absent = too few samples, or an older file).
    if (std::isfinite(m.latency.medianLoMs) && std::isfinite(m.latency.medianHiMs)) {
        lat["median_lo_ms"] = m.latency.medianLoMs;
        lat["median_hi_ms"] = m.latency.medianHiMs;
    }
    if (std::isfinite(m.latency.noisePct)) lat["noise_pct"] = m.latency.noisePct;
    if (m.stop != StopReason::Unknown) lat["stop"] = toString(m.stop);
    // Every timed forward, in the order timed (absent = not recorded): what Compare's verdicts use.
    if (!m.samplesMs.empty()) {
        Json samples = Json::array();
        for (double x : m.samplesMs) samples.push_back(jsonio::numberValue(x));
        lat["samples_ms"] = std::move(samples);
    }
    Json j = Json::object();
    j["backend"] = m.backend;
    j["has_stats"] = m.hasStats;
    j["latency"] = std::move(lat);
    j["peak_mem_mb"] = jsonio::numberValue(m.peakMemMb);
    jsonio::writeMeasurementProfile(j, m);
    // Optional (torch:sdpa+compile only); absent = not compiled, read back as -1.
    if (m.compileMs >= 0) j["compile_ms"] = jsonio::numberValue(m.compileMs);
    return j;
}

Json rowToValue(const ResultRow& r) {
    Json j = Json::object();
    if (!r.cell.model.empty()) j["model"] = r.cell.model;
    j["task"] = toString(r.cell.task);
    j["batch_size"] = r.cell.batchSize;
    j["seq_len"] = r.cell.seqLen;
    j["pad"] = jsonio::numberValue(r.cell.pad);
    j["num_batches"] = r.numBatches;
    j["is_cuda"] = r.isCuda;
    j["is_half"] = r.isHalf;
    j["use_mask"] = r.useMask;
    j["real_tokens"] = r.realTokens;
    j["baseline"] = measurementToValue(r.baseline);
    j["candidate"] = measurementToValue(r.candidate);
    j["max_abs_error"] = jsonio::numberValue(r.maxAbsError);
    j["rel_error"] = jsonio::numberValue(r.relError);
    // Optional: task-level agreement with the baseline (TaskAgreement.h); absent = not measured.
    if (std::isfinite(r.taskAgreementPct)) j["task_agreement_pct"] = r.taskAgreementPct;
    j["status"] = toString(r.status);
    j["message"] = r.message;
    // Optional: only rows that know their GPU carry it (old readers ignore it, old files lack it).
    // Optional: percentages as an imported file wrote them (absent = they follow from the latencies).
    if (std::isfinite(r.recordedSpeedupPct)) j["recorded_speedup_pct"] = r.recordedSpeedupPct;
    if (std::isfinite(r.recordedMemSavedPct)) j["recorded_mem_saved_pct"] = r.recordedMemSavedPct;
    if (r.gpu != GpuIdentity{}) j["gpu"] = Json{{"name", r.gpu.name}, {"uuid", r.gpu.uuid}, {"index", r.gpu.index}};
    // Optional: the speedup's interval and verdict, how the cell was timed (absent = not recorded).
    if (r.speedupCiPct.valid()) j["speedup_ci_pct"] = Json::array({r.speedupCiPct.lo, r.speedupCiPct.hi});
    if (r.verdict != Verdict::Unknown) j["verdict"] = toString(r.verdict);
    if (!r.timing.empty()) j["timing"] = r.timing;
    jsonio::writeRowWorkload(j, r);   // a data workload's policy, realised pad, rows drawn and truncated
    return j;
}

// Field access on an object at `path`: optional keys keep the caller's default.
class ObjectReader {
public:
    ObjectReader(const Json& v, std::string path) : v_(jsonio::expectObject(v, path)), path_(std::move(path)) {}

    const Json* find(const char* key) const {
        const auto it = v_.find(key);
        return it == v_.end() ? nullptr : &*it;
    }
    std::string pathOf(const char* key) const { return jsonio::childPath(path_, key); }
    const Json& required(const char* key) const {
        const Json* p = find(key);
        if (!p) throw FieldError{pathOf(key), "required field is missing"};
        return *p;
    }

    void optString(const char* key, std::string& out) const {
        if (const Json* p = find(key)) out = jsonio::readString(*p, pathOf(key));
    }
    void optBool(const char* key, bool& out) const {
        if (const Json* p = find(key)) out = jsonio::readBool(*p, pathOf(key));
    }
    void optNumber(const char* key, double& out) const {
        if (const Json* p = find(key)) out = jsonio::readNumber(*p, pathOf(key));
    }
    void optInt(const char* key, int& out) const {
        if (const Json* p = find(key))
            out = static_cast<int>(jsonio::readInt(*p, pathOf(key), std::numeric_limits<int>::min(),
                                                   std::numeric_limits<int>::max()));
    }
    void optInt64(const char* key, int64_t& out) const {
        if (const Json* p = find(key))
            out = jsonio::readInt(*p, pathOf(key), std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max());
    }
    int reqInt(const char* key) const {
        return static_cast<int>(jsonio::readInt(required(key), pathOf(key),
                                                std::numeric_limits<int>::min(),
                                                std::numeric_limits<int>::max()));
    }
    double reqNumber(const char* key) const { return jsonio::readNumber(required(key), pathOf(key)); }
    std::string reqString(const char* key) const { return jsonio::readString(required(key), pathOf(key)); }

private:
    const Json& v_;
    std::string path_;
};

Environment environmentFromValue(const Json& v, const std::string& path) {
    const ObjectReader o(v, path);
    Environment e;
    o.optString("host", e.host);
    o.optString("cpu", e.cpu);
    o.optString("blas", e.blas);
    o.optString("gpu", e.gpu);
    o.optString("driver", e.driver);
    o.optString("cuda_runtime", e.cudaRuntime);
    o.optString("bertbench_version", e.bertbenchVersion);
    o.optString("start_time", e.startTime);
    o.optString("end_time", e.endTime);
    o.optBool("cuda_graphs", e.cudaGraphs);
    o.optString("source", e.source);
    o.optNumber("gemm_peak_tflops", e.gemmPeakTflops);
    o.optString("gemm_probe_note", e.gemmProbeNote);
    if (const Json* shard = o.find("shard")) {
        const ObjectReader s(*shard, o.pathOf("shard"));
        e.shardIndex = s.reqInt("index");
        e.shardCount = s.reqInt("count");
        if (e.shardCount < 1 || e.shardIndex < 0 || e.shardIndex >= e.shardCount)
            throw FieldError{o.pathOf("shard"), "expected 0 <= index < count, got " + std::to_string(e.shardIndex) +
                                                    "/" + std::to_string(e.shardCount)};
    }
    o.optString("workers", e.workers);
    if (const Json* options = o.find("kernel_options"))
        e.kernelOptions = jsonio::kernelOptionsFromValue(*options, o.pathOf("kernel_options"));
    return e;
}

Measurement measurementFromValue(const Json& v, const std::string& path) {
    const ObjectReader o(v, path);
    Measurement m;
    m.backend = o.reqString("backend");
    o.optBool("has_stats", m.hasStats);
    if (const Json* lat = o.find("latency")) {
        const ObjectReader l(*lat, o.pathOf("latency"));
        l.optInt("samples", m.latency.samples);
        l.optNumber("median_ms", m.latency.medianMs);
        l.optNumber("mean_ms", m.latency.meanMs);
        l.optNumber("p10_ms", m.latency.p10Ms);
        l.optNumber("p90_ms", m.latency.p90Ms);
        l.optNumber("stdev_ms", m.latency.stdevMs);
        l.optNumber("median_lo_ms", m.latency.medianLoMs);
        l.optNumber("median_hi_ms", m.latency.medianHiMs);
        l.optNumber("noise_pct", m.latency.noisePct);
        if (const Json* stop = l.find("stop")) {
            const auto reason = parseStopReason(jsonio::readString(*stop, l.pathOf("stop")));
            if (!reason)
                throw FieldError{l.pathOf("stop"), "unknown stop reason " + jsonio::describe(*stop) +
                                                       " (allowed: count, noise, max_time, sample_cap)"};
            m.stop = *reason;
        }
        if (const Json* samples = l.find("samples_ms")) {
            const std::string at = l.pathOf("samples_ms");
            jsonio::expectArray(*samples, at);
            m.samplesMs.reserve(samples->size());
            for (size_t i = 0; i < samples->size(); ++i)
                m.samplesMs.push_back(jsonio::readNumber((*samples)[i], jsonio::indexPath(at, i)));
        }
    }
    o.optNumber("peak_mem_mb", m.peakMemMb);
    jsonio::readMeasurementProfile(v, path, m);
    o.optNumber("compile_ms", m.compileMs);
    return m;
}

ResultRow rowFromValue(const Json& v, const std::string& path) {
    const ObjectReader o(v, path);
    ResultRow r;
    {
        const std::string s = o.reqString("task");
        const auto t = parseTask(s);
        if (!t) {
            std::string allowed;
            for (Task k : allTasks()) allowed += (allowed.empty() ? "" : ", ") + toString(k);
            throw FieldError{o.pathOf("task"),
                             "unknown task " + jsonio::describe(o.required("task")) + " (allowed: " + allowed + ")"};
        }
        r.cell.task = *t;
    }
    o.optString("model", r.cell.model);
    r.cell.batchSize = o.reqInt("batch_size");
    r.cell.seqLen = o.reqInt("seq_len");
    r.cell.pad = o.reqNumber("pad");
    r.baseline = measurementFromValue(o.required("baseline"), o.pathOf("baseline"));
    r.candidate = measurementFromValue(o.required("candidate"), o.pathOf("candidate"));
    o.optInt("num_batches", r.numBatches);
    o.optBool("is_cuda", r.isCuda);
    o.optBool("is_half", r.isHalf);
    o.optBool("use_mask", r.useMask);
    o.optInt64("real_tokens", r.realTokens);
    o.optNumber("max_abs_error", r.maxAbsError);
    o.optNumber("rel_error", r.relError);
    o.optNumber("task_agreement_pct", r.taskAgreementPct);
    {
        const std::string s = o.reqString("status");
        const auto st = parseRowStatus(s);
        if (!st)
            throw FieldError{o.pathOf("status"), "unknown status " + jsonio::describe(o.required("status")) +
                                                     " (allowed: ok, oom, error, cancelled)"};
        r.status = *st;
    }
    o.optString("message", r.message);
    o.optNumber("recorded_speedup_pct", r.recordedSpeedupPct);
    o.optNumber("recorded_mem_saved_pct", r.recordedMemSavedPct);
    if (const Json* gpu = o.find("gpu")) {
        const ObjectReader g(*gpu, o.pathOf("gpu"));
        g.optString("name", r.gpu.name);
        g.optString("uuid", r.gpu.uuid);
        g.optInt("index", r.gpu.index);
    }
    if (const Json* ci = o.find("speedup_ci_pct")) {
        const std::string at = o.pathOf("speedup_ci_pct");
        if (!ci->is_array() || ci->size() != 2)
            throw FieldError{at, "expected [low, high], got " + jsonio::describe(*ci)};
        r.speedupCiPct = {jsonio::readNumber((*ci)[0], jsonio::indexPath(at, 0)),
                          jsonio::readNumber((*ci)[1], jsonio::indexPath(at, 1))};
    }
    if (const Json* verdict = o.find("verdict")) {
        const auto read = parseVerdict(jsonio::readString(*verdict, o.pathOf("verdict")));
        if (!read)
            throw FieldError{o.pathOf("verdict"),
                             "unknown verdict " + jsonio::describe(*verdict) + " (allowed: same, faster, slower)"};
        r.verdict = *read;
    }
    o.optString("timing", r.timing);
    jsonio::readRowWorkload(v, path, r);
    return r;
}

std::string prefixOf(const std::string& sourceName) {
    return sourceName.empty() ? std::string() : sourceName + ": ";
}

} // namespace

// Laid out by hand: spec and environment indented, one row per line (readable, diff-friendly).
// Strings that are not valid UTF-8 get U+FFFD for the bad bytes rather than failing the save.
std::string runToJson(const Run& run) {
    auto dump = [](const Json& v, int indent) { return v.dump(indent, ' ', false, Json::error_handler_t::replace); };
    auto nested = [&](const Json& v) {
        std::string s = dump(v, 2), out;
        for (char c : s) {
            out += c;
            if (c == '\n') out += "  ";
        }
        return out;
    };
    std::string out = "{\n";
    out += "  \"format\": " + dump(Json(kFormatName), -1) + ",\n";
    out += "  \"version\": " + std::to_string(kVersion) + ",\n";
    out += "  \"spec\": " + nested(jsonio::specToValue(run.spec)) + ",\n";
    out += "  \"environment\": " + nested(environmentToValue(run.environment)) + ",\n";
    if (run.workload.recorded()) out += "  \"workload\": " + dump(jsonio::workloadRecordValue(run.workload), -1) + ",\n";
    out += "  \"rows\": [";
    for (size_t i = 0; i < run.rows.size(); ++i) {
        out += i ? ",\n    " : "\n    ";
        out += dump(rowToValue(run.rows[i]), -1);
    }
    out += run.rows.empty() ? "]\n" : "\n  ]\n";
    out += "}\n";
    return out;
}

Run runFromJson(const std::string& text, const std::string& sourceName) {
    const std::string prefix = prefixOf(sourceName);
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception& e) {  // parse_error, and out_of_range for numbers that overflow
        std::string what = e.what();
        if (const auto close = what.find("] "); !what.empty() && what.front() == '[' && close != std::string::npos)
            what.erase(0, close + 2);
        throw FileFormatError(prefix + "not valid JSON: " + what);
    }
    if (!j.is_object())
        throw FileFormatError(prefix + "expected a JSON object (a BertBench run), got " + jsonio::describe(j));
    Run run;
    try {
        const ObjectReader top(j, "");
        const std::string format = top.reqString("format");
        if (format != kFormatName)
            throw FieldError{"format", "expected \"" + std::string(kFormatName) + "\", got " +
                                           jsonio::describe(top.required("format"))};
        const int version = top.reqInt("version");
        if (version < 1 || version > kVersion)
            throw FieldError{"version", "unsupported version " + std::to_string(version) +
                                            " (this build reads version " + std::to_string(kVersion) + ")"};
        if (const Json* spec = top.find("spec")) {
            std::vector<SpecProblem> problems;
            run.spec = jsonio::specFromValue(*spec, "spec", true, problems);
            if (!problems.empty()) throw FieldError{problems.front().field, problems.front().message};
        }
        if (const Json* env = top.find("environment")) run.environment = environmentFromValue(*env, "environment");
        if (const Json* workload = top.find("workload")) run.workload = jsonio::workloadRecordFromValue(*workload, "workload");
        const Json& rows = jsonio::expectArray(top.required("rows"), "rows");
        run.rows.reserve(rows.size());
        for (size_t i = 0; i < rows.size(); ++i) run.rows.push_back(rowFromValue(rows[i], jsonio::indexPath("rows", i)));
        assignMissingModels(run);
    } catch (const FieldError& e) {
        throw FileFormatError(prefix + e.field + ": " + e.message);
    }
    return run;
}

void writeRunJson(const Run& run, const std::string& path) {
    writeFileAtomic(path, runToJson(run));
}

namespace jsonio {

Json resultRowValue(const ResultRow& row) { return rowToValue(row); }
ResultRow resultRowFromValue(const Json& v, const std::string& path) { return rowFromValue(v, path); }
Json environmentValue(const Environment& env) { return environmentToValue(env); }
Environment environmentFromJsonValue(const Json& v, const std::string& path) { return environmentFromValue(v, path); }

} // namespace jsonio

} // namespace bertbench

#include "core/sweep/OfflineJson.h"

#include <cmath>
#include <cstdint>
#include <optional>

#include "core/results/RunFiles.h"
#include "core/sweep/SpecJsonDetail.h"
#include "core/util/Errors.h"

namespace bertbench {

using jsonio::Json;

std::string offlineToJson(const OfflineResult& r) {
    Json j;
    j["format"] = "bertbench-offline";
    j["version"] = 1;
    Json s;
    s["model"] = r.spec.model;
    s["task"] = toString(r.spec.task);
    s["dtype"] = toString(r.spec.dtype);
    s["max_length"] = r.spec.maxLength;
    s["samples"] = r.spec.samples;
    s["batch_sizes"] = r.spec.batchSizes;
    s["warmup_passes"] = r.spec.warmupPasses;
    s["passes"] = r.spec.passes;
    s["patience"] = r.spec.patience;
    s["agreement_samples"] = r.spec.agreementSamples;
    s["agreement_batch"] = r.spec.agreementBatch;
    s["seed"] = r.spec.seed;
    s["cuda_graphs"] = r.spec.cudaGraphs;
    s["backends"] = r.spec.backends;
    s["agreement_reference"] = r.spec.reference.empty() ? (r.spec.backends.empty() ? "" : r.spec.backends.front())
                                                        : r.spec.reference + " " + toString(r.spec.referenceDType);
    s["lengths_file"] = r.spec.lengthsFile;
    if (!r.spec.lengthsSha256.empty()) s["lengths_sha256"] = r.spec.lengthsSha256;
    j["spec"] = s;
    j["device"] = r.device;
    j["start_time"] = r.startTime;
    j["end_time"] = r.endTime;
    j["samples"] = r.samples;
    j["truncated"] = r.truncated;
    j["real_tokens"] = r.realTokens;
    j["mean_length"] = r.meanLength;
    Json backends = Json::array();
    for (const OfflineBackendResult& b : r.backends) {
        Json bj;
        bj["backend"] = b.backend;
        bj["dtype_ran"] = b.dtypeRan;
        bj["status"] = toString(b.status);
        if (!b.message.empty()) bj["message"] = b.message;
        Json trials = Json::array();
        for (const OfflineTrial& t : b.trials) {
            Json tj;
            tj["batch_size"] = t.batchSize;
            tj["batches"] = t.batches;
            tj["status"] = toString(t.status);
            if (!t.message.empty()) tj["message"] = t.message;
            tj["pad_fraction"] = t.padFraction;
            if (t.status == RowStatus::Ok) {
                tj["pass_median_ms"] = t.passMs.medianMs;
                tj["pass_p10_ms"] = t.passMs.p10Ms;
                tj["pass_p90_ms"] = t.passMs.p90Ms;
                tj["samples_per_s"] = t.samplesPerS;
                tj["real_tokens_per_s"] = t.realTokensPerS;
                tj["peak_mem_mb"] = t.peakMemMb;
            }
            trials.push_back(tj);
        }
        bj["trials"] = trials;
        if (b.best >= 0) {
            const OfflineTrial& t = b.trials[size_t(b.best)];
            bj["best_batch_size"] = t.batchSize;
            bj["samples_per_s"] = t.samplesPerS;
            bj["real_tokens_per_s"] = t.realTokensPerS;
        }
        if (std::isfinite(b.agreementPct)) {
            bj["task_agreement_pct"] = b.agreementPct;
            bj["task_agreement_decisions"] = b.agreementDecisions;
        }
        backends.push_back(bj);
    }
    j["backends"] = backends;
    return j.dump(2) + "\n";
}

namespace {

using jsonio::childPath;
using jsonio::FieldError;
using jsonio::indexPath;

const Json& field(const Json& object, const std::string& path, const std::string& key) {
    if (!object.contains(key)) throw FieldError{childPath(path, key), "missing"};
    return object.at(key);
}

template <typename T>
T parsedName(const Json& v, const std::string& path, std::optional<T> (*parse)(const std::string&), const char* what) {
    const std::string text = jsonio::readString(v, path);
    const std::optional<T> value = parse(text);
    if (!value) throw FieldError{path, "unknown " + std::string(what) + " \"" + text + "\""};
    return *value;
}

int readCount(const Json& object, const std::string& path, const std::string& key, int64_t lo = 0) {
    return int(jsonio::readInt(field(object, path, key), childPath(path, key), lo, 1000000000));
}

double readOptionalNumber(const Json& object, const std::string& path, const std::string& key, double fallback) {
    return object.contains(key) ? jsonio::readNumber(object.at(key), childPath(path, key)) : fallback;
}

std::string readOptionalString(const Json& object, const std::string& path, const std::string& key) {
    return object.contains(key) ? jsonio::readString(object.at(key), childPath(path, key)) : std::string();
}

OfflineSpec specFrom(const Json& v, const std::string& path) {
    jsonio::expectObject(v, path);
    OfflineSpec s;
    s.model = jsonio::readString(field(v, path, "model"), childPath(path, "model"));
    s.task = parsedName<Task>(field(v, path, "task"), childPath(path, "task"), parseTask, "task");
    s.dtype = parsedName<DType>(field(v, path, "dtype"), childPath(path, "dtype"), parseDType, "dtype");
    s.maxLength = readCount(v, path, "max_length", 1);
    s.samples = readCount(v, path, "samples", 1);
    s.batchSizes.clear();
    const std::string sizes = childPath(path, "batch_sizes");
    const Json& list = jsonio::expectArray(field(v, path, "batch_sizes"), sizes);
    for (size_t i = 0; i < list.size(); ++i)
        s.batchSizes.push_back(int(jsonio::readInt(list[i], indexPath(sizes, i), 1, 1000000000)));
    s.warmupPasses = readCount(v, path, "warmup_passes");
    s.passes = readCount(v, path, "passes", 1);
    s.patience = readCount(v, path, "patience");
    s.agreementSamples = readCount(v, path, "agreement_samples");
    s.agreementBatch = readCount(v, path, "agreement_batch", 1);
    s.seed = jsonio::readUInt64(field(v, path, "seed"), childPath(path, "seed"));
    s.cudaGraphs = jsonio::readBool(field(v, path, "cuda_graphs"), childPath(path, "cuda_graphs"));
    const std::string backends = childPath(path, "backends");
    const Json& names = jsonio::expectArray(field(v, path, "backends"), backends);
    for (size_t i = 0; i < names.size(); ++i) s.backends.push_back(jsonio::readString(names[i], indexPath(backends, i)));
    // "cuda:eager fp32": a reference run for agreement only; a bare name: the first backend.
    const std::string reference = readOptionalString(v, path, "agreement_reference");
    const size_t space = reference.find(' ');
    if (space != std::string::npos) {
        s.reference = reference.substr(0, space);
        const std::optional<DType> d = parseDType(reference.substr(space + 1));
        if (!d) throw FieldError{childPath(path, "agreement_reference"), "unknown dtype in \"" + reference + "\""};
        s.referenceDType = *d;
    }
    s.lengthsFile = readOptionalString(v, path, "lengths_file");
    s.lengthsSha256 = readOptionalString(v, path, "lengths_sha256");
    return s;
}

OfflineTrial trialFrom(const Json& v, const std::string& path) {
    jsonio::expectObject(v, path);
    OfflineTrial t;
    t.batchSize = readCount(v, path, "batch_size", 1);
    t.batches = readCount(v, path, "batches");
    t.status = parsedName<RowStatus>(field(v, path, "status"), childPath(path, "status"), parseRowStatus, "status");
    t.message = readOptionalString(v, path, "message");
    t.padFraction = readOptionalNumber(v, path, "pad_fraction", 0);
    if (t.status == RowStatus::Ok) {
        t.passMs.medianMs = jsonio::readNumber(field(v, path, "pass_median_ms"), childPath(path, "pass_median_ms"));
        t.passMs.p10Ms = readOptionalNumber(v, path, "pass_p10_ms", t.passMs.medianMs);
        t.passMs.p90Ms = readOptionalNumber(v, path, "pass_p90_ms", t.passMs.medianMs);
        t.samplesPerS = jsonio::readNumber(field(v, path, "samples_per_s"), childPath(path, "samples_per_s"));
        t.realTokensPerS = readOptionalNumber(v, path, "real_tokens_per_s", 0);
        t.peakMemMb = readOptionalNumber(v, path, "peak_mem_mb", 0);
        if (!(t.samplesPerS >= 0) || !std::isfinite(t.samplesPerS))
            throw FieldError{childPath(path, "samples_per_s"), "expected a finite rate ≥ 0"};
    }
    return t;
}

OfflineBackendResult backendFrom(const Json& v, const std::string& path) {
    jsonio::expectObject(v, path);
    OfflineBackendResult b;
    b.backend = jsonio::readString(field(v, path, "backend"), childPath(path, "backend"));
    b.dtypeRan = readOptionalString(v, path, "dtype_ran");
    b.status = parsedName<RowStatus>(field(v, path, "status"), childPath(path, "status"), parseRowStatus, "status");
    b.message = readOptionalString(v, path, "message");
    const std::string trials = childPath(path, "trials");
    const Json& list = jsonio::expectArray(field(v, path, "trials"), trials);
    for (size_t i = 0; i < list.size(); ++i) b.trials.push_back(trialFrom(list[i], indexPath(trials, i)));
    if (v.contains("best_batch_size")) {
        const int best = readCount(v, path, "best_batch_size", 1);
        for (size_t i = 0; i < b.trials.size(); ++i)
            if (b.trials[i].batchSize == best && b.trials[i].status == RowStatus::Ok) b.best = int(i);
        if (b.best < 0)
            throw FieldError{childPath(path, "best_batch_size"), std::to_string(best) + " is no measured trial's batch size"};
    }
    if (v.contains("task_agreement_pct")) {
        b.agreementPct = jsonio::readNumber(v.at("task_agreement_pct"), childPath(path, "task_agreement_pct"));
        if (!(b.agreementPct >= 0 && b.agreementPct <= 100))
            throw FieldError{childPath(path, "task_agreement_pct"), "expected a percentage from 0 to 100"};
        b.agreementDecisions = readCount(v, path, "task_agreement_decisions");
    }
    return b;
}

// What `offline` writes declares itself so.
bool declaresOffline(const Json& j) { return j.is_object() && j.value("format", std::string()) == "bertbench-offline"; }

OfflineResult offlineFromValue(const Json& j, const std::string& path) {
    try {
        jsonio::expectObject(j, "");
        if (!j.contains("format") || !j["format"].is_string() || j["format"] != "bertbench-offline")
            throw FieldError{"format", "expected \"bertbench-offline\" (what `bertbench-cli offline` writes)"};
        const int64_t version = jsonio::readInt(field(j, "", "version"), "version", 1, 1000);
        if (version != 1) throw FieldError{"version", "version " + std::to_string(version) + " is newer than this BertBench reads (1)"};
        OfflineResult r;
        r.spec = specFrom(field(j, "", "spec"), "spec");
        r.device = readOptionalString(j, "", "device");
        r.startTime = readOptionalString(j, "", "start_time");
        r.endTime = readOptionalString(j, "", "end_time");
        r.samples = readCount(j, "", "samples");
        r.truncated = readCount(j, "", "truncated");
        r.realTokens = jsonio::readInt(field(j, "", "real_tokens"), "real_tokens", 0, INT64_MAX);
        r.meanLength = readOptionalNumber(j, "", "mean_length", 0);
        const Json& list = jsonio::expectArray(field(j, "", "backends"), "backends");
        for (size_t i = 0; i < list.size(); ++i) r.backends.push_back(backendFrom(list[i], indexPath("backends", i)));
        return r;
    } catch (const FieldError& e) {
        throw FileFormatError(path + ": " + e.field + ": " + e.message);
    } catch (const Json::exception& e) {
        throw FileFormatError(path + ": unexpected content (" + e.what() + ")");
    }
}

} // namespace

OfflineResult offlineFromJson(const std::string& text, const std::string& path) {
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception& e) {   // parse_error, and out_of_range for numbers that overflow
        throw FileFormatError(path + ": not valid JSON (" + e.what() + ")");
    }
    return offlineFromValue(j, path);
}

OfflineResult readOfflineFile(const std::string& path) { return offlineFromJson(readTextFile(path), path); }

std::optional<OfflineResult> readIfOfflineFile(const std::string& path) {
    if (path.size() < 5 || path.compare(path.size() - 5, 5, ".json") != 0) return std::nullopt;
    Json j;
    try {
        j = Json::parse(readTextFile(path));
    } catch (const std::exception&) {   // unreadable or not JSON: not ours to say; the run reader will
        return std::nullopt;
    }
    if (!declaresOffline(j)) return std::nullopt;
    return offlineFromValue(j, path);
}

} // namespace bertbench

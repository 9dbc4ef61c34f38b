// Sweep specs as JSON, and the typed JSON readers shared with the run file reader.
#include "core/sweep/SpecJson.h"

#include <cmath>
#include <limits>

#include "core/results/RunFiles.h"
#include "core/sweep/SpecJsonDetail.h"
#include "core/util/Errors.h"

namespace bertbench {
namespace jsonio {

std::string childPath(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string indexPath(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

std::string describe(const Json& v) {
    std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    constexpr size_t kMax = 60;
    if (s.size() > kMax) {
        s.resize(kMax);
        s += "...";
    }
    return s;
}

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw FieldError{path, message};
}

} // namespace

int64_t readInt(const Json& v, const std::string& path, int64_t lo, int64_t hi) {
    auto outOfRange = [&]() {
        fail(path, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got " + describe(v));
    };
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (hi < 0 || u > static_cast<uint64_t>(hi)) outOfRange();
        return static_cast<int64_t>(u);
    }
    if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i < lo || i > hi) outOfRange();
        return i;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        // 2^63 is exactly representable; anything >= it does not fit in int64.
        if (std::isfinite(d) && d == std::trunc(d) && d >= -9223372036854775808.0 &&
            d < 9223372036854775808.0) {
            const auto i = static_cast<int64_t>(d);
            if (i < lo || i > hi) outOfRange();
            return i;
        }
    }
    fail(path, "expected an integer, got " + describe(v));
}

uint64_t readUInt64(const Json& v, const std::string& path) {
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i >= 0) return static_cast<uint64_t>(i);
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::trunc(d) && d >= 0 && d < 18446744073709551616.0)
            return static_cast<uint64_t>(d);
    }
    fail(path, "expected a non-negative integer, got " + describe(v));
}

double readNumber(const Json& v, const std::string& path) {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    fail(path, "expected a number, got " + describe(v));
}

bool readBool(const Json& v, const std::string& path) {
    if (v.is_boolean()) return v.get<bool>();
    fail(path, "expected true or false, got " + describe(v));
}

std::string readString(const Json& v, const std::string& path) {
    if (v.is_string()) return v.get<std::string>();
    fail(path, "expected a string, got " + describe(v));
}

const Json& expectObject(const Json& v, const std::string& path) {
    if (!v.is_object()) fail(path, "expected an object, got " + describe(v));
    return v;
}

const Json& expectArray(const Json& v, const std::string& path) {
    if (!v.is_array()) fail(path, "expected an array, got " + describe(v));
    return v;
}

Json numberValue(double x) {
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    return x;
}

namespace {

constexpr const char* kSpecKeys[] = {
    "model",   "models",      "tasks",       "baseline", "baseline_dtype", "candidates",  "dtype",    "batch_sizes",
    "seq_lens", "pads",       "seqlen_stdev", "warmup",  "num_batches",     "seed",
    "cuda_graphs", "memory_limit_mb", "cell_timeout_s", "profile", "max_noise_pct", "min_time_s", "max_time_s",
    "interleave", "workload",
};

std::string allowedKeys() {
    std::string s;
    for (const char* k : kSpecKeys) {
        if (!s.empty()) s += ", ";
        s += k;
    }
    return s;
}

std::string allowedTasks() {
    std::string s;
    for (Task t : allTasks()) {
        if (!s.empty()) s += ", ";
        s += toString(t);
    }
    return s;
}

Task readTask(const Json& v, const std::string& path) {
    const std::string s = readString(v, path);
    if (auto t = parseTask(s)) return *t;
    fail(path, "unknown task " + describe(v) + " (allowed: " + allowedTasks() + ")");
}

DType readDType(const Json& v, const std::string& path) {
    const std::string s = readString(v, path);
    if (auto d = parseDType(s)) return *d;
    fail(path, "unknown dtype " + describe(v) + " (allowed: fp32, fp16, bf16, fp8)");
}

// Reads an array element by element, so every bad element is reported, not just the first.
template <typename T, typename ReadOne>
std::vector<T> readList(const Json& v, const std::string& path, std::vector<SpecProblem>& problems,
                        ReadOne readOne) {
    expectArray(v, path);
    std::vector<T> out;
    out.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const std::string p = indexPath(path, i);
        try {
            out.push_back(readOne(v[i], p));
        } catch (const FieldError& e) {
            problems.push_back({e.field, e.message});
        }
    }
    return out;
}

constexpr int64_t kIntMin = std::numeric_limits<int>::min();
constexpr int64_t kIntMax = std::numeric_limits<int>::max();

int readInt32(const Json& v, const std::string& path) {
    return static_cast<int>(readInt(v, path, kIntMin, kIntMax));
}

} // namespace

Json specToValue(const SweepSpec& spec) {
    Json j = Json::object();
    // One model is written as "model", as before the model axis, so that older readers keep
    // reading single-model files.
    if (spec.models.size() == 1)
        j["model"] = spec.models.front();
    else
        j["models"] = spec.models;
    Json tasks = Json::array();
    for (Task t : spec.tasks) tasks.push_back(toString(t));
    j["tasks"] = std::move(tasks);
    j["baseline"] = spec.baseline;
    if (spec.baselineDType) j["baseline_dtype"] = toString(*spec.baselineDType);
    j["candidates"] = spec.candidates;
    j["dtype"] = toString(spec.dtype);
    j["batch_sizes"] = spec.batchSizes;
    j["seq_lens"] = spec.seqLens;
    Json pads = Json::array();
    for (double p : spec.pads) pads.push_back(numberValue(p));
    j["pads"] = std::move(pads);
    j["seqlen_stdev"] = numberValue(spec.seqlenStdev);
    j["warmup"] = spec.warmup;
    j["num_batches"] = spec.numBatches;
    j["seed"] = spec.seed;
    j["cuda_graphs"] = spec.cudaGraphs;
    j["memory_limit_mb"] = spec.memoryLimitMb;
    j["cell_timeout_s"] = numberValue(spec.cellTimeoutS);
    j["profile"] = spec.profile;
    j["max_noise_pct"] = numberValue(spec.maxNoisePct);
    j["min_time_s"] = numberValue(spec.minTimeS);
    j["max_time_s"] = numberValue(spec.maxTimeS);
    j["interleave"] = spec.interleave;
    // Absent for the synthetic workload, so spec files from before workloads read and write alike.
    if (spec.workload != WorkloadSpec{}) j["workload"] = workloadToValue(spec.workload);
    return j;
}

SweepSpec specFromValue(const Json& v, const std::string& prefix, bool allowUnknownKeys,
                        std::vector<SpecProblem>& problems) {
    SweepSpec spec;
    if (!v.is_object()) {
        problems.push_back({prefix, "expected a JSON object, got " + describe(v)});
        return spec;
    }
    if (v.contains("model") && v.contains("models"))
        problems.push_back({childPath(prefix, "models"), "give either \"model\" (one) or \"models\" (a list), not both"});
    for (const auto& [key, val] : v.items()) {
        const std::string path = childPath(prefix, key);
        try {
            if (key == "model") {
                spec.models = {readString(val, path)};
            } else if (key == "models") {
                spec.models = readList<std::string>(val, path, problems, readString);
            } else if (key == "tasks") {
                spec.tasks = readList<Task>(val, path, problems, readTask);
            } else if (key == "baseline") {
                spec.baseline = readString(val, path);
            } else if (key == "baseline_dtype") {
                spec.baselineDType = readDType(val, path);
            } else if (key == "candidates") {
                spec.candidates = readList<std::string>(val, path, problems, readString);
            } else if (key == "dtype") {
                spec.dtype = readDType(val, path);
            } else if (key == "batch_sizes") {
                spec.batchSizes = readList<int>(val, path, problems, readInt32);
            } else if (key == "seq_lens") {
                spec.seqLens = readList<int>(val, path, problems, readInt32);
            } else if (key == "pads") {
                spec.pads = readList<double>(val, path, problems, readNumber);
            } else if (key == "seqlen_stdev") {
                spec.seqlenStdev = readNumber(val, path);
            } else if (key == "warmup") {
                spec.warmup = readInt32(val, path);
            } else if (key == "num_batches") {
                spec.numBatches = readInt32(val, path);
            } else if (key == "seed") {
                spec.seed = readUInt64(val, path);
            } else if (key == "cuda_graphs") {
                spec.cudaGraphs = readBool(val, path);
            } else if (key == "memory_limit_mb") {
                spec.memoryLimitMb = readInt(val, path, std::numeric_limits<int64_t>::min(),
                                             std::numeric_limits<int64_t>::max());
            } else if (key == "cell_timeout_s") {
                spec.cellTimeoutS = readNumber(val, path);
            } else if (key == "profile") {
                spec.profile = readBool(val, path);
            } else if (key == "max_noise_pct") {
                spec.maxNoisePct = readNumber(val, path);
            } else if (key == "min_time_s") {
                spec.minTimeS = readNumber(val, path);
            } else if (key == "max_time_s") {
                spec.maxTimeS = readNumber(val, path);
            } else if (key == "interleave") {
                spec.interleave = readBool(val, path);
            } else if (key == "workload") {
                spec.workload = workloadFromValue(val, path, problems);
            } else if (!allowUnknownKeys) {
                problems.push_back({path, "unknown key (allowed keys: " + allowedKeys() + ")"});
            }
        } catch (const FieldError& e) {
            problems.push_back({e.field, e.message});
        }
    }
    return spec;
}

} // namespace jsonio

namespace {

std::string joinProblems(const std::string& sourceName, const std::vector<SpecProblem>& problems) {
    std::string msg = sourceName.empty() ? std::string() : sourceName + ": ";
    if (problems.size() > 1) msg += std::to_string(problems.size()) + " problems: ";
    for (size_t i = 0; i < problems.size(); ++i) {
        if (i) msg += "; ";
        if (!problems[i].field.empty()) msg += problems[i].field + ": ";
        msg += problems[i].message;
    }
    return msg;
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; keep the readable part.
std::string parseErrorText(const std::exception& e) {
    std::string s = e.what();
    if (!s.empty() && s.front() == '[') {
        const auto close = s.find("] ");
        if (close != std::string::npos) s.erase(0, close + 2);
    }
    return s;
}

} // namespace

std::string specToJson(const SweepSpec& spec) {
    return jsonio::specToValue(spec).dump(2) + "\n";
}

SweepSpec specFromJson(const std::string& text, const std::string& sourceName) {
    jsonio::Json j;
    try {
        j = jsonio::Json::parse(text);
    } catch (const jsonio::Json::exception& e) {  // parse_error, and out_of_range for numbers that overflow
        throw InputError((sourceName.empty() ? std::string() : sourceName + ": ") +
                         "not valid JSON: " + parseErrorText(e));
    }
    std::vector<SpecProblem> problems;
    SweepSpec spec = jsonio::specFromValue(j, "", false, problems);
    if (problems.empty()) problems = validateSpec(spec, 0, {});
    if (!problems.empty()) throw InputError(joinProblems(sourceName, problems));
    return spec;
}

SweepSpec loadSpecFile(const std::string& path) {
    return specFromJson(readTextFile(path, 16u << 20), path);
}

void saveSpecFile(const SweepSpec& spec, const std::string& path) {
    writeFileAtomic(path, specToJson(spec));
}

} // namespace bertbench

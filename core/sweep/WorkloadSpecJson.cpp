// The spec's "workload" object (SpecJsonDetail.h):
//   {"kind": "lengths" | "texts" | "synthetic", "file": "...", "text_field": "...", "tokenizer": "...",
//    "batching": ["random", "sorted"], "batches_per_cell": 8, "sha256": "...", "bytes": 1234}
// Keys at their defaults are left out when writing; every key is optional when reading.
#include <limits>

#include "core/sweep/SpecJsonDetail.h"

namespace bertbench::jsonio {

namespace {

constexpr const char* kWorkloadKeys[] = {"kind",          "file",   "text_field", "tokenizer",
                                         "batching", "batches_per_cell", "sha256",     "bytes"};

std::string allowedWorkloadKeys() {
    std::string s;
    for (const char* k : kWorkloadKeys) s += (s.empty() ? "" : ", ") + std::string(k);
    return s;
}

} // namespace

Json workloadToValue(const WorkloadSpec& w) {
    const WorkloadSpec defaults;
    Json j = Json::object();
    j["kind"] = toString(w.kind);
    if (!w.file.empty()) j["file"] = w.file;
    if (!w.textField.empty()) j["text_field"] = w.textField;
    if (!w.tokenizer.empty()) j["tokenizer"] = w.tokenizer;
    if (w.isData() || w.batching != defaults.batching) {
        Json list = Json::array();
        for (Batching b : w.batching) list.push_back(toString(b));
        j["batching"] = std::move(list);
    }
    if (w.isData() || w.batchesPerCell != defaults.batchesPerCell) j["batches_per_cell"] = w.batchesPerCell;
    if (!w.sha256.empty()) j["sha256"] = w.sha256;
    if (w.bytes >= 0) j["bytes"] = w.bytes;
    return j;
}

WorkloadSpec workloadFromValue(const Json& v, const std::string& path, std::vector<SpecProblem>& problems) {
    WorkloadSpec w;
    if (!v.is_object()) {
        problems.push_back({path, "expected an object such as {\"kind\": \"lengths\", \"file\": \"lengths.txt\"}, got " +
                                      describe(v)});
        return w;
    }
    for (const auto& [key, val] : v.items()) {
        const std::string p = childPath(path, key);
        try {
            if (key == "kind") {
                const std::string s = readString(val, p);
                const auto kind = parseWorkloadKind(s);
                if (!kind) throw FieldError{p, "unknown workload kind " + describe(val) + " (allowed: synthetic, lengths, texts)"};
                w.kind = *kind;
            } else if (key == "file") {
                w.file = readString(val, p);
            } else if (key == "text_field") {
                w.textField = readString(val, p);
            } else if (key == "tokenizer") {
                w.tokenizer = readString(val, p);
            } else if (key == "batching") {
                expectArray(val, p);
                w.batching.clear();
                for (size_t i = 0; i < val.size(); ++i) {
                    const std::string ip = indexPath(p, i);
                    try {
                        const std::string s = readString(val[i], ip);
                        const auto b = parseBatching(s);
                        if (!b) throw FieldError{ip, "unknown batching policy " + describe(val[i]) + " (allowed: random, sorted)"};
                        w.batching.push_back(*b);
                    } catch (const FieldError& e) {
                        problems.push_back({e.field, e.message});
                    }
                }
            } else if (key == "batches_per_cell") {
                w.batchesPerCell = static_cast<int>(
                    readInt(val, p, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
            } else if (key == "sha256") {
                w.sha256 = readString(val, p);
            } else if (key == "bytes") {
                w.bytes = readInt(val, p, -1, std::numeric_limits<int64_t>::max());
            } else {
                problems.push_back({p, "unknown key (allowed keys: " + allowedWorkloadKeys() + ")"});
            }
        } catch (const FieldError& e) {
            problems.push_back({e.field, e.message});
        }
    }
    return w;
}

} // namespace bertbench::jsonio

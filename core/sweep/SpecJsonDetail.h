#pragma once
// Internal to core (SpecJson.cpp, results/RunJson.cpp): the spec as a JSON value, and typed
// readers whose errors name the field's JSON path. Not part of the public API.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/sweep/SweepSpec.h"

namespace bertbench::jsonio {

using Json = nlohmann::ordered_json;

// A problem with one field, thrown by the readers below.
struct FieldError {
    std::string field;     // JSON path, e.g. "rows[3].candidate.latency.median_ms"
    std::string message;   // e.g. "expected a number, got \"x\""
};

// "a.b" / "a[3]" path building; an empty parent gives just the key.
std::string childPath(const std::string& parent, const std::string& key);
std::string indexPath(const std::string& parent, size_t index);

// The value as JSON text, shortened for messages.
std::string describe(const Json& v);

// Typed readers; throw FieldError naming `path` on a wrong type or a value out of range.
// Integers accept JSON floats that hold an exact integer (8.0). Numbers accept the strings
// "NaN", "Infinity", "-Infinity", which is how non-finite doubles are written.
int64_t readInt(const Json& v, const std::string& path, int64_t lo, int64_t hi);
uint64_t readUInt64(const Json& v, const std::string& path);
double readNumber(const Json& v, const std::string& path);
bool readBool(const Json& v, const std::string& path);
std::string readString(const Json& v, const std::string& path);
const Json& expectObject(const Json& v, const std::string& path);
const Json& expectArray(const Json& v, const std::string& path);

// A double as JSON: a number when finite (nlohmann prints the shortest text that reads back
// exactly), else one of the strings above.
Json numberValue(double x);

// The spec as an object with the keys of SpecJson.h, in their documented order.
Json specToValue(const SweepSpec& spec);

// The spec's "workload" object: {"kind", "file", "text_field", "tokenizer", "batching",
// "batches_per_cell", "sha256", "bytes"} (WorkloadSpec.h; empty and default keys left out).
// Problems (wrong types, unknown keys or kinds) are appended with paths under `path`.
Json workloadToValue(const WorkloadSpec& workload);
WorkloadSpec workloadFromValue(const Json& v, const std::string& path, std::vector<SpecProblem>& problems);

// Reads a spec object; missing keys keep their defaults. Every wrong type / bad enum string
// (and, unless allowUnknownKeys, every unknown key) is appended to `problems`, with field
// paths prefixed by `prefix` ("" for a spec file, "spec" inside a run file).
SweepSpec specFromValue(const Json& v, const std::string& prefix, bool allowUnknownKeys,
                        std::vector<SpecProblem>& problems);

} // namespace bertbench::jsonio

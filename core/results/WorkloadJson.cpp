// A data workload in the run file and the journal:
//   per row (optional keys, absent in synthetic rows of older files):
//     "batching": "random" | "sorted"   the cell's policy (absent = a synthetic cell)
//     "realised_pad": 0.31              1 − real tokens / padded positions over the cell's batches
//     "workload_rows": 64, "truncated_rows": 3
//   per run (absent = synthetic):
//     "workload": {"kind", "file", "bytes", "sha256", "text_field", "lengths": [
//        {"model": "", "tokenizer": "", "examples": N, "counts": [[length, examples], ...]}, ...]}
//   Lengths are kept as counts per length (ascending): exact percentiles and histograms at a
//   fraction of the size; the file order is not kept.
#include <cmath>
#include <limits>
#include <map>

#include "core/results/RunJsonValues.h"

namespace bertbench::jsonio {

void writeRowWorkload(Json& j, const ResultRow& r) {
    if (r.cell.batching != Batching::None) j["batching"] = toString(r.cell.batching);
    if (std::isfinite(r.realisedPad)) j["realised_pad"] = r.realisedPad;
    if (r.workloadRows > 0) {
        j["workload_rows"] = r.workloadRows;
        j["truncated_rows"] = r.truncatedRows;
    }
}

void readRowWorkload(const Json& j, const std::string& path, ResultRow& r) {
    if (const auto it = j.find("batching"); it != j.end()) {
        const std::string p = childPath(path, "batching");
        const auto b = parseBatching(readString(*it, p));
        if (!b) throw FieldError{p, "unknown batching policy " + describe(*it) + " (allowed: random, sorted)"};
        r.cell.batching = *b;
    }
    if (const auto it = j.find("realised_pad"); it != j.end()) r.realisedPad = readNumber(*it, childPath(path, "realised_pad"));
    if (const auto it = j.find("workload_rows"); it != j.end())
        r.workloadRows = int(readInt(*it, childPath(path, "workload_rows"), 0, std::numeric_limits<int>::max()));
    if (const auto it = j.find("truncated_rows"); it != j.end())
        r.truncatedRows = int(readInt(*it, childPath(path, "truncated_rows"), 0, std::numeric_limits<int>::max()));
}

Json workloadRecordValue(const WorkloadRecord& w) {
    Json j = Json::object();
    j["kind"] = toString(w.kind);
    j["file"] = w.file;
    j["bytes"] = w.bytes;
    j["sha256"] = w.sha256;
    if (!w.textField.empty()) j["text_field"] = w.textField;
    Json lengths = Json::array();
    for (const WorkloadLengths& m : w.models) {
        std::map<int, int64_t> counts;
        for (int len : m.lengths) ++counts[len];
        Json pairs = Json::array();
        for (const auto& [len, n] : counts) pairs.push_back(Json::array({len, n}));
        Json one = Json::object();
        one["model"] = m.model;
        one["tokenizer"] = m.tokenizer;
        one["examples"] = m.lengths.size();
        one["counts"] = std::move(pairs);
        lengths.push_back(std::move(one));
    }
    j["lengths"] = std::move(lengths);
    return j;
}

WorkloadRecord workloadRecordFromValue(const Json& v, const std::string& path) {
    expectObject(v, path);
    WorkloadRecord w;
    auto str = [&](const char* key, std::string& out) {
        if (const auto it = v.find(key); it != v.end()) out = readString(*it, childPath(path, key));
    };
    std::string kind;
    str("kind", kind);
    const auto k = parseWorkloadKind(kind);
    if (!k) throw FieldError{childPath(path, "kind"), "unknown workload kind \"" + kind + "\" (allowed: lengths, texts)"};
    w.kind = *k;
    str("file", w.file);
    str("sha256", w.sha256);
    str("text_field", w.textField);
    if (const auto it = v.find("bytes"); it != v.end())
        w.bytes = readInt(*it, childPath(path, "bytes"), -1, std::numeric_limits<int64_t>::max());
    if (const auto it = v.find("lengths"); it != v.end()) {
        const std::string lp = childPath(path, "lengths");
        expectArray(*it, lp);
        for (size_t i = 0; i < it->size(); ++i) {
            const std::string mp = indexPath(lp, i);
            const Json& one = expectObject((*it)[i], mp);
            WorkloadLengths m;
            if (const auto f = one.find("model"); f != one.end()) m.model = readString(*f, childPath(mp, "model"));
            if (const auto f = one.find("tokenizer"); f != one.end()) m.tokenizer = readString(*f, childPath(mp, "tokenizer"));
            if (const auto f = one.find("counts"); f != one.end()) {
                const std::string cp = childPath(mp, "counts");
                expectArray(*f, cp);
                for (size_t c = 0; c < f->size(); ++c) {
                    const std::string pp = indexPath(cp, c);
                    const Json& pair = (*f)[c];
                    if (!pair.is_array() || pair.size() != 2)
                        throw FieldError{pp, "expected [length, examples], got " + describe(pair)};
                    const int len = int(readInt(pair[0], indexPath(pp, 0), 1, 1'000'000'000));
                    const int64_t n = readInt(pair[1], indexPath(pp, 1), 0, 1'000'000'000);
                    m.lengths.insert(m.lengths.end(), size_t(n), len);
                }
            }
            w.models.push_back(std::move(m));
        }
    }
    return w;
}

} // namespace bertbench::jsonio

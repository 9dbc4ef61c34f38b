#include "core/results/MergeRuns.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "core/results/RunJournal.h"
#include "core/sweep/SpecJsonDetail.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

bool finished(const ResultRow& r) { return r.status != RowStatus::Cancelled; }

std::string cellText(const Cell& c) {
    std::ostringstream s;
    s << toString(c.task) << " batch " << c.batchSize << ", seq " << c.seqLen << ", pad " << c.pad;
    return s.str();
}

// When an input was measured: its end, or its start for a run that never ended (a journal).
const std::string& whenOf(const Run& run) {
    return run.environment.endTime.empty() ? run.environment.startTime : run.environment.endTime;
}

// Distinct non-empty values in order of first appearance, joined: "node1, node2".
std::string distinctJoined(const std::vector<SourcedRun>& inputs, std::string Environment::*field) {
    std::vector<std::string> seen;
    for (const SourcedRun& in : inputs) {
        const std::string& v = in.run.environment.*field;
        if (!v.empty() && std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
    }
    std::string joined;
    for (const std::string& v : seen) joined += (joined.empty() ? "" : ", ") + v;
    return joined;
}

void checkSameSweep(const std::vector<SourcedRun>& inputs) {
    const SourcedRun& first = inputs.front();
    for (size_t i = 1; i < inputs.size(); ++i) {
        const SourcedRun& other = inputs[i];
        const SpecDifference diff = specDifference(first.run.spec, other.run.spec);
        if (!diff.field.empty())
            throw InputError(first.source + " and " + other.source + " measure different sweeps: spec field " +
                             diff.field + " is " + diff.a + " in " + first.source + " but " + diff.b + " in " +
                             other.source + " (only shards of one sweep can be merged)");
        const Environment& a = first.run.environment;
        const Environment& b = other.run.environment;
        if (a.shardCount > 0 && b.shardCount > 0 && a.shardCount != b.shardCount)
            throw InputError(first.source + " is shard " + std::to_string(a.shardIndex) + "/" +
                             std::to_string(a.shardCount) + " but " + other.source + " is shard " +
                             std::to_string(b.shardIndex) + "/" + std::to_string(b.shardCount) +
                             ": shards of different splits cannot be merged");
    }
}

} // namespace

SpecDifference specDifference(const SweepSpec& a, const SweepSpec& b) {
    const jsonio::Json va = jsonio::specToValue(a);
    const jsonio::Json vb = jsonio::specToValue(b);
    for (const auto& [key, value] : va.items()) {
        const auto other = vb.find(key);
        if (other == vb.end() || *other != value)
            return {key, value.dump(), other == vb.end() ? std::string("(none)") : other->dump()};
    }
    return {};
}

MergedRuns mergeRuns(const std::vector<SourcedRun>& inputs, DuplicatePolicy policy) {
    if (inputs.empty()) throw InputError("nothing to merge");
    checkSameSweep(inputs);
    const SweepSpec& spec = inputs.front().run.spec;

    // Each input on its own first: a journal may hold a cancelled row and its re-measurement.
    std::vector<std::vector<ResultRow>> own;
    for (const SourcedRun& in : inputs) own.push_back(mergeRows(spec, in.run.rows));

    // Which inputs hold a finished row for each (cell, candidate).
    std::map<std::pair<size_t, std::string>, std::vector<size_t>> holders;
    const std::vector<Cell> cells = cellsOf(spec);
    auto cellNumber = [&](const Cell& c) { return size_t(std::find(cells.begin(), cells.end(), c) - cells.begin()); };
    MergedRuns out;
    for (size_t i = 0; i < own.size(); ++i)
        for (const ResultRow& r : own[i])
            if (finished(r)) holders[{cellNumber(r.cell), r.candidate.backend}].push_back(i);
    for (const auto& [pair, who] : holders) {
        if (who.size() < 2) continue;
        ++out.duplicatesResolved;
        if (policy == DuplicatePolicy::Reject)
            throw InputError("cell " + cellText(cells[pair.first]) + ", candidate " + pair.second + " was measured in both " +
                             inputs[who[0]].source + " and " + inputs[who[1]].source +
                             " (each cell must come from one run; --prefer newest keeps the newest run's row)");
    }

    // Oldest first, so that mergeRows (the last finished row wins) keeps the newest.
    std::vector<size_t> order(inputs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t x, size_t y) { return whenOf(inputs[x].run) < whenOf(inputs[y].run); });
    std::vector<ResultRow> all;
    for (size_t i : order) all.insert(all.end(), own[i].begin(), own[i].end());
    out.run.spec = spec;
    out.run.rows = mergeRows(spec, all);

    // The merged run's machine: the first input's, with every host and GPU named, the earliest
    // start and the latest end, and no shard (it is the whole sweep now).
    Environment env = inputs.front().run.environment;
    env.host = distinctJoined(inputs, &Environment::host);
    env.gpu = distinctJoined(inputs, &Environment::gpu);
    env.shardIndex = 0;
    env.shardCount = 0;
    for (const SourcedRun& in : inputs) {
        const Environment& e = in.run.environment;
        if (!e.startTime.empty() && (env.startTime.empty() || e.startTime < env.startTime)) env.startTime = e.startTime;
        if (e.endTime > env.endTime) env.endTime = e.endTime;
    }
    out.run.environment = env;
    // A data workload: the same file in every input (their specs agree on its SHA-256); the first
    // that recorded its lengths gives them.
    for (const SourcedRun& in : inputs)
        if (in.run.workload.recorded()) {
            out.run.workload = in.run.workload;
            break;
        }

    for (const Cell& cell : cells)
        for (const std::string& candidate : spec.candidates) {
            const bool present = std::any_of(out.run.rows.begin(), out.run.rows.end(), [&](const ResultRow& r) {
                return r.cell == cell && r.candidate.backend == candidate;
            });
            if (!present) {
                out.missing.push_back(cell);
                break;
            }
        }
    return out;
}

} // namespace bertbench

#include "app/cli/RunSummary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "app/cli/CliSupport.h"
#include "core/sweep/RunAxes.h"

namespace bertbench::cli {

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string padText(double pad) {
    std::ostringstream s;
    s << pad;
    return s.str();
}

std::string statusText(const ResultRow& row) {
    std::string s = toString(row.status);
    if (row.status != RowStatus::Ok && !row.message.empty()) s += ": " + row.message;
    return s;
}

// "+3.1..+8.0%": the speedup's 95 % interval; "-" when it has none.
std::string intervalText(const Interval& pct) {
    if (!pct.valid()) return "-";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%+.1f..%+.1f%%", pct.lo, pct.hi);
    return buf;
}

std::string verdictText(const ResultRow& row) {
    const std::string v = toString(row.verdict);
    return v.empty() ? "-" : v;
}

std::string errorText(double relError) {
    if (!(relError >= 0)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1e", relError);
    return buf;
}

// "99.7%": task-level agreement with the baseline; "-" when not measured (encoder, failed rows).
std::string agreementText(double pct) {
    if (!std::isfinite(pct)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, pct >= 100 ? "%.0f%%" : "%.1f%%", pct);
    return buf;
}

} // namespace

std::string cellLabel(const Cell& cell) {
    std::string label = "b";
    label += std::to_string(cell.batchSize);
    label += " s";
    label += std::to_string(cell.seqLen);
    if (cell.batching != Batching::None) {   // a data workload's cell: its policy stands where the pad did
        label += ' ';   // appended, not " " + ...: GCC 12 warns falsely (-Wrestrict) on that form
        label += toString(cell.batching);
        return label;
    }
    label += " p";
    label += padText(cell.pad);
    return label;
}

std::string taskText(const std::string& model, Task task, bool withModel) {
    return withModel ? modelLabel(model) + " " + toString(task) : toString(task);
}

bool hasSeveralModels(const Run& run) { return axesOf(run).models.size() > 1; }

std::vector<GroupSummary> summarizeRun(const Run& run) {
    std::vector<GroupSummary> groups;
    std::vector<double> logSpeed, logMem;
    std::vector<int> speedCount, memCount;
    std::vector<double> speedSum, memSum;
    for (const ResultRow& row : run.rows) {
        size_t g = 0;
        while (g < groups.size() && !(groups[g].model == row.cell.model && groups[g].task == row.cell.task &&
                                      groups[g].candidate == row.candidate.backend))
            ++g;
        if (g == groups.size()) {
            GroupSummary s;
            s.model = row.cell.model;
            s.task = row.cell.task;
            s.candidate = row.candidate.backend;
            s.baseline = row.baseline.backend;
            s.minAgreementPct = kNaN;
            groups.push_back(s);
            speedCount.push_back(0);
            memCount.push_back(0);
            speedSum.push_back(0);
            memSum.push_back(0);
        }
        GroupSummary& s = groups[g];
        ++s.rows;
        if (row.status != RowStatus::Ok) {
            ++s.failed;
            continue;
        }
        ++s.ok;
        if (row.verdict == Verdict::Faster) ++s.faster;
        else if (row.verdict == Verdict::Slower) ++s.slower;
        else if (row.verdict == Verdict::Same) ++s.same;
        const double tb = row.baseline.latency.medianMs, tc = row.candidate.latency.medianMs;
        if (tb > 0 && tc > 0 && std::isfinite(tb) && std::isfinite(tc)) {
            speedSum[g] += std::log(tb / tc);
            ++speedCount[g];
            const double sp = row.speedupPercent();
            if (!s.best || sp > s.best->speedupPercent()) s.best = row;
            if (!s.worst || sp < s.worst->speedupPercent()) s.worst = row;
        }
        const double mb = row.baseline.peakMemMb, mc = row.candidate.peakMemMb;
        if (mb > 0 && mc > 0 && std::isfinite(mb) && std::isfinite(mc)) {
            memSum[g] += std::log(mb / mc);
            ++memCount[g];
        }
        if (row.relError >= 0) s.maxRelError = std::max(s.maxRelError, row.relError);
        if (std::isfinite(row.taskAgreementPct))
            s.minAgreementPct = std::isfinite(s.minAgreementPct) ? std::min(s.minAgreementPct, row.taskAgreementPct)
                                                                 : row.taskAgreementPct;
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        groups[g].geoSpeedupPercent = speedCount[g] ? (std::exp(speedSum[g] / speedCount[g]) - 1) * 100 : kNaN;
        groups[g].geoMemSavedPercent = memCount[g] ? (std::exp(memSum[g] / memCount[g]) - 1) * 100 : kNaN;
    }
    // Model by model, task by task, candidates in the spec's order (rows of merged files arrive
    // file by file).
    auto indexIn = [](const auto& list, const auto& value) {
        return size_t(std::find(list.begin(), list.end(), value) - list.begin());
    };
    std::stable_sort(groups.begin(), groups.end(), [&](const GroupSummary& a, const GroupSummary& b) {
        const size_t ma = indexIn(run.spec.models, a.model), mb = indexIn(run.spec.models, b.model);
        if (ma != mb) return ma < mb;
        const size_t ta = indexIn(run.spec.tasks, a.task), tb = indexIn(run.spec.tasks, b.task);
        if (ta != tb) return ta < tb;
        return indexIn(run.spec.candidates, a.candidate) < indexIn(run.spec.candidates, b.candidate);
    });
    return groups;
}

std::string runHeader(const Run& run) {
    const SweepSpec& spec = run.spec;
    const Environment& env = run.environment;
    std::vector<std::string> tasks;
    for (Task t : spec.tasks) tasks.push_back(toString(t));
    // The old script's CSVs record neither the model nor the warm-up.
    const bool oldCsv = env.source.rfind("seed-csv", 0) == 0;
    std::ostringstream out;
    const std::string models = spec.models.size() == 1 && spec.models.front().empty() ? "not recorded"
                                                                                       : joinStrings(spec.models);
    out << (spec.models.size() > 1 ? "Models " : "Model ")
        << (oldCsv ? std::string("not recorded (the old script's CSV)") : models) << ", "
        << toString(spec.dtype) << ", baseline " << baselineLabel(spec) << " vs " << joinStrings(spec.candidates)
        << (oldCsv ? " (from the old script's CSV: HuggingFace transformers)" : "") << "\n";
    out << "Tasks " << joinStrings(tasks) << "; batch sizes " << joinInts(spec.batchSizes) << "; seq lens "
        << joinInts(spec.seqLens);
    if (spec.workload.isData()) {
        std::vector<std::string> policies;
        for (Batching b : spec.workload.batching) policies.push_back(toString(b));
        out << "; batching " << joinStrings(policies) << " (" << toString(spec.workload.kind) << " workload "
            << spec.workload.file << ", " << spec.workload.batchesPerCell << " batches a cell); ";
    } else {
        out << "; pads " << joinNumbers(spec.pads) << "; ";
    }
    if (spec.maxNoisePct > 0)
        out << "each backend timed until its median is known to +-" << fixed(spec.maxNoisePct, 1) << "% ("
            << fixed(spec.minTimeS, 1) << "-" << fixed(spec.maxTimeS, 1) << " s a cell)";
    else
        out << spec.numBatches << " timed forwards a cell";
    if (!oldCsv) out << " (" << spec.warmup << " warm-up" << (spec.interleave ? ", in alternating rounds" : "") << ")";
    out << "\n";
    std::string machine = env.cpu.empty() ? "" : env.cpu;
    if (!env.gpu.empty()) machine += (machine.empty() ? "" : "; ") + env.gpu;
    if (!machine.empty() || !env.host.empty())
        out << "Machine " << (env.host.empty() ? "" : env.host + ": ") << machine << "\n";
    if (!env.source.empty() && env.source != "bertbench") out << "Source " << env.source << "\n";
    if (!env.startTime.empty())
        out << "Measured " << env.startTime << (env.endTime.empty() ? "" : " to " + env.endTime)
            << (env.bertbenchVersion.empty() ? "" : " with BertBench " + env.bertbenchVersion) << "\n";
    return out.str();
}

std::string summaryTable(const Run& run, size_t maxFailuresListed) {
    using A = TextTable::Align;
    TextTable table({{"task", A::Left},
                     {"candidate", A::Left},
                     {"cells", A::Right},
                     {"failed", A::Right},
                     {"speedup (geo-mean)", A::Right},
                     {"best cell", A::Left},
                     {"worst cell", A::Left},
                     {"faster/same/slower", A::Right},
                     {"mem saved (geo-mean)", A::Right},
                     {"max rel err", A::Right},
                     {"min agree", A::Right}});
    const bool withModel = hasSeveralModels(run);
    for (const GroupSummary& g : summarizeRun(run)) {
        auto cellText = [](const std::optional<ResultRow>& r) {
            return r ? signedPercent(r->speedupPercent()) + " (" + cellLabel(r->cell) + ")" : std::string("-");
        };
        table.addRow({taskText(g.model, g.task, withModel), g.candidate, std::to_string(g.rows), std::to_string(g.failed),
                      signedPercent(g.geoSpeedupPercent), cellText(g.best), cellText(g.worst),
                      std::to_string(g.faster) + "/" + std::to_string(g.same) + "/" + std::to_string(g.slower),
                      signedPercent(g.geoMemSavedPercent), errorText(g.maxRelError), agreementText(g.minAgreementPct)});
    }
    std::string out = table.str();
    out += "faster/same/slower: cells whose speedup's 95% interval lies above 0, holds 0, lies below 0\n";
    out += "min agree: the lowest task-level agreement with the baseline (same argmax / QA start and end), % of decisions\n";
    size_t listed = 0, failed = 0;
    for (const ResultRow& row : run.rows) {
        if (row.status == RowStatus::Ok) continue;
        if (++failed > maxFailuresListed) continue;
        if (listed++ == 0) out += "\nFailed rows:\n";
        out += "  " + taskText(row.cell, withModel) + " " + cellLabel(row.cell) + " " + row.candidate.backend + ": " +
               statusText(row) + "\n";
    }
    if (failed > listed) out += "  ... and " + std::to_string(failed - listed) + " more\n";
    return out;
}

const std::vector<TextTable::Column>& rowColumns() {
    using A = TextTable::Align;
    static const std::vector<TextTable::Column> columns{
        {"task", A::Left},        {"batch", A::Right},   {"seq", A::Right},       {"pad", A::Right},
        {"candidate", A::Left},   {"base ms", A::Right}, {"cand ms", A::Right},   {"speedup", A::Right},
        {"95% interval", A::Right}, {"verdict", A::Left}, {"forwards", A::Right},
        {"mem saved", A::Right},  {"rel err", A::Right}, {"agree", A::Right}, {"status", A::Left}};
    return columns;
}

const std::vector<size_t>& rowWidths() {
    static const std::vector<size_t> widths{24, 5, 4, 4, 22, 9, 9, 8, 15, 7, 9, 9, 7, 6, 6};
    return widths;
}

std::vector<std::string> rowCells(const ResultRow& row, bool withModel) {
    const bool ok = row.status == RowStatus::Ok;
    // A data workload's row: its policy after the task, the pad its batches had in the pad column.
    const bool data = row.cell.batching != Batching::None;
    std::string task = taskText(row.cell, withModel);
    if (data) task.append(" ").append(toString(row.cell.batching));
    return {task,
            std::to_string(row.cell.batchSize),
            std::to_string(row.cell.seqLen),
            fixed(data && std::isfinite(row.realisedPad) ? row.realisedPad : row.cell.pad, 2),
            row.candidate.backend,
            ok ? fixed(row.baseline.latency.medianMs, 3) : "-",
            ok ? fixed(row.candidate.latency.medianMs, 3) : "-",
            ok ? signedPercent(row.speedupPercent()) : "-",
            ok ? intervalText(row.speedupCiPct) : "-",
            ok ? verdictText(row) : "-",
            ok ? std::to_string(row.baseline.latency.samples) + "/" + std::to_string(row.candidate.latency.samples) : "-",
            ok ? signedPercent(row.memorySavedPercent()) : "-",
            errorText(row.relError),
            ok ? agreementText(row.taskAgreementPct) : "-",
            statusText(row)};
}

std::string rowLine(const ResultRow& row, bool withModel) {
    return TextTable::line(rowColumns(), rowWidths(), rowCells(row, withModel));
}

std::string rowHeaderLine() {
    std::vector<std::string> headers;
    for (const TextTable::Column& c : rowColumns()) headers.push_back(c.header);
    return TextTable::line(rowColumns(), rowWidths(), headers);
}

std::string rowsTable(const Run& run) {
    TextTable table(rowColumns());
    const bool withModel = hasSeveralModels(run);
    for (const ResultRow& row : run.rows) table.addRow(rowCells(row, withModel));
    return table.str();
}

} // namespace bertbench::cli

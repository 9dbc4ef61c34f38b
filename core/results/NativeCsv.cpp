// Native CSV: one row per cell × candidate, baseline and candidate columns side by side.
// Doubles are written with the shortest text that reads back exactly, so rows round-trip.
// The reader finds columns by header name (any order, unknown columns ignored) and is strict
// about values: every error names the line and the column.
#include <cmath>
#include <limits>
#include <map>

#include "core/results/Csv.h"
#include "core/results/MeasurementProfileCsv.h"
#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

const std::vector<std::string>& nativeColumns() {
    static const std::vector<std::string> cols = [] {
        std::vector<std::string> c = {"task",    "batch_size", "seq_len",  "pad",
                                      "num_batches", "dtype",  "is_cuda",  "is_half",
                                      "use_mask", "real_tokens"};
        for (const char* side : {"baseline", "candidate"}) {
            const std::string s = side;
            for (const char* suffix : {"", "_has_stats", "_samples", "_median_ms", "_mean_ms", "_p10_ms",
                                       "_p90_ms", "_stdev_ms", "_peak_mb"})
                c.push_back(s + suffix);
        }
        for (const char* name : {"speedup_pct", "mem_saved_pct", "max_abs_error", "rel_error", "status", "message"})
            c.emplace_back(name);
        csv::appendMeasurementProfileColumns(c);   // breakdown, efficiency, energy
        // Added after the first release: at the very end, so older readers' positions hold; read with
        // a default of -1 when a file lacks them.
        c.emplace_back("baseline_compile_ms");
        c.emplace_back("candidate_compile_ms");
        // Appended last so that readers that count columns from the left keep working; files
        // written before them still read (the reader finds columns by name).
        for (const char* name : {"gpu_index", "gpu_name", "gpu_uuid"}) c.emplace_back(name);
        c.emplace_back("model");   // the model axis; empty = not recorded
        // Each number's uncertainty (Uncertainty.h): the medians' intervals and noise, why each side's
        // timing stopped, the speedup's interval and verdict, how the sides were timed. The
        // per-forward samples stay in run.json. Absent in older files: read as not recorded.
        for (const char* side : {"baseline", "candidate"})
            for (const char* suffix : {"_median_lo_ms", "_median_hi_ms", "_noise_pct", "_stop"})
                c.push_back(std::string(side) + suffix);
        for (const char* name : {"speedup_lo_pct", "speedup_hi_pct", "verdict", "timing"}) c.emplace_back(name);
        // A data workload (WorkloadSpec.h): the cell's batching policy (empty = a synthetic cell), the
        // realised pad of its batches (every row), rows drawn and truncated (empty = synthetic).
        for (const char* name : {"batching", "realised_pad", "workload_rows", "truncated_rows"}) c.emplace_back(name);
        // Task-level agreement with the baseline, % (TaskAgreement.h); empty = not measured.
        c.emplace_back("task_agreement_pct");
        return c;
    }();
    return cols;
}

// Columns a native CSV must have; the others default when absent.
constexpr const char* kRequiredColumns[] = {"task", "batch_size", "seq_len", "pad", "baseline",
                                            "baseline_median_ms", "candidate", "candidate_median_ms",
                                            "status"};

std::string boolText(bool b) { return b ? "true" : "false"; }

void appendMeasurement(std::vector<std::string>& f, const Measurement& m) {
    f.push_back(m.backend);
    f.push_back(boolText(m.hasStats));
    f.push_back(std::to_string(m.latency.samples));
    f.push_back(csv::shortest(m.latency.medianMs));
    f.push_back(csv::shortest(m.latency.meanMs));
    f.push_back(csv::shortest(m.latency.p10Ms));
    f.push_back(csv::shortest(m.latency.p90Ms));
    f.push_back(csv::shortest(m.latency.stdevMs));
    f.push_back(csv::shortest(m.peakMemMb));
}

// The fields of one data record, looked up by column name.
class RecordReader {
public:
    RecordReader(const csv::Record& rec, const std::map<std::string, size_t>& columns,
                 const std::string& source)
        : rec_(rec), columns_(columns), source_(source) {}

    bool has(const std::string& name) const { return columns_.count(name) != 0; }

    [[noreturn]] void fail(const std::string& name, const std::string& what) const {
        const size_t idx = columns_.at(name);
        throw FileFormatError(source_ + ": line " + std::to_string(rec_.line) + ", column \"" + name +
                              "\" (" + std::to_string(idx + 1) + "): " + what);
    }
    const std::string& raw(const std::string& name) const { return rec_.fields[columns_.at(name)]; }
    std::string quoted(const std::string& name) const { return "\"" + raw(name) + "\""; }

    void str(const std::string& name, std::string& out) const {
        if (has(name)) out = raw(name);
    }
    void number(const std::string& name, double& out) const {
        if (!has(name)) return;
        const auto v = csv::parseDouble(raw(name));
        if (!v) fail(name, "expected a number, got " + quoted(name));
        out = *v;
    }
    void int64(const std::string& name, int64_t& out, int64_t lo = std::numeric_limits<int64_t>::min(),
               int64_t hi = std::numeric_limits<int64_t>::max()) const {
        if (!has(name)) return;
        const auto v = csv::parseInt(raw(name));
        if (!v) fail(name, "expected an integer, got " + quoted(name));
        if (*v < lo || *v > hi)
            fail(name, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) + ", got " +
                           quoted(name));
        out = *v;
    }
    void int32(const std::string& name, int& out) const {
        int64_t v = out;
        int64(name, v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        out = static_cast<int>(v);
    }
    void boolean(const std::string& name, bool& out) const {
        if (!has(name)) return;
        const std::string& s = raw(name);
        if (s == "true" || s == "True" || s == "TRUE") out = true;
        else if (s == "false" || s == "False" || s == "FALSE") out = false;
        else fail(name, "expected true or false, got " + quoted(name));
    }
    void measurement(const std::string& side, Measurement& m) const {
        str(side, m.backend);
        if (m.backend.empty()) fail(side, "expected a backend name, got \"\"");
        boolean(side + "_has_stats", m.hasStats);
        int32(side + "_samples", m.latency.samples);
        number(side + "_median_ms", m.latency.medianMs);
        number(side + "_mean_ms", m.latency.meanMs);
        number(side + "_p10_ms", m.latency.p10Ms);
        number(side + "_p90_ms", m.latency.p90Ms);
        number(side + "_stdev_ms", m.latency.stdevMs);
        number(side + "_peak_mb", m.peakMemMb);
        number(side + "_compile_ms", m.compileMs);
        number(side + "_median_lo_ms", m.latency.medianLoMs);
        number(side + "_median_hi_ms", m.latency.medianHiMs);
        number(side + "_noise_pct", m.latency.noisePct);
        if (has(side + "_stop")) {
            const auto stop = parseStopReason(raw(side + "_stop"));
            if (!stop) fail(side + "_stop", "unknown stop reason " + quoted(side + "_stop") +
                                                " (allowed: count, noise, max_time, sample_cap, or empty)");
            m.stop = *stop;
        }
    }

private:
    const csv::Record& rec_;
    const std::map<std::string, size_t>& columns_;
    const std::string& source_;
};

} // namespace

std::string runToNativeCsv(const Run& run) {
    std::string out;
    csv::appendRecord(out, nativeColumns());
    const std::string dtype = toString(run.spec.dtype);
    std::vector<std::string> f;
    for (const ResultRow& r : run.rows) {
        f.clear();
        f.push_back(toString(r.cell.task));
        f.push_back(std::to_string(r.cell.batchSize));
        f.push_back(std::to_string(r.cell.seqLen));
        f.push_back(csv::shortest(r.cell.pad));
        f.push_back(std::to_string(r.numBatches));
        f.push_back(dtype);
        f.push_back(boolText(r.isCuda));
        f.push_back(boolText(r.isHalf));
        f.push_back(boolText(r.useMask));
        f.push_back(std::to_string(r.realTokens));
        appendMeasurement(f, r.baseline);
        appendMeasurement(f, r.candidate);
        f.push_back(csv::shortest(r.speedupPercent()));
        f.push_back(csv::shortest(r.memorySavedPercent()));
        f.push_back(csv::shortest(r.maxAbsError));
        f.push_back(csv::shortest(r.relError));
        f.push_back(toString(r.status));
        f.push_back(r.message);
        csv::appendMeasurementProfileFields(f, r);
        f.push_back(csv::shortest(r.baseline.compileMs));
        f.push_back(csv::shortest(r.candidate.compileMs));
        // Empty fields for a row without a recorded GPU (CPU rows).
        f.push_back(r.gpu.index >= 0 ? std::to_string(r.gpu.index) : std::string());
        f.push_back(r.gpu.name);
        f.push_back(r.gpu.uuid);
        f.push_back(r.cell.model);
        for (const Measurement* m : {&r.baseline, &r.candidate}) {
            f.push_back(csv::shortest(m->latency.medianLoMs));
            f.push_back(csv::shortest(m->latency.medianHiMs));
            f.push_back(csv::shortest(m->latency.noisePct));
            f.push_back(toString(m->stop));
        }
        f.push_back(csv::shortest(r.speedupCiPct.lo));
        f.push_back(csv::shortest(r.speedupCiPct.hi));
        f.push_back(toString(r.verdict));
        f.push_back(r.timing);
        const bool data = r.cell.batching != Batching::None;
        f.push_back(data ? toString(r.cell.batching) : std::string());
        f.push_back(std::isfinite(r.realisedPad) ? csv::shortest(r.realisedPad) : std::string());
        f.push_back(data ? std::to_string(r.workloadRows) : std::string());
        f.push_back(data ? std::to_string(r.truncatedRows) : std::string());
        f.push_back(std::isfinite(r.taskAgreementPct) ? csv::shortest(r.taskAgreementPct) : std::string());
        csv::appendRecord(out, f);
    }
    return out;
}

Run runFromNativeCsv(const std::string& text, const std::string& sourceName) {
    const std::vector<csv::Record> records = csv::parse(text, sourceName);
    if (records.empty()) throw FileFormatError(sourceName + ": empty file (expected a header line)");

    const csv::Record& header = records.front();
    std::map<std::string, size_t> columns;
    for (size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name(csv::trim(header.fields[i]));
        if (!columns.emplace(name, i).second)
            throw FileFormatError(sourceName + ": line " + std::to_string(header.line) + ": column \"" + name +
                                  "\" appears twice");
    }
    for (const char* name : kRequiredColumns)
        if (!columns.count(name))
            throw FileFormatError(sourceName + ": line " + std::to_string(header.line) + ": missing column \"" +
                                  name + "\" (not a BertBench native CSV?)");

    Run run;
    DType dtype = DType::Float32;
    for (size_t k = 1; k < records.size(); ++k) {
        const csv::Record& rec = records[k];
        if (rec.fields.size() != header.fields.size())
            throw FileFormatError(sourceName + ": line " + std::to_string(rec.line) + ": expected " +
                                  std::to_string(header.fields.size()) + " fields (as in the header), got " +
                                  std::to_string(rec.fields.size()));
        const RecordReader in(rec, columns, sourceName);
        ResultRow r;
        {
            const auto t = parseTask(in.raw("task"));
            if (!t) in.fail("task", "unknown task " + in.quoted("task"));
            r.cell.task = *t;
        }
        in.int32("batch_size", r.cell.batchSize);
        in.int32("seq_len", r.cell.seqLen);
        in.number("pad", r.cell.pad);
        in.int32("num_batches", r.numBatches);
        if (in.has("dtype")) {
            const auto d = parseDType(in.raw("dtype"));
            if (!d) in.fail("dtype", "unknown dtype " + in.quoted("dtype") + " (allowed: fp32, fp16, bf16, fp8)");
            if (k == 1) dtype = *d;
        }
        in.boolean("is_cuda", r.isCuda);
        in.boolean("is_half", r.isHalf);
        in.boolean("use_mask", r.useMask);
        in.int64("real_tokens", r.realTokens);
        in.measurement("baseline", r.baseline);
        in.measurement("candidate", r.candidate);
        // Speedup and memory saved follow from the latencies; a value that differs was recorded by an
        // imported file (the old script's CSV rounds latencies, not its percentages): kept as written.
        double speedup = std::nan(""), memSaved = std::nan("");
        in.number("speedup_pct", speedup);
        in.number("mem_saved_pct", memSaved);
        if (std::isfinite(speedup) && speedup != r.speedupPercent()) r.recordedSpeedupPct = speedup;
        if (std::isfinite(memSaved) && memSaved != r.memorySavedPercent()) r.recordedMemSavedPct = memSaved;
        in.number("max_abs_error", r.maxAbsError);
        in.number("rel_error", r.relError);
        {
            const auto st = parseRowStatus(in.raw("status"));
            if (!st) in.fail("status", "unknown status " + in.quoted("status") + " (allowed: ok, oom, error, cancelled)");
            r.status = *st;
        }
        in.str("message", r.message);
        csv::readMeasurementProfileFields([&](const std::string& col) { return in.has(col) ? &in.raw(col) : nullptr; },
                               [&](const std::string& col, const std::string& what) { in.fail(col, what); }, r);
        if (in.has("gpu_index") && !in.raw("gpu_index").empty()) in.int32("gpu_index", r.gpu.index);
        in.str("gpu_name", r.gpu.name);
        in.str("gpu_uuid", r.gpu.uuid);
        in.str("model", r.cell.model);
        in.number("speedup_lo_pct", r.speedupCiPct.lo);
        in.number("speedup_hi_pct", r.speedupCiPct.hi);
        if (in.has("verdict")) {
            const auto v = parseVerdict(in.raw("verdict"));
            if (!v) in.fail("verdict", "unknown verdict " + in.quoted("verdict") + " (allowed: same, faster, slower, or empty)");
            r.verdict = *v;
        }
        in.str("timing", r.timing);
        if (in.has("batching") && !in.raw("batching").empty()) {
            const auto b = parseBatching(in.raw("batching"));
            if (!b) in.fail("batching", "unknown batching policy " + in.quoted("batching") + " (allowed: random, sorted, or empty)");
            r.cell.batching = *b;
        }
        if (in.has("realised_pad") && !in.raw("realised_pad").empty()) in.number("realised_pad", r.realisedPad);
        if (in.has("workload_rows") && !in.raw("workload_rows").empty()) in.int32("workload_rows", r.workloadRows);
        if (in.has("truncated_rows") && !in.raw("truncated_rows").empty()) in.int32("truncated_rows", r.truncatedRows);
        if (in.has("task_agreement_pct") && !in.raw("task_agreement_pct").empty())
            in.number("task_agreement_pct", r.taskAgreementPct);
        run.rows.push_back(std::move(r));
    }
    run.spec = csv::specFromRows(run.rows, dtype);
    run.environment.source = "native-csv:" + csv::baseName(sourceName);
    return run;
}

void writeNativeCsv(const Run& run, const std::string& path) {
    writeFileAtomic(path, runToNativeCsv(run));
}

} // namespace bertbench

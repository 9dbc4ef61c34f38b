#include "core/results/MeasurementProfileCsv.h"

#include <limits>
#include <stdexcept>

#include "core/results/Csv.h"

namespace bertbench::csv {

namespace {

const char* const kSides[] = {"baseline", "candidate"};
const char* const kNotRecorded = "not recorded";

std::string boolText(bool b) { return b ? "true" : "false"; }

// Typed reads of one optional column; empty text = absent value.
class Fields {
public:
    Fields(const FieldLookup& lookup, const FieldFail& fail) : lookup_(lookup), fail_(fail) {}

    const std::string* raw(const std::string& col) const { return lookup_(col); }
    bool present(const std::string& col) const {
        const std::string* s = raw(col);
        return s != nullptr && !s->empty();
    }
    void number(const std::string& col, double& out) const {
        if (!present(col)) return;
        const auto v = parseDouble(*raw(col));
        if (!v) failWith(col, "expected a number, got \"" + *raw(col) + "\"");
        out = *v;
    }
    void integer(const std::string& col, int& out) const {
        if (!present(col)) return;
        const auto v = parseInt(*raw(col));
        if (!v || *v < 0 || *v > std::numeric_limits<int>::max())
            failWith(col, "expected a count (integer >= 0), got \"" + *raw(col) + "\"");
        out = int(*v);
    }
    void boolean(const std::string& col, bool& out) const {
        if (!present(col)) return;
        const std::string& s = *raw(col);
        if (s == "true" || s == "True" || s == "TRUE") out = true;
        else if (s == "false" || s == "False" || s == "FALSE") out = false;
        else failWith(col, "expected true or false, got \"" + s + "\"");
    }
    void text(const std::string& col, std::string& out) const {
        if (const std::string* s = raw(col)) out = *s;
    }

private:
    [[noreturn]] void failWith(const std::string& col, const std::string& what) const {
        fail_(col, what);
        throw std::logic_error("FieldFail returned for column " + col);   // fail_ must throw
    }
    const FieldLookup& lookup_;
    const FieldFail& fail_;
};

void appendSide(std::vector<std::string>& f, const Measurement& m) {
    const OpBreakdown* b = m.breakdown && m.breakdown->measured() ? &*m.breakdown : nullptr;
    for (OpCategory c : allOpCategories()) {
        const OpPart* p = b ? b->part(c) : nullptr;
        f.push_back(p ? shortest(p->ms) : "");
        f.push_back(p ? std::to_string(p->calls) : "");
    }
    f.push_back(b ? shortest(b->sumMs) : "");
    f.push_back(b ? shortest(b->otherMs()) : "");
    f.push_back(m.breakdown ? m.breakdown->note : "");

    const Efficiency& e = m.efficiency;
    const bool eff = e.recorded;
    f.push_back(eff ? shortest(e.flopsReal) : "");
    f.push_back(eff ? shortest(e.flopsPadded) : "");
    f.push_back(eff ? shortest(e.achievedTflops) : "");
    f.push_back(eff ? shortest(e.tokensPerS) : "");
    f.push_back(eff ? shortest(e.pctOfPeak) : "");
    f.push_back(e.note);

    const Energy& j = m.energy;
    f.push_back(boolText(j.available));
    f.push_back(shortest(j.joulesPerForward));
    f.push_back(shortest(j.joulesPer1kTokens));
    f.push_back(shortest(j.meanPowerW));
    f.push_back(shortest(j.smClockStartMhz));
    f.push_back(shortest(j.smClockEndMhz));
    f.push_back(shortest(j.tempStartC));
    f.push_back(shortest(j.tempEndC));
    f.push_back(shortest(j.timedWindowMs));
    f.push_back(std::to_string(j.forwardsInWindow));
    f.push_back(boolText(j.windowExtended));
    f.push_back(boolText(j.throttled));
    f.push_back(j.note);
}

void readSide(const Fields& in, const std::string& s, Measurement& m) {
    // Breakdown: numbers present → measured; only a note → not available; nothing → not recorded.
    bool anyPart = false;
    OpBreakdown b = emptyBreakdown();
    for (OpCategory c : allOpCategories()) {
        const std::string name = categoryName(c);
        if (!in.present(s + "_ms_" + name)) continue;
        anyPart = true;
        for (OpPart& p : b.parts) {
            if (p.category != name) continue;
            in.number(s + "_ms_" + name, p.ms);
            in.integer(s + "_calls_" + name, p.calls);
        }
    }
    std::string note;
    in.text(s + "_breakdown_note", note);
    if (anyPart) {
        b.note = note;
        finishBreakdown(b, m.latency.medianMs);
        m.breakdown = b;
    } else if (!note.empty()) {
        OpBreakdown u;
        u.note = note;
        m.breakdown = u;
    }

    if (in.raw(s + "_flops_real") == nullptr) {
        m.efficiency.note = kNotRecorded;
    } else {
        Efficiency& e = m.efficiency;
        e.recorded = in.present(s + "_flops_real");
        in.number(s + "_flops_real", e.flopsReal);
        in.number(s + "_flops_padded", e.flopsPadded);
        in.number(s + "_tflops", e.achievedTflops);
        in.number(s + "_tokens_per_s", e.tokensPerS);
        in.number(s + "_pct_peak", e.pctOfPeak);
        in.text(s + "_efficiency_note", e.note);
    }

    if (in.raw(s + "_energy_available") == nullptr) {
        m.energy.note = kNotRecorded;
        return;
    }
    Energy& j = m.energy;
    in.boolean(s + "_energy_available", j.available);
    in.number(s + "_j_per_forward", j.joulesPerForward);
    in.number(s + "_j_per_1k_tokens", j.joulesPer1kTokens);
    in.number(s + "_power_w", j.meanPowerW);
    in.number(s + "_sm_clock_start_mhz", j.smClockStartMhz);
    in.number(s + "_sm_clock_end_mhz", j.smClockEndMhz);
    in.number(s + "_temp_start_c", j.tempStartC);
    in.number(s + "_temp_end_c", j.tempEndC);
    in.number(s + "_energy_window_ms", j.timedWindowMs);
    in.integer(s + "_energy_forwards", j.forwardsInWindow);
    in.boolean(s + "_window_extended", j.windowExtended);
    in.boolean(s + "_throttled", j.throttled);
    in.text(s + "_energy_note", j.note);
}

} // namespace

void appendMeasurementProfileColumns(std::vector<std::string>& c) {
    for (const char* side : kSides) {
        const std::string s = side;
        for (OpCategory cat : allOpCategories()) {
            c.push_back(s + "_ms_" + categoryName(cat));
            c.push_back(s + "_calls_" + categoryName(cat));
        }
        for (const char* suffix : {"_ms_parts_sum", "_ms_other", "_breakdown_note", "_flops_real", "_flops_padded",
                                   "_tflops", "_tokens_per_s", "_pct_peak", "_efficiency_note", "_energy_available",
                                   "_j_per_forward", "_j_per_1k_tokens", "_power_w", "_sm_clock_start_mhz",
                                   "_sm_clock_end_mhz", "_temp_start_c", "_temp_end_c", "_energy_window_ms",
                                   "_energy_forwards", "_window_extended", "_throttled", "_energy_note"})
            c.push_back(s + suffix);
    }
    c.emplace_back("energy_saved_pct");
}

void appendMeasurementProfileFields(std::vector<std::string>& f, const ResultRow& row) {
    appendSide(f, row.baseline);
    appendSide(f, row.candidate);
    f.push_back(shortest(row.energySavedPercent()));
}

void readMeasurementProfileFields(const FieldLookup& lookup, const FieldFail& fail, ResultRow& row) {
    const Fields in(lookup, fail);
    readSide(in, "baseline", row.baseline);
    readSide(in, "candidate", row.candidate);
    double derived = 0;   // energy saved follows from the two energies: checked, not kept
    in.number("energy_saved_pct", derived);
}

} // namespace bertbench::csv

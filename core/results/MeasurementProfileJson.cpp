// One measurement's breakdown, efficiency and energy in the run file (version 2) and the journal:
//   "breakdown": {"parts": [{"category", "ms", "calls"}...], "sum_ms", "forward_ms", "note"} (absent = not recorded)
//   "efficiency": {"flops_real", "flops_padded", "achieved_tflops", "tokens_per_s", "pct_of_peak", "note"}
//   "energy": {"available", "note", "joules_per_forward", "joules_per_1k_tokens", "mean_power_w",
//              "sm_clock_start_mhz", "sm_clock_end_mhz", "temp_start_c", "temp_end_c",
//              "timed_window_ms", "forwards_in_window", "window_extended", "throttled"}
// A measurement without these keys (a version-1 file) reads as "not recorded".
#include <limits>

#include "core/results/RunJsonValues.h"

namespace bertbench::jsonio {

namespace {

const char* const kNotRecorded = "not recorded";

const Json* member(const Json& obj, const char* key) {
    const auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}
void number(const Json& obj, const std::string& path, const char* key, double& out) {
    if (const Json* p = member(obj, key)) out = readNumber(*p, childPath(path, key));
}
void boolean(const Json& obj, const std::string& path, const char* key, bool& out) {
    if (const Json* p = member(obj, key)) out = readBool(*p, childPath(path, key));
}
void text(const Json& obj, const std::string& path, const char* key, std::string& out) {
    if (const Json* p = member(obj, key)) out = readString(*p, childPath(path, key));
}
int integer(const Json& v, const std::string& path) {
    return static_cast<int>(readInt(v, path, 0, std::numeric_limits<int>::max()));
}

Json breakdownValue(const OpBreakdown& b) {
    Json parts = Json::array();
    for (const OpPart& p : b.parts) {
        Json part = Json::object();
        part["category"] = p.category;
        part["ms"] = numberValue(p.ms);
        part["calls"] = p.calls;
        parts.push_back(std::move(part));
    }
    Json j = Json::object();
    j["parts"] = std::move(parts);
    j["sum_ms"] = numberValue(b.sumMs);
    j["forward_ms"] = numberValue(b.forwardMs);
    j["note"] = b.note;
    return j;
}

OpBreakdown breakdownFromValue(const Json& v, const std::string& path) {
    const Json& obj = expectObject(v, path);
    OpBreakdown b;
    if (const Json* parts = member(obj, "parts")) {
        const std::string partsPath = childPath(path, "parts");
        const Json& arr = expectArray(*parts, partsPath);
        for (size_t i = 0; i < arr.size(); ++i) {
            const std::string p = indexPath(partsPath, i);
            const Json& part = expectObject(arr[i], p);
            OpPart op;
            const Json* category = member(part, "category");
            if (!category) throw FieldError{childPath(p, "category"), "required field is missing"};
            op.category = readString(*category, childPath(p, "category"));
            number(part, p, "ms", op.ms);
            if (const Json* c = member(part, "calls")) op.calls = integer(*c, childPath(p, "calls"));
            b.parts.push_back(std::move(op));
        }
    }
    number(obj, path, "sum_ms", b.sumMs);
    number(obj, path, "forward_ms", b.forwardMs);
    text(obj, path, "note", b.note);
    return b;
}

Json efficiencyValue(const Efficiency& e) {
    Json j = Json::object();
    j["recorded"] = e.recorded;
    j["flops_real"] = numberValue(e.flopsReal);
    j["flops_padded"] = numberValue(e.flopsPadded);
    j["achieved_tflops"] = numberValue(e.achievedTflops);
    j["tokens_per_s"] = numberValue(e.tokensPerS);
    j["pct_of_peak"] = numberValue(e.pctOfPeak);
    j["note"] = e.note;
    return j;
}

Efficiency efficiencyFromValue(const Json& v, const std::string& path) {
    const Json& obj = expectObject(v, path);
    Efficiency e;
    e.recorded = true;
    boolean(obj, path, "recorded", e.recorded);
    number(obj, path, "flops_real", e.flopsReal);
    number(obj, path, "flops_padded", e.flopsPadded);
    number(obj, path, "achieved_tflops", e.achievedTflops);
    number(obj, path, "tokens_per_s", e.tokensPerS);
    number(obj, path, "pct_of_peak", e.pctOfPeak);
    text(obj, path, "note", e.note);
    return e;
}

Json energyValue(const Energy& e) {
    Json j = Json::object();
    j["available"] = e.available;
    j["note"] = e.note;
    j["joules_per_forward"] = numberValue(e.joulesPerForward);
    j["joules_per_1k_tokens"] = numberValue(e.joulesPer1kTokens);
    j["mean_power_w"] = numberValue(e.meanPowerW);
    j["sm_clock_start_mhz"] = numberValue(e.smClockStartMhz);
    j["sm_clock_end_mhz"] = numberValue(e.smClockEndMhz);
    j["temp_start_c"] = numberValue(e.tempStartC);
    j["temp_end_c"] = numberValue(e.tempEndC);
    j["timed_window_ms"] = numberValue(e.timedWindowMs);
    j["forwards_in_window"] = e.forwardsInWindow;
    j["window_extended"] = e.windowExtended;
    j["throttled"] = e.throttled;
    return j;
}

Energy energyFromValue(const Json& v, const std::string& path) {
    const Json& obj = expectObject(v, path);
    Energy e;
    boolean(obj, path, "available", e.available);
    text(obj, path, "note", e.note);
    number(obj, path, "joules_per_forward", e.joulesPerForward);
    number(obj, path, "joules_per_1k_tokens", e.joulesPer1kTokens);
    number(obj, path, "mean_power_w", e.meanPowerW);
    number(obj, path, "sm_clock_start_mhz", e.smClockStartMhz);
    number(obj, path, "sm_clock_end_mhz", e.smClockEndMhz);
    number(obj, path, "temp_start_c", e.tempStartC);
    number(obj, path, "temp_end_c", e.tempEndC);
    number(obj, path, "timed_window_ms", e.timedWindowMs);
    if (const Json* f = member(obj, "forwards_in_window")) e.forwardsInWindow = integer(*f, childPath(path, "forwards_in_window"));
    boolean(obj, path, "window_extended", e.windowExtended);
    boolean(obj, path, "throttled", e.throttled);
    return e;
}

} // namespace

void writeMeasurementProfile(Json& measurement, const Measurement& m) {
    if (m.breakdown) measurement["breakdown"] = breakdownValue(*m.breakdown);
    measurement["efficiency"] = efficiencyValue(m.efficiency);
    measurement["energy"] = energyValue(m.energy);
}

void readMeasurementProfile(const Json& measurement, const std::string& path, Measurement& m) {
    if (const Json* b = member(measurement, "breakdown"); b && !b->is_null())
        m.breakdown = breakdownFromValue(*b, childPath(path, "breakdown"));
    if (const Json* e = member(measurement, "efficiency")) {
        m.efficiency = efficiencyFromValue(*e, childPath(path, "efficiency"));
    } else {
        m.efficiency.recorded = false;
        m.efficiency.note = kNotRecorded;
    }
    if (const Json* e = member(measurement, "energy")) {
        m.energy = energyFromValue(*e, childPath(path, "energy"));
    } else {
        m.energy.available = false;
        m.energy.note = kNotRecorded;
    }
}

} // namespace bertbench::jsonio

#include "app/cli/MeasurementProfileTables.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "app/cli/CliSupport.h"
#include "app/cli/RunSummary.h"
#include "app/cli/TextTable.h"

namespace bertbench::cli {

namespace {

struct Entry {
    const ResultRow* row;
    const Measurement* m;
    bool isBaseline;
};

// Every ok row's candidate, and its cell's baseline once (it is repeated in each candidate row).
std::vector<Entry> measuredEntries(const Run& run) {
    std::vector<Entry> out;
    std::set<std::tuple<int, int, int, double, std::string>> seenBaselines;
    for (const ResultRow& r : run.rows) {
        if (r.status != RowStatus::Ok) continue;
        const auto key = std::make_tuple(int(r.cell.task), r.cell.batchSize, r.cell.seqLen, r.cell.pad, r.baseline.backend);
        if (seenBaselines.insert(key).second) out.push_back({&r, &r.baseline, true});
        out.push_back({&r, &r.candidate, false});
    }
    return out;
}

std::string orDash(double v, int decimals) { return v >= 0 && std::isfinite(v) ? fixed(v, decimals) : "-"; }

std::string compact(double v) {
    if (!(v >= 0) || !std::isfinite(v)) return "-";
    char buf[32];
    if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
    else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
    else std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}

std::string clockText(const Energy& e) {
    if (!(e.smClockStartMhz > 0) && !(e.smClockEndMhz > 0)) return "-";
    return orDash(e.smClockStartMhz, 0) + "->" + orDash(e.smClockEndMhz, 0);
}

} // namespace

std::string gemmProbeLine(const Run& run) {
    const Environment& env = run.environment;
    if (env.gemmPeakTflops > 0)
        return "GEMM probe: " + fixed(env.gemmPeakTflops, 1) + " TFLOP/s attainable (" + env.gemmProbeNote + ")\n";
    if (!env.gemmProbeNote.empty()) return "GEMM probe: not available (" + env.gemmProbeNote + ")\n";
    return {};
}

std::string efficiencyTable(const Run& run) {
    using A = TextTable::Align;
    TextTable table({{"task", A::Left},
                     {"cell", A::Left},
                     {"backend", A::Left},
                     {"median ms", A::Right},
                     {"TFLOP/s", A::Right},
                     {"% peak", A::Right},
                     {"tokens/s", A::Right},
                     {"J/1k tok", A::Right},
                     {"W", A::Right},
                     {"SM MHz", A::Right},
                     {"throttled", A::Left},
                     {"energy saved", A::Right}});
    bool any = false;
    std::string notes;
    std::set<std::string> seenNotes;
    const bool withModel = hasSeveralModels(run);
    for (const Entry& e : measuredEntries(run)) {
        const Efficiency& eff = e.m->efficiency;
        const Energy& en = e.m->energy;
        if (!eff.recorded) continue;   // version-1 files and old CSVs: nothing to show
        any = true;
        if (!en.available && !en.note.empty() && seenNotes.insert(en.note).second) notes += "  energy: " + en.note + "\n";
        if (eff.pctOfPeak < 0 && !eff.note.empty() && seenNotes.insert(eff.note).second) notes += "  % peak: " + eff.note + "\n";
        const double saved = e.isBaseline ? std::nan("") : e.row->energySavedPercent();
        table.addRow({taskText(e.row->cell, withModel), cellLabel(e.row->cell), e.m->backend,
                      fixed(e.m->latency.medianMs, 3), orDash(eff.achievedTflops, 2), orDash(eff.pctOfPeak, 1),
                      compact(eff.tokensPerS), en.available ? fixed(en.joulesPer1kTokens, 3) : "-",
                      en.available ? fixed(en.meanPowerW, 0) : "-", clockText(en),
                      en.available ? (en.throttled ? "THROTTLED" : "no") + std::string(en.windowExtended ? " (ext)" : "")
                                   : "-",
                      e.isBaseline ? "baseline" : signedPercent(saved)});
    }
    if (!any) return {};
    std::string out = table.str();
    out += "(ext) = the energy window was extended past the timed forwards to " + fixed(kMinEnergyWindowMs, 0) +
           " ms; J/1k tok counts real tokens\n";
    if (!notes.empty()) out += "Not available:\n" + notes;
    return out;
}

std::string breakdownTable(const Run& run) {
    using A = TextTable::Align;
    std::vector<TextTable::Column> columns{{"task", A::Left}, {"cell", A::Left}, {"backend", A::Left},
                                           {"median ms", A::Right}, {"parts ms", A::Right}, {"parts/median", A::Right},
                                           {"other ms", A::Right}};
    for (OpCategory c : allOpCategories()) columns.push_back({categoryShortLabel(c), A::Right});
    TextTable table(columns);
    bool any = false;
    std::string notes;
    std::set<std::string> seenNotes;
    const bool withModel = hasSeveralModels(run);
    for (const Entry& e : measuredEntries(run)) {
        if (!e.m->breakdown) continue;
        const OpBreakdown& b = *e.m->breakdown;
        if (!b.measured()) {
            if (!b.note.empty() && seenNotes.insert(e.m->backend + ": " + b.note).second)
                notes += "  " + e.m->backend + ": " + b.note + "\n";
            continue;
        }
        any = true;
        std::vector<std::string> cells{taskText(e.row->cell, withModel), cellLabel(e.row->cell), e.m->backend,
                                       fixed(b.forwardMs, 3), fixed(b.sumMs, 3),
                                       b.forwardMs > 0 ? fixed(b.sumMs / b.forwardMs * 100, 1) + "%" : "-",
                                       fixed(b.otherMs(), 3)};
        for (OpCategory c : allOpCategories()) {
            const OpPart* p = b.part(c);
            cells.push_back(p && p->calls > 0 ? fixed(p->ms, 3) : "-");
        }
        table.addRow(cells);
    }
    if (!any && notes.empty()) return {};
    std::string out = any ? table.str() : std::string();
    if (any)
        out += "Parts from one separate profiling forward (per-op events / steady clock); median from the timed\n"
               "forwards; other = median - parts (launch overhead, gaps).\n";
    if (!notes.empty()) out += "Not available:\n" + notes;
    return out;
}

} // namespace bertbench::cli

#include "app/cli/WorkloadTables.h"

#include <cmath>
#include <map>
#include <tuple>

#include "app/cli/CliSupport.h"
#include "app/cli/RunSummary.h"
#include "app/cli/TextTable.h"
#include "core/workload/Workload.h"

namespace bertbench::cli {

namespace {

std::string tokensText(double tokensPerS) {
    if (!(tokensPerS > 0) || !std::isfinite(tokensPerS)) return "-";
    if (tokensPerS >= 1e6) return fixed(tokensPerS / 1e6, 2) + "M";
    if (tokensPerS >= 1e3) return fixed(tokensPerS / 1e3, 1) + "k";
    return fixed(tokensPerS, 0);
}

double tokensPerS(const Measurement& m) { return m.efficiency.recorded ? m.efficiency.tokensPerS : -1; }

bool isData(const ResultRow& r) { return r.cell.batching != Batching::None; }

} // namespace

std::string describeWorkloadLine(const Run& run) {
    if (run.workload.recorded()) return describeWorkload(run.workload);
    return run.spec.workload.file.empty() ? std::string("the workload file is not recorded") : run.spec.workload.file;
}

std::string workloadTable(const Run& run) {
    using A = TextTable::Align;
    TextTable table({{"task", A::Left},
                     {"batch", A::Right},
                     {"seq", A::Right},
                     {"batching", A::Left},
                     {"real tok/batch", A::Right},
                     {"pad", A::Right},
                     {"truncated", A::Right},
                     {"backend", A::Left},
                     {"ms/batch", A::Right},
                     {"tokens/s", A::Right},
                     {"vs baseline", A::Right}});
    const bool withModel = hasSeveralModels(run);
    bool any = false;
    const ResultRow* lastCellRow = nullptr;
    for (const ResultRow& r : run.rows) {
        if (!isData(r)) continue;
        any = true;
        const bool newCell = lastCellRow == nullptr || !(lastCellRow->cell == r.cell);
        const std::string truncated =
            r.workloadRows > 0 ? fixed(100.0 * r.truncatedRows / r.workloadRows, 1) + "%" : std::string("-");
        auto addLine = [&](const Measurement& m, bool baseline) {
            const bool ok = r.status == RowStatus::Ok || (baseline && m.latency.samples > 0);
            const double base = tokensPerS(r.baseline), own = tokensPerS(m);
            table.addRow({taskText(r.cell, withModel), std::to_string(r.cell.batchSize), std::to_string(r.cell.seqLen),
                          toString(r.cell.batching), std::to_string(r.realTokens),
                          std::isfinite(r.realisedPad) ? fixed(r.realisedPad, 3) : "-", truncated, m.backend,
                          ok ? fixed(m.latency.medianMs, 3) : "-", ok ? tokensText(own) : "-",
                          baseline ? "baseline"
                                   : (ok && base > 0 && own > 0 ? signedPercent((own / base - 1) * 100) : toString(r.status))});
        };
        if (newCell) addLine(r.baseline, true);
        addLine(r.candidate, false);
        lastCellRow = &r;
    }
    if (!any) return {};
    std::string out = table.str();
    out += "Per batch: each timed forward ran every batch of the cell; ms/batch is the median of their means,\n"
           "tokens/s = real tokens per batch / ms per batch; pad = 1 - real tokens / padded positions (each\n"
           "batch padded to its longest row); truncated = rows longer than seq, cut to it.\n";
    return out;
}

std::string batchingComparisonTable(const Run& run) {
    // (model, task, batch, seq, backend) -> tokens/s per policy
    using Key = std::tuple<std::string, int, int, int, std::string>;
    std::map<Key, std::pair<double, double>> rates;
    std::vector<Key> order;
    auto note = [&](const ResultRow& r, const Measurement& m) {
        if (r.status != RowStatus::Ok && &m != &r.baseline) return;
        const Key k{r.cell.model, int(r.cell.task), r.cell.batchSize, r.cell.seqLen, m.backend};
        auto [it, fresh] = rates.emplace(k, std::make_pair(-1.0, -1.0));
        if (fresh) order.push_back(k);
        (r.cell.batching == Batching::Random ? it->second.first : it->second.second) = tokensPerS(m);
    };
    for (const ResultRow& r : run.rows) {
        if (!isData(r)) continue;
        note(r, r.baseline);
        note(r, r.candidate);
    }
    using A = TextTable::Align;
    TextTable table({{"task", A::Left},
                     {"batch", A::Right},
                     {"seq", A::Right},
                     {"backend", A::Left},
                     {"tokens/s random", A::Right},
                     {"tokens/s sorted", A::Right},
                     {"sorted gain", A::Right}});
    const bool withModel = hasSeveralModels(run);
    bool any = false;
    for (const Key& k : order) {
        const auto& [random, sorted] = rates[k];
        if (!(random > 0) || !(sorted > 0)) continue;
        any = true;
        Cell c;
        c.model = std::get<0>(k);
        c.task = Task(std::get<1>(k));
        table.addRow({taskText(c, withModel), std::to_string(std::get<2>(k)), std::to_string(std::get<3>(k)),
                      std::get<4>(k), tokensText(random), tokensText(sorted), signedPercent((sorted / random - 1) * 100)});
    }
    return any ? table.str() : std::string();
}

} // namespace bertbench::cli

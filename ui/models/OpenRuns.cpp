#include "ui/models/OpenRuns.h"

#include <QFileInfo>
#include <algorithm>
#include <set>

#include "core/results/RunFiles.h"
#include "ui/models/RowText.h"

namespace bertbench::ui {
namespace {

using Pair = std::pair<Task, std::string>;

std::set<Pair> pairsOf(const Run& run) {
    std::set<Pair> pairs;
    for (const ResultRow& row : run.rows) pairs.insert({row.cell.task, row.candidate.backend});
    if (run.rows.empty())
        for (Task t : run.spec.tasks)
            for (const std::string& c : run.spec.candidates) pairs.insert({t, c});
    return pairs;
}

template <typename T>
void unite(std::vector<T>& into, const std::vector<T>& from) {
    for (const T& v : from)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

bool fits(const Run& a, const Run& b) {
    if (a.spec.baseline != b.spec.baseline || a.spec.baselineDType != b.spec.baselineDType) return false;
    const std::set<Pair> pa = pairsOf(a), pb = pairsOf(b);
    for (const Pair& p : pb)
        if (pa.count(p)) return false;
    return true;
}

void mergeInto(OpenedRun& into, OpenedRun&& from) {
    SweepSpec& s = into.run.spec;
    const SweepSpec& f = from.run.spec;
    unite(s.tasks, f.tasks);
    unite(s.candidates, f.candidates);
    unite(s.batchSizes, f.batchSizes);
    unite(s.seqLens, f.seqLens);
    unite(s.pads, f.pads);
    std::sort(s.batchSizes.begin(), s.batchSizes.end());
    std::sort(s.seqLens.begin(), s.seqLens.end());
    std::sort(s.pads.begin(), s.pads.end());
    for (ResultRow& row : from.run.rows) into.run.rows.push_back(std::move(row));
    if (!from.run.environment.source.empty())
        into.run.environment.source += "; " + from.run.environment.source;
    into.paths += from.paths;
    into.title += QStringLiteral(" + ") + from.title;
}

} // namespace

std::vector<OpenedRun> openRunFiles(const QStringList& paths, QStringList* errors) {
    std::vector<OpenedRun> runs;
    for (const QString& path : paths) {
        try {
            OpenedRun opened;
            opened.run = readRunFile(path.toStdString());
            opened.paths = QStringList{path};
            opened.title = QFileInfo(path).completeBaseName();
            runs.push_back(std::move(opened));
        } catch (const std::exception& e) {
            if (errors) errors->push_back(QFileInfo(path).fileName() + QStringLiteral(": ") + qstr(e.what()));
        }
    }
    std::vector<OpenedRun> groups = mergeCompatible(std::move(runs));
    // Its torch:* rows are HuggingFace transformers measurements from the old script, not ours:
    // the tab and Compare's run list say so.
    for (OpenedRun& g : groups)
        if (isFromSeedCsv(g.run)) g.title += QStringLiteral(" (the old script's CSV)");
    return groups;
}

std::vector<OpenedRun> mergeCompatible(std::vector<OpenedRun> runs) {
    std::vector<OpenedRun> groups;
    for (OpenedRun& r : runs) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const OpenedRun& g) { return fits(g.run, r.run); });
        if (it == groups.end()) groups.push_back(std::move(r));
        else mergeInto(*it, std::move(r));
    }
    return groups;
}

} // namespace bertbench::ui

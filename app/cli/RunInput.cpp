#include "app/cli/RunInput.h"

#include <algorithm>
#include <filesystem>

#include "core/results/RunFiles.h"
#include "core/util/Errors.h"

namespace bertbench::cli {

namespace fs = std::filesystem;

namespace {

template <typename T>
void addMissing(std::vector<T>& into, const std::vector<T>& from) {
    for (const T& v : from)
        if (std::find(into.begin(), into.end(), v) == into.end()) into.push_back(v);
}

} // namespace

Run mergeRuns(const std::vector<Run>& runs) {
    if (runs.empty()) return Run{};
    Run merged = runs.front();
    for (size_t i = 1; i < runs.size(); ++i) {
        const Run& r = runs[i];
        addMissing(merged.spec.tasks, r.spec.tasks);
        addMissing(merged.spec.candidates, r.spec.candidates);
        addMissing(merged.spec.batchSizes, r.spec.batchSizes);
        addMissing(merged.spec.seqLens, r.spec.seqLens);
        addMissing(merged.spec.pads, r.spec.pads);
        merged.rows.insert(merged.rows.end(), r.rows.begin(), r.rows.end());
        if (merged.environment.source != r.environment.source) merged.environment.source += ", " + r.environment.source;
    }
    std::sort(merged.spec.batchSizes.begin(), merged.spec.batchSizes.end());
    std::sort(merged.spec.seqLens.begin(), merged.spec.seqLens.end());
    std::sort(merged.spec.pads.begin(), merged.spec.pads.end());
    return merged;
}

Run loadRunInput(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw InputError("'" + path + "' does not exist");
    if (!fs::is_directory(path, ec)) return readRunFile(path);

    const fs::path runJson = fs::path(path) / "run.json";
    if (fs::is_regular_file(runJson, ec)) return readRunFile(runJson.string());

    std::vector<std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file(ec) && (ext == ".csv" || ext == ".json")) files.push_back(entry.path().string());
    }
    if (ec) throw InputError("cannot list folder '" + path + "': " + ec.message());
    if (files.empty()) throw InputError("folder '" + path + "' holds no run.json and no .csv/.json run files");
    std::sort(files.begin(), files.end());
    std::vector<Run> runs;
    for (const std::string& file : files) runs.push_back(readRunFile(file));
    return mergeRuns(runs);
}

} // namespace bertbench::cli

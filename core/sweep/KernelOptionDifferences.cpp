#include "core/sweep/KernelOptionDifferences.h"

#include <algorithm>
#include <map>
#include <set>

namespace bertbench {

namespace {

const std::string* valueOf(const std::vector<KernelOption>& options, const std::string& name) {
    for (const KernelOption& o : options)
        if (o.name == name) return &o.value;
    return nullptr;
}

} // namespace

std::vector<KernelOptionDifference> kernelOptionDifferences(const std::vector<const Environment*>& runs) {
    std::set<std::string> backends;
    for (const Environment* env : runs)
        for (const auto& [backend, options] : env->kernelOptions) backends.insert(backend);

    std::vector<KernelOptionDifference> out;
    for (const std::string& backend : backends) {
        std::vector<std::pair<size_t, const std::vector<KernelOption>*>> recorded;
        for (size_t i = 0; i < runs.size(); ++i)
            if (const auto it = runs[i]->kernelOptions.find(backend); it != runs[i]->kernelOptions.end())
                recorded.emplace_back(i, &it->second);
        if (recorded.size() < 2) continue;
        std::vector<std::string> names;   // every option any of them has, first-seen order
        for (const auto& [index, options] : recorded)
            for (const KernelOption& o : *options)
                if (std::find(names.begin(), names.end(), o.name) == names.end()) names.push_back(o.name);
        for (const std::string& name : names) {
            KernelOptionDifference d{backend, name, {}};
            for (const auto& [index, options] : recorded) {
                const std::string* v = valueOf(*options, name);
                d.values.emplace_back(index, v ? *v : std::string("(not set)"));
            }
            const bool same = std::all_of(d.values.begin(), d.values.end(),
                                          [&](const auto& v) { return v.second == d.values.front().second; });
            if (!same) out.push_back(std::move(d));
        }
    }
    return out;
}

} // namespace bertbench

#include "core/results/KernelOptionsJson.h"

namespace bertbench::jsonio {

Json kernelOptionsValue(const KernelOptionsByBackend& options) {
    Json all = Json::object();
    for (const auto& [backend, list] : options) {
        Json one = Json::object();
        for (const KernelOption& o : list) one[o.name] = o.value;
        all[backend] = std::move(one);
    }
    return all;
}

KernelOptionsByBackend kernelOptionsFromValue(const Json& v, const std::string& path) {
    KernelOptionsByBackend out;
    for (const auto& [backend, list] : expectObject(v, path).items()) {
        if (backend.empty()) throw FieldError{path, "a backend name is empty"};
        const std::string backendPath = childPath(path, backend);
        std::vector<KernelOption>& options = out[backend];
        for (const auto& [name, value] : expectObject(list, backendPath).items()) {
            if (name.empty()) throw FieldError{backendPath, "an option name is empty"};
            options.push_back({name, readString(value, childPath(backendPath, name))});
        }
    }
    return out;
}

} // namespace bertbench::jsonio

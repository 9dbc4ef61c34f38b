#include <stdexcept>

#include "core/backend/Backend.h"

namespace bertbench {

void BackendRegistry::add(BackendInfo info) {
    if (find(info.name) != nullptr) throw std::logic_error("backend registered twice: " + info.name);
    backends_.push_back(std::move(info));
}

const BackendInfo* BackendRegistry::find(const std::string& name) const {
    for (const BackendInfo& info : backends_)
        if (info.name == name) return &info;
    return nullptr;
}

std::vector<std::string> BackendRegistry::names() const {
    std::vector<std::string> out;
    out.reserve(backends_.size());
    for (const BackendInfo& info : backends_) out.push_back(info.name);
    return out;
}

} // namespace bertbench

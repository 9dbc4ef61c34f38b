#include "core/profile/ScopeTimer.h"

namespace bertbench {

void ScopeTimer::begin(const char* category) {
    ScopeRecord r;
    r.category = category;
    r.parent = open_.empty() ? -1 : open_.back();
    records_.push_back(std::move(r));
    open_.push_back(int(records_.size()) - 1);
    starts_.push_back(Clock::now());
}

void ScopeTimer::end() {
    const auto now = Clock::now();
    if (open_.empty()) return;
    const int index = open_.back();
    open_.pop_back();
    records_[size_t(index)].ms = std::chrono::duration<double, std::milli>(now - starts_[size_t(index)]).count();
}

void ScopeTimer::clear() {
    records_.clear();
    starts_.clear();
    open_.clear();
}

} // namespace bertbench

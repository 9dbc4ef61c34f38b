#pragma once
// Steady-clock scopes for the CPU backends' profiling forward: the CPU twin of
// kernels/runtime/OpProfiler. Scopes nest; a null timer costs one branch.
#include <chrono>
#include <vector>

#include "core/profile/OpCategory.h"

namespace bertbench {

class ScopeTimer {
public:
    void begin(const char* category);
    void end();
    const std::vector<ScopeRecord>& records() const { return records_; }
    void clear();

private:
    using Clock = std::chrono::steady_clock;
    std::vector<ScopeRecord> records_;
    std::vector<Clock::time_point> starts_;   // parallel to records_
    std::vector<int> open_;                   // indices of begun, not yet ended records
};

class TimedScope {
public:
    TimedScope(ScopeTimer* timer, const char* category) : timer_(timer) {
        if (timer_) timer_->begin(category);
    }
    ~TimedScope() {
        if (timer_) timer_->end();
    }
    TimedScope(const TimedScope&) = delete;
    TimedScope& operator=(const TimedScope&) = delete;

private:
    ScopeTimer* timer_;
};

} // namespace bertbench

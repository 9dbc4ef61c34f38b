#include "core/cpu/TrackingAllocator.h"

#include <algorithm>
#include <cstdio>
#include <new>
#include <unistd.h>

#include "core/util/Errors.h"

namespace bertbench::cpu {

namespace {

int64_t physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0) return int64_t(1) << 40;
    return int64_t(pages) * int64_t(pageSize);
}

std::string megabytes(int64_t bytes) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
    return buf;
}

} // namespace

void MemoryTracker::acquire(int64_t bytes, const char* what) {
    static const int64_t guard = physicalMemoryBytes() / 2;
    const int64_t limit = limit_ > 0 ? limit_ : guard;
    if (bytes > limit - current_) {
        throw OutOfMemoryError(owner_ + ": allocating " + megabytes(bytes) + " for " + what + " would hold " +
                               megabytes(current_ + bytes) + ", over the " +
                               (limit_ > 0 ? "memory limit of " + megabytes(limit_)
                                           : "guard of half the machine's memory, " + megabytes(guard)));
    }
    current_ += bytes;
    peak_ = std::max(peak_, current_);
}

void MemoryTracker::release(int64_t bytes) { current_ -= bytes; }

void throwHostAllocationFailed(int64_t bytes, const char* what) {
    throw OutOfMemoryError(std::string("host allocation of ") + megabytes(bytes) + " for " + what + " failed");
}

TrackedBuffer trackedCopy(MemoryTracker& tracker, const float* src, size_t count, const char* what) {
    TrackedBuffer b(tracker, count, what);
    std::copy(src, src + count, b.data());
    return b;
}

} // namespace bertbench::cpu

#pragma once
// The CPU backends' own allocator accounting (peak = weights + activations +
// workspace at the high-water mark, like torch.cuda.max_memory_allocated). Every buffer a
// backend holds is a TrackedBuffer charged to its MemoryTracker.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <utility>

namespace bertbench::cpu {

[[noreturn]] void throwHostAllocationFailed(int64_t bytes, const char* what);

class MemoryTracker {
public:
    explicit MemoryTracker(std::string owner) : owner_(std::move(owner)) {}

    // Throws OutOfMemoryError past the limit (0 = none; then a guard of half the machine's
    // physical memory applies, so a huge cell fails as `oom` instead of swapping the host).
    void acquire(int64_t bytes, const char* what);
    void release(int64_t bytes);

    int64_t currentBytes() const { return current_; }
    int64_t peakBytes() const { return peak_; }
    void resetPeak() { peak_ = current_; }
    void setLimit(int64_t bytes) { limit_ = bytes; }
    int64_t limit() const { return limit_; }

private:
    std::string owner_;
    int64_t current_ = 0;
    int64_t peak_ = 0;
    int64_t limit_ = 0;
};

// An uninitialised array charged to a tracker for its lifetime. Move-only.
template <typename T>
class TrackedArray {
public:
    TrackedArray() = default;
    TrackedArray(MemoryTracker& tracker, size_t count, const char* what) {
        if (count == 0) return;
        const int64_t bytes = int64_t(count * sizeof(T));
        tracker.acquire(bytes, what);
        data_.reset(new (std::nothrow) T[count]);
        if (!data_) {
            tracker.release(bytes);
            throwHostAllocationFailed(bytes, what);
        }
        tracker_ = &tracker;
        count_ = count;
    }
    ~TrackedArray() { reset(); }
    TrackedArray(TrackedArray&& other) noexcept { *this = std::move(other); }
    TrackedArray& operator=(TrackedArray&& other) noexcept {
        if (this != &other) {
            reset();
            tracker_ = std::exchange(other.tracker_, nullptr);
            data_ = std::move(other.data_);
            count_ = std::exchange(other.count_, 0);
        }
        return *this;
    }
    TrackedArray(const TrackedArray&) = delete;
    TrackedArray& operator=(const TrackedArray&) = delete;

    void reset() {
        if (tracker_) tracker_->release(int64_t(count_ * sizeof(T)));
        data_.reset();
        tracker_ = nullptr;
        count_ = 0;
    }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T& operator[](size_t i) { return data_[i]; }
    const T& operator[](size_t i) const { return data_[i]; }
    size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }

private:
    MemoryTracker* tracker_ = nullptr;
    std::unique_ptr<T[]> data_;
    size_t count_ = 0;
};

using TrackedBuffer = TrackedArray<float>;

// Copies `count` floats into a new tracked buffer.
TrackedBuffer trackedCopy(MemoryTracker& tracker, const float* src, size_t count, const char* what);

} // namespace bertbench::cpu

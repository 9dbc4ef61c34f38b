#pragma once
// Device memory for one backend: a process-wide caching pool per GPU, and per-backend
// accounting on top of it (what torch.cuda.max_memory_allocated reports, per backend).
//
// - DevicePool keeps freed blocks and hands them out again (best fit, at most 25% too large),
//   so cells of similar shapes do not pay cudaMalloc/cudaFree. When cudaMalloc fails it empties
//   its cache and tries once more; then it throws OutOfMemoryError.
// - DeviceAllocator counts the bytes its owner holds (weights + activations + workspace),
//   keeps the high-water mark (resettable per cell) and refuses allocations past a limit with
//   OutOfMemoryError, before touching the device.
// - DeviceBuffer is the RAII handle every device allocation lives in.
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace bertbench::cuda {

class DevicePool {
public:
    // The pool of one GPU (process-wide, never destroyed: CUDA may be torn down before statics).
    static DevicePool& forDevice(int device);

    // Returns a block of at least `bytes` (256-byte aligned); *blockBytes receives its real size.
    void* acquire(size_t bytes, size_t* blockBytes);
    void release(void* ptr, size_t blockBytes);
    // cudaFree every cached block (blocks in use stay).
    void emptyCache();
    size_t cachedBytes() const;

private:
    explicit DevicePool(int device) : device_(device) {}
    void freeCachedLocked();

    int device_;
    mutable std::mutex mutex_;
    std::multimap<size_t, void*> cache_;   // block size → pointer
    size_t cachedBytes_ = 0;
};

class DeviceAllocator {
public:
    explicit DeviceAllocator(int device);
    ~DeviceAllocator();
    DeviceAllocator(const DeviceAllocator&) = delete;
    DeviceAllocator& operator=(const DeviceAllocator&) = delete;

    // `what` names the buffer in the out-of-memory message ("scores [B,H,S,S]").
    void* allocate(size_t bytes, const std::string& what);
    void free(void* ptr);

    int device() const { return device_; }
    int64_t currentBytes() const { return current_; }
    int64_t peakBytes() const { return peak_; }
    void resetPeak() { peak_ = current_; }
    // 0 = no limit.
    void setLimit(int64_t bytes) { limit_ = bytes; }
    int64_t limit() const { return limit_; }

    // Bytes accounted for a request: rounded up to 512, as the CUDA caching allocators do.
    static size_t accountedBytes(size_t bytes);

private:
    struct Block {
        size_t accounted = 0;
        size_t blockBytes = 0;
    };
    int device_;
    DevicePool& pool_;
    std::map<void*, Block> live_;
    int64_t current_ = 0;
    int64_t peak_ = 0;
    int64_t limit_ = 0;
};

// Move-only owner of one allocation.
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(DeviceAllocator& allocator, size_t bytes, const std::string& what);
    ~DeviceBuffer() { reset(); }
    DeviceBuffer(DeviceBuffer&& other) noexcept { *this = std::move(other); }
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    void reset();
    void* get() const { return ptr_; }
    template <typename T> T* as() const { return static_cast<T*>(ptr_); }
    size_t bytes() const { return bytes_; }
    explicit operator bool() const { return ptr_ != nullptr; }

private:
    DeviceAllocator* allocator_ = nullptr;
    void* ptr_ = nullptr;
    size_t bytes_ = 0;
};

} // namespace bertbench::cuda

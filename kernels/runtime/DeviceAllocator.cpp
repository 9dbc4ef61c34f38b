#include "kernels/runtime/DeviceAllocator.h"

#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "core/util/Errors.h"
#include "kernels/runtime/CudaCheck.h"

namespace bertbench::cuda {

namespace {

constexpr size_t kSmallRounding = 512;
constexpr size_t kLargeRounding = size_t(2) << 20;   // 2 MiB blocks for large requests
constexpr size_t kLargeThreshold = size_t(1) << 20;

size_t roundUp(size_t value, size_t multiple) { return (value + multiple - 1) / multiple * multiple; }

std::string megabytes(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
    return text;
}

// Selects `device` for the calling thread and restores the previous one on exit.
class DeviceGuard {
public:
    explicit DeviceGuard(int device) {
        BB_CUDA_CHECK(cudaGetDevice(&previous_));
        if (previous_ != device) BB_CUDA_CHECK(cudaSetDevice(device));
        device_ = device;
    }
    ~DeviceGuard() {
        if (previous_ != device_) cudaSetDevice(previous_);
    }
    DeviceGuard(const DeviceGuard&) = delete;
    DeviceGuard& operator=(const DeviceGuard&) = delete;

private:
    int previous_ = 0;
    int device_ = 0;
};

} // namespace

DevicePool& DevicePool::forDevice(int device) {
    static std::mutex registryMutex;
    static auto* pools = new std::map<int, DevicePool*>();
    std::lock_guard<std::mutex> lock(registryMutex);
    DevicePool*& pool = (*pools)[device];
    if (!pool) pool = new DevicePool(device);
    return *pool;
}

void* DevicePool::acquire(size_t bytes, size_t* blockBytes) {
    const size_t want = bytes >= kLargeThreshold ? roundUp(bytes, kLargeRounding) : roundUp(std::max<size_t>(bytes, 1), kSmallRounding);
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.lower_bound(want);
    if (it != cache_.end() && it->first <= want + want / 4) {
        void* ptr = it->second;
        *blockBytes = it->first;
        cachedBytes_ -= it->first;
        cache_.erase(it);
        return ptr;
    }
    DeviceGuard guard(device_);
    void* ptr = nullptr;
    cudaError_t status = cudaMalloc(&ptr, want);
    if (status == cudaErrorMemoryAllocation && !cache_.empty()) {
        cudaGetLastError();
        freeCachedLocked();
        status = cudaMalloc(&ptr, want);
    }
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();   // not sticky: clear it so the next cell runs normally
        size_t freeBytes = 0, totalBytes = 0;
        cudaMemGetInfo(&freeBytes, &totalBytes);
        cudaGetLastError();
        throw OutOfMemoryError("CUDA out of memory: cudaMalloc of " + megabytes(double(want)) + " failed (" +
                               megabytes(double(freeBytes)) + " free of " + megabytes(double(totalBytes)) + ")");
    }
    if (status != cudaSuccess) throwCudaError(status, "cudaMalloc", __FILE__, __LINE__);
    *blockBytes = want;
    return ptr;
}

void DevicePool::release(void* ptr, size_t blockBytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_.emplace(blockBytes, ptr);
    cachedBytes_ += blockBytes;
}

void DevicePool::emptyCache() {
    std::lock_guard<std::mutex> lock(mutex_);
    freeCachedLocked();
}

void DevicePool::freeCachedLocked() {
    DeviceGuard guard(device_);
    for (auto& [size, ptr] : cache_) cudaFree(ptr);   // errors here would only be sticky faults reported elsewhere
    cache_.clear();
    cachedBytes_ = 0;
}

size_t DevicePool::cachedBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cachedBytes_;
}

DeviceAllocator::DeviceAllocator(int device) : device_(device), pool_(DevicePool::forDevice(device)) {}

DeviceAllocator::~DeviceAllocator() {
    for (auto& [ptr, block] : live_) pool_.release(ptr, block.blockBytes);
}

size_t DeviceAllocator::accountedBytes(size_t bytes) { return roundUp(std::max<size_t>(bytes, 1), kSmallRounding); }

void* DeviceAllocator::allocate(size_t bytes, const std::string& what) {
    const size_t accounted = accountedBytes(bytes);
    if (limit_ > 0 && current_ + int64_t(accounted) > limit_) {
        throw OutOfMemoryError("memory limit: " + what + " needs " + megabytes(double(accounted)) + ", " +
                               megabytes(double(current_)) + " already held, limit " + megabytes(double(limit_)));
    }
    size_t blockBytes = 0;
    void* ptr = nullptr;
    try {
        ptr = pool_.acquire(bytes, &blockBytes);
    } catch (const OutOfMemoryError& e) {
        throw OutOfMemoryError(std::string(e.what()) + " while allocating " + what + " (" +
                               megabytes(double(current_)) + " already held by this backend)");
    }
    live_.emplace(ptr, Block{accounted, blockBytes});
    current_ += int64_t(accounted);
    peak_ = std::max(peak_, current_);
    return ptr;
}

void DeviceAllocator::free(void* ptr) {
    if (!ptr) return;
    auto it = live_.find(ptr);
    if (it == live_.end()) return;
    current_ -= int64_t(it->second.accounted);
    pool_.release(ptr, it->second.blockBytes);
    live_.erase(it);
}

DeviceBuffer::DeviceBuffer(DeviceAllocator& allocator, size_t bytes, const std::string& what)
    : allocator_(&allocator), ptr_(allocator.allocate(bytes, what)), bytes_(bytes) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
    if (this != &other) {
        reset();
        allocator_ = std::exchange(other.allocator_, nullptr);
        ptr_ = std::exchange(other.ptr_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
}

void DeviceBuffer::reset() {
    if (ptr_ && allocator_) allocator_->free(ptr_);
    ptr_ = nullptr;
    bytes_ = 0;
    allocator_ = nullptr;
}

} // namespace bertbench::cuda

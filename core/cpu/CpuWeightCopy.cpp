#include "core/cpu/CpuWeightCopy.h"

#include "core/util/Errors.h"

namespace bertbench::cpu {

TrackedBuffer copyWeight(MemoryTracker& tracker, const Tensor& t, int64_t expected, const std::string& what) {
    if (t.numel() != expected) {
        throw BackendError("weights: " + what + " has " + std::to_string(t.numel()) + " values, the config needs " +
                           std::to_string(expected));
    }
    return trackedCopy(tracker, t.ptr(), size_t(t.numel()), "weights");
}

TrackedBuffer copyOptional(MemoryTracker& tracker, const Tensor& t, int64_t expected, const std::string& what) {
    if (t.empty()) return {};
    return copyWeight(tracker, t, expected, what);
}

} // namespace bertbench::cpu

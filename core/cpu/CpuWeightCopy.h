#pragma once
// Weights from a loaded checkpoint into a CPU model's tracked buffers, each checked against the
// size its config implies, so a checkpoint that does not fit its config fails at load, by name.
#include <cstdint>
#include <string>

#include "core/cpu/TrackingAllocator.h"
#include "core/model/Tensor.h"

namespace bertbench::cpu {

// Throws BackendError naming `what` when `t` does not hold `expected` values.
TrackedBuffer copyWeight(MemoryTracker& tracker, const Tensor& t, int64_t expected, const std::string& what);
// A head is optional: empty in the weights stays empty here.
TrackedBuffer copyOptional(MemoryTracker& tracker, const Tensor& t, int64_t expected, const std::string& what);

} // namespace bertbench::cpu

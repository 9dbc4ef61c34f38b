#pragma once
// The GPUs of this machine as BertBench names them, for `run --gpus` and the rows it records.
// Indices are the machine's GPU indices in PCI bus order (nvidia-smi's numbering); a worker
// process is given one GPU with CUDA_DEVICE_ORDER=PCI_BUS_ID and CUDA_VISIBLE_DEVICES=<index>.
// Without CUDA in the build every function answers "no GPU".
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/ResultRow.h"

namespace bertbench::app {

// Every CUDA device this process can see, in PCI bus order, index = position in that order.
std::vector<GpuIdentity> listGpus();

// The device of CUDA ordinal `ordinal` in this process (a worker: 0, its only GPU), recorded
// with `machineIndex` as its index. nullopt without CUDA or without that device.
std::optional<GpuIdentity> visibleGpuIdentity(int ordinal, int machineIndex);

// The GPU the cuda:* backends of this process use (the first of compute capability 8.0+), with
// its machine index taken from CUDA_VISIBLE_DEVICES when that lists indices. nullopt without one.
std::optional<GpuIdentity> cudaBackendGpu();

// "GPU-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809" from the 16 bytes of a CUDA UUID.
std::string formatGpuUuid(const unsigned char (&bytes)[16]);

} // namespace bertbench::app

#pragma once
// `run --gpus LIST`: which worker processes to start and what each may use.
//   "0,1,3"  one worker per listed GPU (the machine's indices, nvidia-smi's numbering)
//   "all"    one worker per GPU of this machine
//   "cpu:N"  N workers for CPU backends, no GPU
// When the sweep has CPU backends every worker is pinned to its own share of this process's
// cores (sched_setaffinity), and its CPU backends use that many threads unless --threads says
// otherwise: workers then never compete for a core, so their timings stay comparable.
#include <string>
#include <vector>

#include "core/sweep/ResultRow.h"

namespace bertbench::cli {

struct WorkerSlot {
    std::string label;            // "gpu1", "cpu0": its folder under the run and its name in messages
    std::string visibleDevices;   // CUDA_VISIBLE_DEVICES for it ("1"); "" hides every GPU
    int gpuIndex = -1;            // the machine's GPU index recorded in its rows; -1 = a CPU worker
    std::vector<int> cpus;        // cores it is pinned to; empty = not pinned
    int threads = 0;              // CPU backend threads; 0 = the library's default
};

struct WorkerRequest {
    std::string gpus;                 // the --gpus value
    bool sweepUsesCuda = false;       // some backend of the sweep is cuda:*
    bool sweepUsesCpu = false;        // some backend of the sweep is cpu:*
    int threads = -1;                 // --threads; -1 = not given
    std::vector<GpuIdentity> machineGpus;   // app::listGpus()
    std::vector<int> allowedCpus;     // the cores this process may run on
};

// Throws UsageError naming --gpus: malformed or repeated indices, a GPU this machine lacks
// (for CUDA sweeps), "all" without GPUs, more CPU workers than cores, cpu:N with a CUDA sweep.
std::vector<WorkerSlot> planWorkers(const WorkerRequest& request);

// The cores this process may run on (sched_getaffinity), ascending.
std::vector<int> allowedCpus();

} // namespace bertbench::cli

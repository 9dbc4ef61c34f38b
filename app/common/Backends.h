#pragma once
// Which backends this build and this machine offer, registered explicitly (DESIGN.md).
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/sweep/Run.h"

namespace bertbench::app {

// CPU backends always; CUDA backends when built with CUDA and a usable GPU (sm_80+) is present.
BackendRegistry makeRegistry();
// currentEnvironment() plus the GPU, driver and CUDA runtime when CUDA is available.
Environment machineEnvironment();
// Lines for `info` (CPU, BLAS threads, GPUs).
std::vector<std::string> machineInfoLines();

} // namespace bertbench::app

#pragma once
// The GPU side of BertBench, as core sees it. No CUDA types in this header.
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/sweep/Run.h"

namespace bertbench {

// Registers cuda:eager (and the fast attention backends when built) if a GPU of compute
// capability >= 8.0 is present; otherwise registers nothing.
void registerCudaBackends(BackendRegistry& registry);
// GPU name, driver and CUDA runtime into env (left empty without a usable GPU).
void fillCudaEnvironment(Environment& env);
// One block per GPU: name, SMs, memory, driver, runtime, compute capability; or why none.
std::vector<std::string> cudaInfoLines();

} // namespace bertbench

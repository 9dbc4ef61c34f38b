#pragma once
// Registers cpu:eager, cpu:sdpa and cpu:flash_attention_2 (fp32 reference BERT).
#include "core/backend/Backend.h"

namespace bertbench {

void registerCpuBackends(BackendRegistry& registry);
// Human-readable CPU + BLAS description ("OpenBLAS 0.3.21, 2 threads").
std::string cpuBlasDescription();
// Threads the CPU backends use (BLAS and attention). 0 = hardware concurrency.
void setCpuThreads(int threads);
int cpuThreads();

} // namespace bertbench

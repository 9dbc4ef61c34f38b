#pragma once
// Registers torch:eager, torch:sdpa, torch:flash_attention_2 and torch:sdpa+compile with the probe's
// verdict: each is listed, with unavailableReason set when this interpreter cannot run it.
#include <string>

#include "core/backend/Backend.h"

namespace bertbench::torch {

struct TorchRegistration {
    std::string python = "python3";   // --python PATH / the GUI's setting
    std::string device;               // "cuda" | "cpu"; empty = cuda when torch sees a GPU, else cpu
    std::string workerScript;         // empty = the embedded worker
    int cpuThreads = 0;               // torch threads on the CPU (0 = torch's default)
};

// The four attentions × compile combinations, in list order.
struct TorchVariant {
    const char* attention;
    bool compile;
};
inline constexpr TorchVariant kTorchVariants[] = {
    {"eager", false}, {"sdpa", false}, {"flash_attention_2", false}, {"sdpa", true}};

void registerTorchBackends(BackendRegistry& registry, const TorchRegistration& options = {});

} // namespace bertbench::torch

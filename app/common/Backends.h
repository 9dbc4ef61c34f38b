#pragma once
// Which backends this build and this machine offer, registered explicitly: no static
// initialisers, so what a binary offers is what app/ names here.
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/sweep/Run.h"

namespace bertbench::app {

struct RegistryOptions {
    // The torch:* backends (HuggingFace transformers in a Python worker): registered with the probe's
    // verdict on `python`, each with its unavailableReason when that interpreter cannot run it.
    // Probing starts Python and imports torch (seconds, once per interpreter and process), so callers
    // that need no torch:* backend turn it off.
    bool torch = true;
    std::string python = "python3";   // --python PATH, the GUI's Python setting
    std::string torchDevice;          // "cpu" | "cuda"; empty = cuda when torch sees a GPU, else cpu
};

// CPU backends always; CUDA backends when built with CUDA and a usable GPU (sm_80+) is present;
// the torch:* backends unless options.torch is false.
BackendRegistry makeRegistry(const RegistryOptions& options = {});
// currentEnvironment() plus the GPU, driver and CUDA runtime when CUDA is available.
Environment machineEnvironment();
// Lines for `info` (CPU, BLAS threads, GPUs, and what `python` offers the torch:* backends).
std::vector<std::string> machineInfoLines(const std::string& python = "python3");
// One line on `python` for the torch:* backends: "python3: Python 3.11.7, torch 2.11.0, transformers
// 5.17.0, CUDA NVIDIA H200, no flash_attn", or why it cannot run them.
std::string torchSummaryLine(const std::string& python);

} // namespace bertbench::app

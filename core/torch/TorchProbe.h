#pragma once
// What a Python interpreter offers the torch:* backends: one `hello` exchange with the worker,
// cached per interpreter path for the life of the process (list-backends, the GUI and a run ask
// the same question; starting Python and importing torch costs seconds).
#include <string>

namespace bertbench::torch {

struct TorchProbeResult {
    std::string python;              // the interpreter as given ("python3", "/opt/venv/bin/python3")
    std::string problem;             // why the worker could not run or answer at all; empty = it answered
    std::string pythonVersion;       // "3.11.7"
    std::string torchVersion;        // empty = no torch
    std::string torchError;          // why `import torch` failed
    std::string transformersVersion; // empty = no transformers
    std::string transformersError;
    bool cudaAvailable = false;      // torch.cuda.is_available()
    std::string cudaDevice;          // "NVIDIA H200"
    std::string flashAttnVersion;    // empty = no flash_attn package
    bool bertSdpa = false, bertFlash = false;   // BertModel's _supports_sdpa / _supports_flash_attn(_2)
    std::string minTorch = "2.0", minTransformers = "4.36";
};

// Runs the probe (no cache). `workerScript` empty = the embedded worker. Never throws: failures
// land in `problem`. timeoutS bounds the whole exchange (a first `import torch` can take long).
TorchProbeResult runTorchProbe(const std::string& python, const std::string& workerScript = "",
                               double timeoutS = 120);
// Cached by (python, workerScript).
const TorchProbeResult& probeTorch(const std::string& python, const std::string& workerScript = "");

// Why a torch backend with this attention ("eager" | "sdpa" | "flash_attention_2") on this
// device ("cuda" | "cpu") cannot run with the probed interpreter; empty = it can.
std::string torchUnavailableReason(const TorchProbeResult& probe, const std::string& attention,
                                   const std::string& device);

// "2.11.0+cu128" >= "2.0"? Compares the leading numeric components.
bool versionAtLeast(const std::string& version, const std::string& minimum);

} // namespace bertbench::torch

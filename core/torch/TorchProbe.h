#pragma once
// What a Python interpreter offers the torch:* backends: one `hello` exchange with the worker,
// cached per interpreter path for the life of the process (list-backends, the GUI and a run ask
// the same question; starting Python and importing torch costs seconds).
#include <map>
#include <string>

namespace bertbench::torch {

// One task class of one architecture as the installed transformers has it (hello's `family`).
struct TorchClassSupport {
    std::string className;              // "RobertaForMaskedLM"
    bool present = false;               // false: the installed transformers has no such class
    bool sdpa = false, flash = false;   // its _supports_sdpa / _supports_flash_attn(_2)
};

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
    // model_type → task name ("mlm") → the class; empty when the worker did not report it (then
    // only BertModel's answers above are known).
    std::map<std::string, std::map<std::string, TorchClassSupport>> family;
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

// The same for one architecture's task: the reason above, or that the installed transformers has
// no class for the task ("transformers 5.17.0 has no ElectraForQuestionAnswering") or that its
// class does not support the attention. model_type bert without a family report falls back on
// BertModel's answers; another model_type without one is taken as runnable (the worker says why
// not when it loads).
std::string torchModelUnavailableReason(const TorchProbeResult& probe, const std::string& attention,
                                        const std::string& device, const std::string& modelType,
                                        const std::string& task);

// "2.11.0+cu128" >= "2.0"? Compares the leading numeric components.
bool versionAtLeast(const std::string& version, const std::string& minimum);

} // namespace bertbench::torch

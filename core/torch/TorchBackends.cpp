#include "core/torch/TorchBackends.h"

#include "core/torch/TorchBackend.h"
#include "core/torch/TorchProbe.h"

namespace bertbench::torch {

void registerTorchBackends(BackendRegistry& registry, const TorchRegistration& options) {
    const TorchProbeResult& probe = probeTorch(options.python, options.workerScript);
    const std::string device = !options.device.empty() ? options.device : (probe.cudaAvailable ? "cuda" : "cpu");
    const std::string where = device == "cuda" ? (probe.cudaDevice.empty() ? "CUDA" : probe.cudaDevice) : "CPU";
    const std::string stack = probe.transformersVersion.empty()
                                  ? std::string("HuggingFace transformers")
                                  : "transformers " + probe.transformersVersion + ", torch " + probe.torchVersion;
    for (const TorchVariant& v : kTorchVariants) {
        BackendInfo info;
        info.name = torchBackendName(v.attention, v.compile);
        info.device = device;
        info.attention = v.attention;
        info.description = stack + ", attn_implementation=" + v.attention +
                           (v.compile ? " under torch.compile(mode=\"reduce-overhead\")" : "") + ", " + where +
                           " (" + options.python + ")";
        info.dtypes = {DType::Float32, DType::Float16, DType::BFloat16};
        info.unavailableReason = torchUnavailableReason(probe, v.attention, device);
        // Per architecture and task: the classes the installed transformers has, and what each supports.
        info.unavailableFor = [probe, attention = std::string(v.attention), device](const ModelConfig& model, Task task) {
            return torchModelUnavailableReason(probe, attention, device, model.modelType, toString(task));
        };
        TorchBackendOptions backend;
        backend.python = options.python;
        backend.workerScript = options.workerScript;
        backend.attention = v.attention;
        backend.compile = v.compile;
        backend.device = device;
        backend.cpuThreads = options.cpuThreads;
        info.create = [backend]() -> std::unique_ptr<Backend> { return std::make_unique<TorchBackend>(backend); };
        registry.add(std::move(info));
    }
}

} // namespace bertbench::torch

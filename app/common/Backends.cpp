#include "app/common/Backends.h"

#include "core/cpu/CpuBackends.h"
#include "core/torch/TorchBackends.h"
#include "core/torch/TorchProbe.h"
#ifdef BERTBENCH_HAVE_CUDA
#include "kernels/CudaBackends.h"
#endif

namespace bertbench::app {

BackendRegistry makeRegistry(const RegistryOptions& options) {
    BackendRegistry registry;
    registerCpuBackends(registry);
#ifdef BERTBENCH_HAVE_CUDA
    registerCudaBackends(registry);
#endif
    if (options.torch) {
        torch::TorchRegistration t;
        t.python = options.python;
        t.device = options.torchDevice;
        t.cpuThreads = cpuThreads();
        torch::registerTorchBackends(registry, t);
    }
    return registry;
}

Environment machineEnvironment() {
    Environment env = currentEnvironment();
#ifdef BERTBENCH_HAVE_CUDA
    fillCudaEnvironment(env);
#endif
    return env;
}

std::string torchSummaryLine(const std::string& python) {
    const torch::TorchProbeResult& p = torch::probeTorch(python);
    if (!p.problem.empty()) return python + ": cannot run the torch worker: " + p.problem;
    std::string line = python + ": Python " + p.pythonVersion;
    if (p.torchVersion.empty()) return line + ", no torch (" + p.torchError + ")";
    line += ", torch " + p.torchVersion;
    line += p.transformersVersion.empty() ? ", no transformers" : ", transformers " + p.transformersVersion;
    line += p.cudaAvailable ? ", CUDA " + p.cudaDevice : ", no CUDA in torch";
    line += p.flashAttnVersion.empty() ? ", no flash_attn" : ", flash_attn " + p.flashAttnVersion;
    return line;
}

std::vector<std::string> machineInfoLines(const std::string& python) {
    std::vector<std::string> lines;
    const Environment env = currentEnvironment();
    lines.push_back("BertBench " + env.bertbenchVersion);
    lines.push_back("Host: " + env.host);
    lines.push_back("CPU: " + env.cpu);
    lines.push_back("BLAS: " + cpuBlasDescription());
#ifdef BERTBENCH_HAVE_CUDA
    for (const std::string& line : cudaInfoLines()) lines.push_back(line);
#else
    lines.push_back("CUDA: not built (configure with nvcc available, -DBERTBENCH_CUDA=AUTO|ON)");
#endif
    lines.push_back("Torch backends: " + torchSummaryLine(python));
    return lines;
}

} // namespace bertbench::app

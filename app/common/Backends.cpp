#include "app/common/Backends.h"

#include "core/cpu/CpuBackends.h"
#ifdef BERTBENCH_HAVE_CUDA
#include "kernels/CudaBackends.h"
#endif

namespace bertbench::app {

BackendRegistry makeRegistry() {
    BackendRegistry registry;
    registerCpuBackends(registry);
#ifdef BERTBENCH_HAVE_CUDA
    registerCudaBackends(registry);
#endif
    return registry;
}

Environment machineEnvironment() {
    Environment env = currentEnvironment();
#ifdef BERTBENCH_HAVE_CUDA
    fillCudaEnvironment(env);
#endif
    return env;
}

std::vector<std::string> machineInfoLines() {
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
    return lines;
}

} // namespace bertbench::app

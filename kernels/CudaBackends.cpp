#include "kernels/CudaBackends.h"

#include <cuda_runtime_api.h>
#include <cublas_v2.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

#include "core/backend/DTypeSupport.h"
#include "kernels/CudaBertBackend.h"
#include "kernels/model/CudaBertModel.h"
#include "kernels/model/EagerAttention.h"
#include "kernels/attention/FusedAttentionStrategy.h"
#include "kernels/runtime/KernelOptions.h"

namespace bertbench {

namespace {

constexpr int kMinMajor = 8;

std::string versionText(int version) {   // 13000 → "13.0"
    return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

// The kernel module's version ("580.159.04") from /proc, when the platform has it: the first
// word of the NVRM line made of digits and dots with at least one dot.
std::string kernelModuleVersion() {
    std::ifstream in("/proc/driver/nvidia/version");
    std::string word;
    while (in >> word) {
        if (word.find('.') == std::string::npos) continue;
        bool digitsAndDots = true;
        for (char c : word) digitsAndDots = digitsAndDots && ((c >= '0' && c <= '9') || c == '.');
        if (digitsAndDots) return word;
    }
    return {};
}

struct GpuSurvey {
    int count = 0;
    int usable = -1;   // first device of compute capability >= 8.0
    std::string problem;
};

GpuSurvey surveyGpus() {
    GpuSurvey s;
    const cudaError_t status = cudaGetDeviceCount(&s.count);
    if (status != cudaSuccess) {
        cudaGetLastError();
        s.count = 0;
        int driver = 0;
        if (cudaDriverGetVersion(&driver) == cudaSuccess && driver == 0) {
            s.problem = "no NVIDIA driver on this machine (no GPU)";
            return s;
        }
        s.problem = std::string("no usable CUDA device (") + cudaGetErrorName(status) + ": " + cudaGetErrorString(status) + ")";
        return s;
    }
    if (s.count == 0) {
        s.problem = "no CUDA device found";
        return s;
    }
    for (int d = 0; d < s.count; ++d) {
        int major = 0;
        if (cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, d) == cudaSuccess && major >= kMinMajor) {
            s.usable = d;
            return s;
        }
    }
    cudaGetLastError();
    s.problem = "no GPU of compute capability 8.0 or newer (Ampere, Ada, Hopper, ...): the CUDA backends are not offered";
    return s;
}

void addBackend(BackendRegistry& registry, int device, const cuda::AttentionStrategyInfo& info,
                const cuda::KernelOptions& options) {
    BackendInfo b;
    b.name = "cuda:" + info.name;
    b.device = "cuda";
    b.attention = info.name;
    b.description = info.description;
    b.dtypes = info.dtypes;
    // fp8 (fp16 activations, e4m3 GEMMs: Fp8LinearLayer.h) wherever the strategy runs fp16, on
    // GPUs with fp8 tensor cores; elsewhere the reason, for the CLI's refusal and the GUI's greyed entry.
    if (std::find(b.dtypes.begin(), b.dtypes.end(), DType::Float16) != b.dtypes.end()) {
        cudaDeviceProp p{};
        if (cudaGetDeviceProperties(&p, device) == cudaSuccess) {
            const int cc = p.major * 10 + p.minor;
            if (cc >= kFp8MinComputeCapability) b.dtypes.push_back(DType::Float8);
            else b.dtypeUnavailable.push_back({DType::Float8, fp8GpuReason(cc, p.name)});
        } else {
            cudaGetLastError();
        }
    }
    auto create = info.create;
    b.create = [create, device, options]() -> std::unique_ptr<Backend> {
        return std::make_unique<cuda::CudaBertBackend>(create(options), device, options);
    };
    // Per model: what the forward implements, and the head dims the strategy's kernel has.
    const DType anyDtype = info.dtypes.front();
    b.unavailableFor = [create, options, anyDtype](const ModelConfig& model, Task) -> std::string {
        if (std::string why = cuda::CudaBertModel::unsupportedReason(model); !why.empty()) return why;
        try {
            create(options)->checkSupported(model.numHeads, model.headDim(), anyDtype);
        } catch (const std::exception& e) {
            return e.what();
        }
        return "";
    };
    registry.add(std::move(b));
}

} // namespace

void registerCudaBackends(BackendRegistry& registry) {
    const GpuSurvey gpus = surveyGpus();
    if (gpus.usable < 0) return;
    // The one place the kernel options are read: every backend of this registry runs with them.
    const cuda::KernelOptions options = cuda::KernelOptions::fromEnvironment();
    addBackend(registry, gpus.usable, cuda::eagerAttentionInfo(), options);
    for (const cuda::AttentionStrategyInfo& info : cuda::fusedAttentionStrategies())
        addBackend(registry, gpus.usable, info, options);
}

void fillCudaEnvironment(Environment& env) {
    const GpuSurvey gpus = surveyGpus();
    if (gpus.usable < 0) return;
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, gpus.usable) != cudaSuccess) {
        cudaGetLastError();
        return;
    }
    env.gpu = p.name;
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    const std::string module = kernelModuleVersion();
    env.driver = module.empty() ? "CUDA " + versionText(driver) : module + " (CUDA " + versionText(driver) + ")";
    env.cudaRuntime = versionText(runtime);
}

std::vector<std::string> cudaInfoLines() {
    std::vector<std::string> lines;
    const GpuSurvey gpus = surveyGpus();
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    cudaGetLastError();
    const std::string module = kernelModuleVersion();
    int cublasVersion = 0;
    cublasGetProperty(MAJOR_VERSION, &cublasVersion);
    int cublasMinor = 0;
    cublasGetProperty(MINOR_VERSION, &cublasMinor);
    lines.push_back("CUDA: runtime " + versionText(runtime) + ", driver " +
                    (driver ? versionText(driver) : std::string("none")) +
                    (module.empty() ? std::string() : " (kernel module " + module + ")") + ", cuBLAS " +
                    std::to_string(cublasVersion) + "." + std::to_string(cublasMinor));
    for (int d = 0; d < gpus.count; ++d) {
        cudaDeviceProp p{};
        if (cudaGetDeviceProperties(&p, d) != cudaSuccess) {
            cudaGetLastError();
            continue;
        }
        char text[512];
        std::snprintf(text, sizeof text, "GPU %d: %s, compute capability %d.%d, %d SMs, %.1f GiB, L2 %.0f MB%s", d,
                      p.name, p.major, p.minor, p.multiProcessorCount, double(p.totalGlobalMem) / double(1ull << 30),
                      double(p.l2CacheSize) / 1e6,
                      d == gpus.usable ? " (used by the CUDA backends)"
                      : p.major < kMinMajor ? " (too old: needs 8.0+)" : "");
        lines.push_back(text);
    }
    if (gpus.usable < 0) lines.push_back("CUDA backends: none registered: " + gpus.problem);
    return lines;
}

} // namespace bertbench

#include "core/backend/DTypeSupport.h"

#include <algorithm>

namespace bertbench {

std::string dtypeRefusal(const BackendInfo& info, DType dtype) {
    if (std::find(info.dtypes.begin(), info.dtypes.end(), dtype) != info.dtypes.end()) return {};
    for (const auto& [d, why] : info.dtypeUnavailable)
        if (d == dtype) return info.name + ": " + why;
    if (dtype == DType::Float8) {
        if (info.device == "cpu")
            return info.name + ": the cpu:* backends compute in fp32 (they are the reference); fp8 runs on the cuda:* "
                               "backends, on GPUs of compute capability 8.9 or newer";
        if (info.name.rfind("torch:", 0) == 0)
            return info.name + ": HF's model has no fp8 path (it needs a quantization library); fp8 runs on the "
                               "cuda:* backends, on GPUs of compute capability 8.9 or newer";
        return info.name + ": no fp8 path (fp8 runs on GPUs of compute capability 8.9 or newer)";
    }
    std::string supported;
    for (DType d : info.dtypes) supported += (supported.empty() ? "" : ", ") + toString(d);
    return info.name + " does not support " + toString(dtype) + " (it supports " + supported + ")";
}

BackendWithDType splitBackendDType(const std::string& name) {
    BackendWithDType b{name, std::nullopt, {}};
    const size_t colon = name.rfind(':');
    if (colon == std::string::npos) return b;
    // No backend's name ends in a data type, so such a suffix is one ("eager:fp32" too, the
    // device added later); past a second ':' anything else is a mistyped one.
    const std::string suffix = name.substr(colon + 1);
    if ((b.dtype = parseDType(suffix))) b.backend = name.substr(0, colon);
    else if (colon != name.find(':')) b.error = "unknown data type '" + suffix + "' (allowed: fp32, fp16, bf16, fp8)";
    return b;
}

std::string dtypeRefusal(const BackendRegistry& registry, const std::vector<std::string>& backends, DType dtype) {
    for (const std::string& name : backends)
        if (const BackendInfo* info = registry.find(name))
            if (std::string why = dtypeRefusal(*info, dtype); !why.empty()) return why;
    return {};
}

std::string fp8GpuReason(int computeCapability, const std::string& gpuName) {
    return "fp8 needs a GPU of compute capability 8.9 or newer (Ada, Hopper: fp8 tensor cores); " +
           (gpuName.empty() ? std::string("this one") : gpuName) + " is " + std::to_string(computeCapability / 10) +
           "." + std::to_string(computeCapability % 10);
}

} // namespace bertbench

#pragma once
// Which data types a backend runs here, and in words why not: what the CLI prints when it refuses
// `--dtype fp8` and what the GUI's Data type box shows on a greyed entry.
//
// fp8 (DType::Float8) is the cuda:* backends' own: e4m3 matrix products need the fp8 tensor
// cores of compute capability 8.9 (Ada) or 9.0 (Hopper) and cuBLASLt's fp8 matmul; the cpu:*
// backends compute in fp32 (they are the reference), and the torch:* backends run HF's model,
// which has no fp8 path without a quantization library.
#include <optional>
#include <string>
#include <vector>

#include "core/backend/Backend.h"

namespace bertbench {

// The first compute capability with fp8 tensor cores (×10: 89 = sm_89).
constexpr int kFp8MinComputeCapability = 89;

// Why `info` cannot run `dtype` here; empty = it can.
std::string dtypeRefusal(const BackendInfo& info, DType dtype);

// Why none of `backends` (by name, in `registry`) can be asked for `dtype`: the first refusal
// found, naming the backend; empty = all can. Unknown names are skipped (checked elsewhere).
std::string dtypeRefusal(const BackendRegistry& registry, const std::vector<std::string>& backends, DType dtype);

// A backend named with a data type, "cuda:eager:fp32" or "eager:fp32" (what --baseline and offline's
// --reference take): a last ':' part that is a data type. `error`: a part after a second ':' that
// is none.
struct BackendWithDType {
    std::string backend;
    std::optional<DType> dtype;
    std::string error;
};
BackendWithDType splitBackendDType(const std::string& name);

// "fp8 needs a GPU of compute capability 8.9 or newer (Ada, Hopper); this one is 8.0 (NVIDIA A100 ...)"
std::string fp8GpuReason(int computeCapability, const std::string& gpuName);

} // namespace bertbench

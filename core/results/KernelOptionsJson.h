#pragma once
// Internal to core/results: a run environment's kernel_options as JSON,
//   {"cpu:eager": {"threads": "2", "blas": "OpenBLAS 0.3.21 ...", ...}, "cuda:sdpa": {...}}
// options in the order the backend gave them (the JSON object keeps insertion order).
#include <map>
#include <string>
#include <vector>

#include "core/backend/KernelOption.h"
#include "core/sweep/SpecJsonDetail.h"

namespace bertbench::jsonio {

using KernelOptionsByBackend = std::map<std::string, std::vector<KernelOption>>;

Json kernelOptionsValue(const KernelOptionsByBackend& options);
// Throws FieldError naming the backend and option under `path` (a non-object, a non-string value,
// an empty name).
KernelOptionsByBackend kernelOptionsFromValue(const Json& v, const std::string& path);

} // namespace bertbench::jsonio

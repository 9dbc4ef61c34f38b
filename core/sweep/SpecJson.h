#pragma once
// Sweep specs as JSON. Keys (snake_case): model, tasks, baseline, candidates, dtype,
// batch_sizes, seq_lens, pads, seqlen_stdev, warmup, num_batches, seed, cuda_graphs,
// memory_limit_mb, cell_timeout_s, profile (default true), workload (an object: WorkloadSpec.h,
// SpecJsonDetail.h; absent = synthetic). Missing keys keep their defaults; unknown keys are errors.
#include <string>

#include "core/sweep/SweepSpec.h"

namespace bertbench {

std::string specToJson(const SweepSpec& spec);
// Throws InputError naming the field ("batch_sizes[2]: expected an integer, got \"x\"").
SweepSpec specFromJson(const std::string& text, const std::string& sourceName);
SweepSpec loadSpecFile(const std::string& path);
void saveSpecFile(const SweepSpec& spec, const std::string& path);

} // namespace bertbench

#pragma once
// A spec's data workload, read once before a sweep: the file's bytes checked against the identity
// the spec recorded (a rerun or resume must measure the same data), its lengths read, or its
// texts tokenized with each model's tokenizer (WorkloadSpec::tokenizer for every model, else each
// checkpoint folder's own files; a preset has none).
#include "core/sweep/SweepSpec.h"
#include "core/sweep/WorkloadRecord.h"

namespace bertbench {

// Throws InputError naming the file and line (a bad length, invalid UTF-8, a missing field), the
// model whose tokenizer is missing, or the SHA-256 / size that differs from spec.workload's.
// A synthetic spec gives an empty record.
WorkloadRecord loadWorkload(const SweepSpec& spec);

// Writes the file's identity into the spec (what the journal, run.json and spec.json carry), so
// that a resume or a worker process reading the spec checks it has the same data.
void recordWorkloadIdentity(SweepSpec& spec, const WorkloadRecord& workload);

// "12,345 examples of lengths.txt (SHA-256 1a2b3c4d…)" for run headers and logs.
std::string describeWorkload(const WorkloadRecord& workload);

} // namespace bertbench

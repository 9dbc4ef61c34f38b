#pragma once
// offline.json, what `bertbench-cli offline` writes and the GUI and `plot` read back:
//   {"format": "bertbench-offline", "version": 1,
//    "spec": {model, task, dtype, max_length, samples, batch_sizes, warmup_passes, passes, patience,
//             agreement_samples, agreement_batch, seed, cuda_graphs, backends, agreement_reference
//             ("cuda:eager fp32"), lengths_file, lengths_sha256?},
//    "device", "start_time", "end_time", "samples", "truncated", "real_tokens", "mean_length",
//    "backends": [{backend, dtype_ran, status, message?,
//                  trials: [{batch_size, batches, status, message?, pad_fraction, and when ok:
//                            pass_median_ms, pass_p10_ms, pass_p90_ms, samples_per_s,
//                            real_tokens_per_s, peak_mem_mb}],
//                  best_batch_size?, samples_per_s?, real_tokens_per_s?,
//                  task_agreement_pct?, task_agreement_decisions?}]}
#include <optional>
#include <string>

#include "core/sweep/OfflineScenario.h"

namespace bertbench {

std::string offlineToJson(const OfflineResult& result);

// Throws FileFormatError naming `path` and the field (its JSON path) for anything that does not
// read back: wrong types, unknown task / dtype / status names, a best batch size no trial has.
OfflineResult offlineFromJson(const std::string& text, const std::string& path);

// The file at `path`: InputError when it cannot be read, FileFormatError naming it when it does not
// parse or a field is wrong.
OfflineResult readOfflineFile(const std::string& path);
// The file at `path` when it is an offline.json (a .json whose "format" says so), read and parsed
// once; none when it is anything else or cannot be read (a run reader says why); FileFormatError
// when it says it is one but a field is wrong.
std::optional<OfflineResult> readIfOfflineFile(const std::string& path);

} // namespace bertbench

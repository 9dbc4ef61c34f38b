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
#include <string>

#include "core/sweep/OfflineScenario.h"

namespace bertbench {

std::string offlineToJson(const OfflineResult& result);

// Throws FileFormatError naming `path` and the field (its JSON path) for anything that does not
// read back: wrong types, unknown task / dtype / status names, a best batch size no trial has.
OfflineResult offlineFromJson(const std::string& text, const std::string& path);

// The file at `path`: FileFormatError naming it when it cannot be read or does not parse.
OfflineResult readOfflineFile(const std::string& path);
// Whether the file at `path` is an offline.json (a .json whose "format" says so); false when it
// cannot be read.
bool isOfflineFile(const std::string& path);

// Whether `text` declares itself an offline.json ("format": "bertbench-offline"); cheap enough to
// sort files by before reading them.
bool isOfflineJson(const std::string& text);

} // namespace bertbench

#pragma once
// A reference file of HuggingFace's own outputs, to check BertBench against HF on a user's
// checkpoint (`bertbench-cli verify --model DIR --reference FILE`): a safetensors file with the
// inputs — `input_ids`, `attention_mask`, optional `token_type_ids`; int64 or int32, [B, S], right
// padded — and HF's outputs under HF's names, fp32: `last_hidden_state` (encoder), `logits`
// (mlm, classification, token_classification), `start_logits` + `end_logits` (qa). Written by
// three lines of Python (README: "Check against HuggingFace").
#include <map>
#include <string>
#include <vector>

#include "core/backend/Backend.h"
#include "core/batch/Batch.h"
#include "core/model/Tensor.h"

namespace bertbench {

struct HfReference {
    std::string path;
    Batch batch;                           // lengths from attention_mask
    std::map<std::string, Tensor> outputs; // every float tensor of the file by its name (HF's, or HF's.variant)
};

// Throws FileFormatError naming the file and the tensor: a missing or mis-shaped input, a mask
// that is not 1 on a prefix of each row, a row without a real token.
HfReference loadHfReference(const std::string& path);

// The tasks the file holds outputs for, from its output names: last_hidden_state → encoder,
// start/end logits → qa, logits [B, L] → classification, logits [B, S, X] → mlm when the
// checkpoint's `architectures` names a *ForMaskedLM, else token_classification. Empty: none.
std::vector<Task> tasksWithReference(const HfReference& reference, const std::vector<std::string>& architectures);

// HF's output of `task` in BertBench's TaskOutput layout (qa: start and end stacked last).
// Throws FileFormatError when the file lacks it or its shape does not fit the batch.
// `variant` names another run of HF's forward stored beside the reference under
// "<HF's name>.<variant>" (make_hf_family.py writes "hf_fp16" and "hf_bf16": HF's own forward in
// that dtype on a GPU, cast to fp32), judged against the fp32 reference like BertBench's outputs.
TaskOutput expectedOutput(const HfReference& reference, Task task, const std::string& variant = "");
// Whether the file holds every output of `task` under that variant.
bool hasVariant(const HfReference& reference, Task task, const std::string& variant);

} // namespace bertbench

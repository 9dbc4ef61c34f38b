#pragma once
// The one check of a batch against a model, shared by every backend's prepare (CPU, CUDA, torch:*),
// so that a bad batch is refused the same way, with the same message, wherever it is sent.
#include "core/batch/Batch.h"
#include "core/model/ModelConfig.h"

namespace bertbench {

// Throws InputError naming the field, row and position when the batch cannot go through a model of
// this config: empty batch, sequence longer than config.maxSequenceLength(), array sizes, a row length
// outside 1..S, an attention mask that is not 1 on exactly the first length positions (when present),
// a token id outside 0..vocab-1, a token type outside 0..typeVocabSize-1 (where the architecture has
// token types).
void validateBatch(const Batch& batch, const ModelConfig& config);

} // namespace bertbench

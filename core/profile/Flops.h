#pragma once
// Model FLOPs of one forward, counted by hand from the shapes (for the efficiency figures).
//
// What is counted (one multiply-add = 2 FLOPs; element-wise ops, LayerNorm, softmax, GELU and
// embedding lookups are not counted, as in the usual 2·m·n·k convention):
//   per layer, over T tokens (T = real tokens or B·S padded tokens):
//     QKV projection        2·T·H·3H
//     attention-output GEMM 2·T·H·H
//     FFN up                2·T·H·I
//     FFN down              2·T·I·H
//   attention, per sequence of length L (L = the row's real length, or S when padded) and head:
//     Q·Kᵀ 2·L·L·d and P·V 2·L·L·d  →  4·L²·H per sequence (d·heads = H)
//   head:
//     encoder               0
//     mlm                   2·T·H·H (transform) + 2·T·H·V (decoder)
//     token_classification  2·T·H·labels
//     qa                    2·T·H·2
//     classification        2·B·H·H (pooler) + 2·B·H·labels   (B rows, the same for both counts)
// ModernBERT: FFN up is GeGLU's Wi, 2·T·H·2I; a local layer's attention counts only the pairs
// within its window (|i − j| <= local_attention/2), a global layer's every pair; the prediction
// head's dense layer (2·T·H·H) comes before every task head, as the MLM transform does in BERT.
#include <cstdint>
#include <vector>

#include "core/backend/Task.h"
#include "core/model/ModelConfig.h"

namespace bertbench {

struct FlopCount {
    double real = 0;     // counted on the real tokens only (what a padding-free model must do)
    double padded = 0;   // counted on all B·S positions (what a padded implementation does)
};

// lengths: real tokens per row, each in [1, maxSeqLen].
FlopCount forwardFlops(const ModelConfig& config, Task task, const std::vector<int>& lengths, int maxSeqLen);

} // namespace bertbench

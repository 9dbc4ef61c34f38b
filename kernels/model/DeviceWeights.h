#pragma once
// A BERT-family model's weights on the device, in one dtype: one arena (one allocation, 256-byte
// aligned tensors) and named pointers into it. The Q, K and V weights are concatenated into one
// [3·hidden, hidden] matrix (one GEMM). Null where the architecture or checkpoint has none: the
// token-type table (DistilBERT), the embedding projection (ELECTRA with embedding_size = hidden),
// the heads. Embedding tables, the MLM transform's output and its LayerNorm are E wide (E =
// ModelConfig::embeddingWidth()).
#include <cstdint>
#include <vector>

#include "core/backend/Task.h"
#include "core/model/BertWeights.h"
#include "kernels/runtime/DeviceAllocator.h"

namespace bertbench::cuda {

struct DeviceLayer {
    const void *qkvW = nullptr, *qkvB = nullptr, *attnOutW = nullptr, *attnOutB = nullptr;
    const void *attnLnG = nullptr, *attnLnB = nullptr, *interW = nullptr, *interB = nullptr;
    const void *outW = nullptr, *outB = nullptr, *outLnG = nullptr, *outLnB = nullptr;
};

struct DeviceWeights {
    const void *wordEmb = nullptr, *posEmb = nullptr, *typeEmb = nullptr, *embLnG = nullptr, *embLnB = nullptr;
    const void *embProjW = nullptr, *embProjB = nullptr;   // [H, E], [H]: ELECTRA when E != H
    std::vector<DeviceLayer> layers;
    const void *poolerW = nullptr, *poolerB = nullptr;
    const void *mlmTransformW = nullptr, *mlmTransformB = nullptr, *mlmLnG = nullptr, *mlmLnB = nullptr;
    const void *mlmDecoderB = nullptr;
    const void *classifierW = nullptr, *classifierB = nullptr;
    const void *tokenClassifierW = nullptr, *tokenClassifierB = nullptr;
    const void *qaW = nullptr, *qaB = nullptr;
    int classifierLabels = 0, tokenLabels = 0;
};

// FNV-1a over the config, the dtype and values sampled from every tensor: cheap, and different
// weights (another seed, another checkpoint) give another fingerprint, so a backend reloads only
// when the weights changed.
uint64_t weightsFingerprint(const BertWeights& weights, DType dtype);

// Converts every tensor to dtype and uploads it into one arena allocated from `allocator`.
// Throws BackendError naming a tensor whose size the config does not imply.
DeviceWeights uploadWeights(const BertWeights& weights, DType dtype, DeviceAllocator& allocator, DeviceBuffer& arena);

} // namespace bertbench::cuda

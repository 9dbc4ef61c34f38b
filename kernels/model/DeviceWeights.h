#pragma once
// A BERT-family model's weights on the device, in one dtype: one arena (one allocation, 256-byte
// aligned tensors) and named pointers into it. The Q, K and V weights are concatenated into one
// [3·hidden, hidden] matrix (one GEMM). Null where the architecture or checkpoint has none: the
// token-type table (DistilBERT), the embedding projection (ELECTRA with embedding_size = hidden),
// the heads. Embedding tables, the MLM transform's output and its LayerNorm are E wide (E =
// ModelConfig::embeddingWidth()). ModernBERT (config.isModernBert()) fills modernLayers and its
// final norm and prediction head instead of layers, the MLM transform and the pooler; its norms'
// biases, and its linear layers' biases, are null where the config declares none.
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

// One ModernBERT layer: pre-norm, fused Wqkv, GeGLU's Wi [2I, H] (input rows, then gate rows).
struct DeviceModernBertLayer {
    bool global = true;   // global attention (else a sliding window)
    const void *attnNormG = nullptr, *attnNormB = nullptr;   // null in layer 0 (attn_norm is the identity)
    const void *qkvW = nullptr, *qkvB = nullptr, *attnOutW = nullptr, *attnOutB = nullptr;
    const void *mlpNormG = nullptr, *mlpNormB = nullptr, *wiW = nullptr, *wiB = nullptr;
    const void *mlpOutW = nullptr, *mlpOutB = nullptr;
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
    // ModernBERT: its layers, final_norm and the prediction head (head.dense, act, head.norm) that
    // every task head reads; the MLM decoder is tied to wordEmb, its bias mlmDecoderB (decoder_bias).
    std::vector<DeviceModernBertLayer> modernLayers;
    const void *finalNormG = nullptr, *finalNormB = nullptr;
    const void *headDenseW = nullptr, *headDenseB = nullptr, *headNormG = nullptr, *headNormB = nullptr;
    bool hasDecoder = false;
};

// FNV-1a over the config, the dtype and values sampled from every tensor: cheap, and different
// weights (another seed, another checkpoint) give another fingerprint, so a backend reloads only
// when the weights changed.
uint64_t weightsFingerprint(const BertWeights& weights, DType dtype);

// Converts every tensor to dtype and uploads it into one arena allocated from `allocator`.
// Throws BackendError naming a tensor whose size the config does not imply.
DeviceWeights uploadWeights(const BertWeights& weights, DType dtype, DeviceAllocator& allocator, DeviceBuffer& arena);

} // namespace bertbench::cuda

#pragma once
// BERT on the GPU: the weights on the device (one dtype) and the forward of one prepared cell.
//
//   embeddings (+ padding removal when packed) → per layer:
//     qkv = x·Wqkvᵀ + b (one GEMM, bias epilogue) → attention strategy → ctx
//     x = LN(ctx·Woᵀ + b + x)            (GEMM with bias + residual epilogue, in place on x when ctx
//                                          is written over Q; LayerNorm of one row)
//     x = LN(GELU(x·Wiᵀ + b)·Wo2ᵀ + b + x) (GEMM with bias + GELU epilogue; GEMM with bias +
//                                          residual epilogue, LayerNorm) — Gemm.h says which GELU;
//     with BERTBENCH_FUSED_EPILOGUES=0 the wave-1 path: plain GEMMs, bias + GELU kernel, bias +
//     residual + LayerNorm kernel.
//   → the task head → re-padding of the task output when packed.
//
// With BERTBENCH_L2_PREFETCH=1, small forwards also move each next layer's weights into L2 on a
// side stream (WeightPrefetch.h).
//
// The attention step is the only thing a strategy changes (AttentionStrategy.h). Every buffer
// is allocated in prepare() through the backend's allocator; forward() only enqueues work on
// the context's stream, so it can be captured into a CUDA graph.
#include <cstdint>
#include <vector>

#include "core/backend/Backend.h"
#include "kernels/model/AttentionStrategy.h"
#include "kernels/model/WeightPrefetch.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/Gemm.h"

namespace bertbench::cuda {

class CudaBertModel {
public:
    explicit CudaBertModel(CudaContext& context) : context_(context), gemm_(context) {}

    // Converts to dtype and uploads, unless these weights are already on the device in this dtype
    // (compared by a fingerprint of the config and sampled values). Throws BackendError for a
    // shape the kernels do not support.
    void load(const BertWeights& weights, DType dtype);
    bool loaded() const { return loaded_; }
    DType dtype() const { return dtype_; }
    const ModelConfig& config() const { return config_; }

    // Inputs uploaded, activations and the strategy's workspace allocated. Throws InputError for a
    // batch the model cannot take, BackendError for a missing head, OutOfMemoryError (after
    // releasing what it took) when memory runs out.
    void prepare(Task task, const Batch& batch, AttentionStrategy& attention);
    bool prepared() const { return prepared_; }
    // Enqueues one forward of the prepared cell on the context's stream.
    void forward(AttentionStrategy& attention);
    // Waits for the stream; the task output as fp32 on the host.
    TaskOutput output();
    void releaseCell();

    int64_t tokens() const { return cell_.shape.tokens; }

private:
    struct Layer {
        const void *qkvW = nullptr, *qkvB = nullptr, *attnOutW = nullptr, *attnOutB = nullptr;
        const void *attnLnG = nullptr, *attnLnB = nullptr, *interW = nullptr, *interB = nullptr;
        const void *outW = nullptr, *outB = nullptr, *outLnG = nullptr, *outLnB = nullptr;
        // The layer's tensors lie back to back in the arena: [begin, begin + bytes) holds them all
        // (what WeightPrefetch moves into L2 one layer ahead).
        const void* begin = nullptr;
        size_t bytes = 0;
    };
    struct Weights {
        const void *wordEmb = nullptr, *posEmb = nullptr, *typeEmb = nullptr, *embLnG = nullptr, *embLnB = nullptr;
        std::vector<Layer> layers;
        const void *poolerW = nullptr, *poolerB = nullptr;
        const void *mlmTransformW = nullptr, *mlmTransformB = nullptr, *mlmLnG = nullptr, *mlmLnB = nullptr;
        const void *mlmDecoderB = nullptr;
        const void *classifierW = nullptr, *classifierB = nullptr;
        const void *tokenClassifierW = nullptr, *tokenClassifierB = nullptr;
        const void *qaW = nullptr, *qaB = nullptr;
        int classifierLabels = 0, tokenLabels = 0;
    };
    struct Cell {
        Task task = Task::Encoder;
        AttentionShape shape;
        DeviceBuffer inputs;      // int32: ids, token types, lengths, cuSeqlens, rowToPadded, CLS rows
        const int32_t *ids = nullptr, *types = nullptr, *lengths = nullptr, *cuSeqlens = nullptr;
        const int32_t *rowToPadded = nullptr, *clsRows = nullptr;
        DeviceBuffer x, scratch, workspace, logits, padded;
        // Views into `scratch`, whose regions are reused in turn within a layer (one stream, so
        // the order of the launches is the order of use): [qkv 3H | ctx H] for attention, or
        // [qkv 3H] alone with ctx written over Q (ctxOverQuery: fused epilogues and a strategy
        // that allows it, AttentionStrategy::overwritesQuery), [inter I | ffnOut H] for the
        // feed-forward; the re-padded output reuses it at the end.
        void *qkv = nullptr, *ctx = nullptr, *inter = nullptr, *ffnOut = nullptr;
        bool ctxOverQuery = false;
        int64_t ctxRowStride = 0; // elements: hidden, or 3·hidden over Q
        int64_t ffnChunkRows = 0; // the FFN runs over row chunks of this many tokens (scratch size)
        void* output = nullptr;   // what output() reads: [outRows, outCols]
        int64_t outRows = 0;
        int outCols = 0;
        std::vector<int64_t> outShape;
        bool perPosition = true;
    };

    static constexpr int64_t kFfnChunkMinRows = 4096;

    void headForward();
    // The weight prefetch for the prepared cell (WeightPrefetch::wanted with this GPU's L2).
    bool prefetchWanted() const;
    void checkHead(Task task) const;

    CudaContext& context_;
    Gemm gemm_;
    WeightPrefetch prefetch_;
    ModelConfig config_;
    DType dtype_ = DType::Float32;
    bool loaded_ = false;
    uint64_t fingerprint_ = 0;
    DeviceBuffer arena_;
    Weights w_;
    bool prepared_ = false;
    Cell cell_;
};

} // namespace bertbench::cuda

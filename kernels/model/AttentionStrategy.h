#pragma once
// The attention step of the GPU encoder, as a pluggable strategy (kernels/README.md).
//
// The encoder (CudaBertModel) owns everything around attention: embeddings, the fused QKV
// projection, the output projection, LayerNorms, the FFN and the heads. Per layer it hands a
// strategy the QKV projection's output and takes back the attention context:
//
//   qkv  [tokens, 3·hidden]  q | k | v, head h at column h·headDim inside each; row stride 3·hidden
//   out  [tokens, hidden]    head h at column h·headDim; row stride args.outRowStride (hidden,
//                            or 3·hidden when out is qkv itself: see overwritesQuery())
//
// tokens is B·S in the padded layout (row b·S + s) or the number of real tokens in the packed
// layout (row cuSeqlens[b] + s for s < lengths[b]); the strategy says which one it wants.
// Element type: the model's dtype (float, __half or __nv_bfloat16).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cuda_runtime_api.h>

#include "core/backend/Task.h"
#include "kernels/ops/Ops.h"
#include "kernels/runtime/KernelOptions.h"

namespace bertbench::cuda {

// Host-side description of one cell, fixed between prepare() and releaseCell().
struct AttentionShape {
    int batch = 0;        // B
    int maxSeqLen = 0;    // S (the padded length)
    int64_t tokens = 0;   // rows of qkv/out: B·S (padded) or the real tokens (packed)
    int numHeads = 0;
    int headDim = 0;
    int hidden = 0;       // numHeads · headDim
    bool packed = false;  // layout of the rows (see above)
    DType dtype = DType::Float32;
};

// Device pointers for one layer's call. All pointers are 256-byte aligned.
struct AttentionArgs {
    const void* qkv = nullptr;        // [tokens, 3·hidden]
    void* out = nullptr;              // [tokens, hidden]; every row must be written with finite values
    int64_t outRowStride = 0;         // elements between out's rows: hidden, or 3·hidden when out == qkv
    const int32_t* lengths = nullptr;    // device [B], 1 ≤ lengths[b] ≤ S
    const int32_t* cuSeqlens = nullptr;  // device [B+1], exclusive prefix sum of lengths (both layouts)
    const int32_t* rowToPadded = nullptr;  // packed layout only: device [tokens], row → b·S + s
    void* workspace = nullptr;        // workspaceBytes(shape) bytes, the same buffer for every layer
    size_t workspaceBytes = 0;
    float scale = 0.f;                // 1/sqrt(headDim)
    cudaStream_t stream = nullptr;
    // Per layer (ModernBERT; BERT's layers leave both unset):
    int window = -1;                  // ≥ 0: sliding window, a query at position i sees only the keys
                                      // at |i − j| ≤ window (a local layer); -1: every key (global)
    ops::RotaryTable rotary;          // RoPE of this layer's θ: the strategy rotates q and k itself
                                      // when rotatesQueryKey(), else the encoder did before run()
};

class CudaContext;

class AttentionStrategy {
public:
    virtual ~AttentionStrategy() = default;

    // "eager", "sdpa", "flash_attention_2" (the backend is named "cuda:" + this).
    virtual std::string name() const = 0;
    // True: the encoder runs on real tokens only (packed layout), padding removed after the
    // embeddings and restored only on the task output.
    virtual bool packed() const = 0;
    // Throws BackendError when this strategy cannot run a model (dtype, head dim...). Called
    // from loadModel, so an unsupported combination fails before any cell.
    virtual void checkSupported(int numHeads, int headDim, DType dtype) const = 0;
    // Device scratch for one call, sized once per cell (untimed). 0 is fine.
    virtual size_t workspaceBytes(const AttentionShape& shape) const = 0;
    // True: the strategy may be handed out == qkv (its Q columns, row stride 3·hidden), because
    // each query row is read, by the one thread block that writes its output, before that output
    // is written, and K and V are never written. The encoder then needs no separate [tokens,
    // hidden] context buffer: at bert-base 128 × 512, 100 MB less peak memory.
    virtual bool overwritesQuery() const { return false; }
    // True: run() applies args.rotary to q and k where its kernels read them anyway (eager: in its
    // head split), so the encoder runs no rotary pass of its own. False: the encoder rotates q and
    // k in qkv (ops::rotaryEmbedding) before run().
    virtual bool rotatesQueryKey() const { return false; }
    // Which kernel run() takes for this cell, for the run's kernel options ("flash_attention_2_kernel",
    // "hopper_sm90a"); the strategy's name where it has one path.
    virtual std::string kernelName(const AttentionShape& /*shape*/, const AttentionArgs& /*args*/) const {
        return name();
    }
    // One layer's attention. Only asynchronous work on args.stream: no allocation, no
    // synchronisation, no host reads of device data (the forward may be captured in a CUDA graph).
    virtual void run(const AttentionShape& shape, const AttentionArgs& args, CudaContext& context) = 0;
};

// What registerCudaBackends needs to offer a strategy as backend "cuda:<name>".
struct AttentionStrategyInfo {
    std::string name;          // "sdpa"
    std::string description;   // one line for list-backends
    std::vector<DType> dtypes; // the dtypes it runs
    // Makes the strategy with the run's kernel options (which attention kernel it may take).
    std::function<std::unique_ptr<AttentionStrategy>(const KernelOptions&)> create;
};

} // namespace bertbench::cuda

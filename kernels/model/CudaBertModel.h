#pragma once
// A BERT-family encoder on the GPU (BERT, RoBERTa, XLM-R, CamemBERT, DistilBERT, ELECTRA): the
// weights on the device (one dtype) and the forward of one prepared cell.
//
//   embeddings (+ padding removal when packed; positions from ModelConfig::positionOffset, the
//   token-type table when the architecture has one; ELECTRA: LayerNorm at embedding_size E, then
//   the LinearLayer "embedding_projection" E → hidden)
//   → per layer (post-norm, as BERT; every architecture of the family):
//     qkv = x·Wqkvᵀ + b                                        LinearLayer "qkv" (Bias)
//     ctx = attention(qkv)                                     the AttentionStrategy
//     x = LN(ctx·Woᵀ + b + x)                                  LinearLayer "attention_out" (Residual) + LN
//     x = LN(GELU(x·Wiᵀ + b)·Wo2ᵀ + b + x)                      "ffn_up" (Activation) and "ffn_down"
//                                                              (Residual) over row chunks, + LN
//   → the task head (TaskHeads.cpp) → re-padding of the task output when packed.
//
// ModernBERT (ModernBertForward.cpp), the same object and seams in another layer order:
//   token embeddings + LayerNorm (no positions, no token types; no norm bias unless norm_bias)
//   → per layer (pre-norm):
//     qkv = attn_norm(x)·Wqkvᵀ (layer 0: x itself)              LinearLayer "qkv" (Bias; none without
//                                                              attention_bias: no bias pass)
//     RoPE on q, k (the layer's θ)                             in the strategy's head split
//                                                              (eager), else ops::rotaryEmbedding
//     ctx = attention(qkv), sliding window in local layers     the AttentionStrategy (args.window)
//     x += ctx·Woᵀ; normed = mlp_norm(x)                        "attention_out" (Residual, in place) + LN
//     x += GeGLU(normed·Wiᵀ)·Wo2ᵀ; normed = next attn_norm(x)   "ffn_up" (GatedActivation) and "ffn_down"
//        (final_norm in place after the last layer)            (Residual, in place) + LN, row chunks
//   → the prediction head (dense, act, norm) before every task head: the tied decoder (+ decoder
//     bias), the classifier after cls or mean pooling, the token classifier, QA.
//   The profiler categories are BERT's, with the local layers' attention as "attention_local".
//
// The linear layers are chosen once per model and dtype (LinearLayer.h), the attention by the
// strategy; forward() holds no choice of its own. Every buffer is allocated in prepare()
// (EncoderCell.h) through the backend's allocator; forward() only enqueues work on the context's
// stream, so it can be captured into a CUDA graph.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/backend/Backend.h"
#include "kernels/model/AttentionStrategy.h"
#include "kernels/model/DeviceWeights.h"
#include "kernels/model/EncoderCell.h"
#include "kernels/model/LinearLayer.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/KernelOptions.h"
#include "kernels/runtime/OpProfiler.h"

namespace bertbench::cuda {

class CudaBertModel {
public:
    CudaBertModel(CudaContext& context, const KernelOptions& options);

    // Why the forward cannot run this model (an architecture it does not implement, a width that is
    // not a multiple of 8, a classifier activation it lacks); empty = it can. load() throws it.
    static std::string unsupportedReason(const ModelConfig& config);

    // Converts to dtype and uploads, unless these weights are already on the device in this dtype
    // (weightsFingerprint). Throws BackendError for a shape the kernels do not support.
    void load(const BertWeights& weights, DType dtype);
    bool loaded() const { return loaded_; }
    DType dtype() const { return dtype_; }   // the activations' storage (fp16 for an fp8 model)
    // fp8 (Fp8Calibration.cpp): load(weights, Float8) keeps activations in fp16 and makes the
    // encoder's four GEMMs fp8 layers (Fp8LinearLayer.h); calibrateFp8 then runs the calibration
    // forward that fixes their input scales (the backend calls it: it needs the attention).
    // dtypeRan(): Float8 when every encoder GEMM runs in fp8, else the storage dtype.
    void calibrateFp8(AttentionStrategy& attention);
    DType dtypeRan() const;
    bool fp8Requested() const { return fp8Asked_; }
    const ModelConfig& config() const { return config_; }

    // Inputs uploaded, activations and the strategy's workspace allocated. Throws InputError for a
    // batch the model cannot take (validateBatch), BackendError for a missing head,
    // OutOfMemoryError (after releasing what it took) when memory runs out.
    void prepare(Task task, const Batch& batch, AttentionStrategy& attention);
    bool prepared() const { return prepared_; }
    // Enqueues one forward of the prepared cell on the context's stream.
    void forward(AttentionStrategy& attention);
    // Waits for the stream; the task output as fp32 on the host.
    TaskOutput output();
    void releaseCell();

    int64_t tokens() const { return cell_.shape.tokens; }
    const EncoderCell& cell() const { return cell_; }
    // How each linear layer runs and how many GEMM shapes were autotuned (the run's kernel options).
    std::vector<std::pair<std::string, std::string>> linearPaths() const;
    const Gemm& gemm() const { return gemm_; }

private:
    // One LinearLayer per shape of the encoder and the heads, made in load().
    struct Linears {
        std::unique_ptr<LinearLayer> qkv, attentionOut, ffnUp, ffnDown;
        std::unique_ptr<LinearLayer> embeddingProjection;   // ELECTRA, E != hidden
        std::unique_ptr<LinearLayer> mlmTransform, mlmDecoder, pooler, classifier, tokenClassifier, qa;
        std::unique_ptr<LinearLayer> headDense;   // ModernBERT's prediction head
    };
    // The sequence classifier's first-token activation (ModelConfig::classifierActivation).
    static ops::Activation classifierActivation(const ModelConfig& config);
    void makeLinears();
    void reserveFp8(int64_t rows);   // grows the fp8 layers' input buffers (prepare)
    // Where one layer's producers write the fp8 layers' inputs in e4m3 (Fp8LinearLayer.h, fused
    // quantize); a view is empty (data null) where its consumer or producer is not a calibrated fp8
    // layer, and then the consumer quantizes x itself.
    struct Fp8Inputs {
        E4m3View qkv;        // this layer's QKV input: written by the previous layer's last LayerNorm
        E4m3View ffnUp;      // written by the attention-output LayerNorm
        E4m3View ffnDown;    // written by FFN-up's GEMM (an e4m3 D)
        E4m3View nextQkv;    // the next layer's QKV input: written by this layer's last LayerNorm
    };
    // afterLayer: a layer ran before this one (layer 0's QKV input comes from the embeddings).
    Fp8Inputs fp8Inputs(const DeviceLayer& layer, bool afterLayer, const DeviceLayer* next);
    void checkHead(Task task) const;
    // Runs fn inside the profiler category `name` (bytes moved, flops), unless the profiler is
    // capturing another category alone (CudaContext::runs).
    template <typename Fn> void inCategory(const char* name, double bytes, double flops, Fn&& fn);
    void layerForward(const DeviceLayer& layer, const Fp8Inputs& fp8, AttentionStrategy& attention);
    void headForward();
    // ModernBERT (ModernBertForward.cpp).
    static std::string modernBertUnsupportedReason(const ModelConfig& config);
    void makeModernBertLinears();
    void uploadRotaryTables();
    void modernForward(AttentionStrategy& attention);
    void modernLayerForward(size_t index, AttentionStrategy& attention);
    void modernHeadForward();
    // out = norm(act(in·denseᵀ + b)) over rows rows: ModernBERT's prediction head.
    void modernPredictionHead(void* out, const void* in, int64_t rows);
    void checkModernHead(Task task) const;
    void repad();

    CudaContext& context_;
    KernelOptions options_;
    Gemm gemm_;
    ModelConfig config_;
    DType dtype_ = DType::Float32;
    bool fp8_ = false;   // asked for fp8: the encoder GEMMs' layers are fp8 ones
    bool fp8Asked_ = false;   // fp8 was asked (ModernBERT's GEMMs stay fp16: fp8_ false)
    bool loaded_ = false;
    uint64_t fingerprint_ = 0;
    DeviceBuffer arena_;
    DeviceWeights w_;
    Linears linears_;
    // ModernBERT's RoPE tables, [maxPositions, headDim/2] (cos, sin) pairs of the local and the
    // global θ, made once per model in load() (fp32, as HF computes them).
    DeviceBuffer rotaryTables_;
    ops::RotaryTable rotaryLocal_, rotaryGlobal_;
    bool prepared_ = false;
    EncoderCell cell_;
};

template <typename Fn>
void CudaBertModel::inCategory(const char* name, double bytes, double flops, Fn&& fn) {
    // The categories tile the forward (kernels/README.md): each launch inside exactly one.
    if (!context_.runs(name)) return;
    OpScope scope(context_.profiler(), context_.stream(), name, bytes, flops);
    fn();
}

} // namespace bertbench::cuda

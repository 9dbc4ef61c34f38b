#pragma once
// The fp32 reference ModernBERT forward on the CPU, as transformers' modeling_modernbert.py:
//   embeddings   token embedding + LayerNorm (no positions, no token types);
//   each layer   pre-norm: x += Wo · attention(RoPE(Wqkv · attn_norm(x)));
//                          x += Wo · GeGLU(Wi · mlp_norm(x)),  GeGLU = act(input) · gate;
//                attn_norm is the identity in layer 0; a global layer attends to the whole
//                sequence with RoPE θ = the global rope_theta, a local one to the keys within
//                ±local_attention/2 with the local θ; RoPE as HF's rotate_half (dimension d paired
//                with d + head_dim/2), positions counted from 0 in every row;
//   final_norm   after the last layer (the encoder's output);
//   heads        the prediction head (dense, classifier_activation, norm) feeds the tied decoder
//                (mlm), the classifier per token (token_classification, qa) or, after pooling the
//                first token or the mean over real tokens, the sequence classifier.
// A bias or a LayerNorm bias is added only where the config declares one. The row layouts and
// the attention strategies are CpuModel's, as for CpuBertModel.
#include <cstdint>
#include <vector>

#include "core/cpu/CpuModel.h"

namespace bertbench::cpu {

class CpuModernBertModel final : public CpuModel {
public:
    explicit CpuModernBertModel(MemoryTracker& tracker) : CpuModel(tracker) {}

    void load(const BertWeights& weights) override;
    void unload() override;
    bool loaded() const override { return !wordEmb_.empty(); }

private:
    struct Layer {
        bool global = true;
        TrackedBuffer attnNormGamma, attnNormBeta;   // empty in layer 0 (the identity)
        TrackedBuffer qkvW, qkvB, attnOutW, attnOutB;
        TrackedBuffer mlpNormGamma, mlpNormBeta, wiW, wiB, mlpOutW, mlpOutB;
    };

    void requireHead(Task task) const override;
    void prepareCell(const Batch& batch) override;
    void releaseModelCell() override;
    void buildRotaryTables();
    void embed() override;
    void encoderLayer(size_t index) override;
    // RoPE on the Q and K parts of qkv rows [begin, end), in place.
    void applyRotary(int64_t begin, int64_t end, bool global);
    // out = norm(act(in · denseᵀ + b)) over `rows` rows of H.
    void predictionHead(const float* in, int64_t rows, float* out);
    void head() override;

    float eps_ = 1e-5f;
    TrackedBuffer wordEmb_, embNormGamma_, embNormBeta_;
    std::vector<Layer> layers_;
    TrackedBuffer finalNormGamma_, finalNormBeta_;
    TrackedBuffer headDenseW_, headDenseB_, headNormGamma_, headNormBeta_;
    bool hasDecoder_ = false;

    // The prepared cell, beyond CpuModel's (whose hidden_ is final_norm'ed after the last layer).
    TrackedBuffer ropeCos_[2], ropeSin_[2]; // [S, head_dim/2] of the local [0] and global [1] θ
    TrackedBuffer normed_;                  // the next attn_norm / mlp_norm output
    TrackedBuffer tmp_, inter_, geglu_;
};

} // namespace bertbench::cpu

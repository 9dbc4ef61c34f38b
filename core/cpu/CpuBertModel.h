#pragma once
// The fp32 reference BERT forward on the CPU (BERT and its family: RoBERTa, XLM-R, CamemBERT,
// DistilBERT, ELECTRA): embeddings + LayerNorm, the post-norm encoder layers and the five task
// heads. The attention strategy is the only choice (CpuAttention.h); eager and sdpa run every
// layer over the padded B×S rows, flash_attention_2 packs the real tokens once after the
// embeddings and scatters the task output back to the padded layout.
#include <cstdint>
#include <vector>

#include "core/cpu/CpuModel.h"
#include "core/cpu/CpuOps.h"

namespace bertbench::cpu {

class CpuBertModel final : public CpuModel {
public:
    explicit CpuBertModel(MemoryTracker& tracker) : tracker_(tracker) {}

    // Copies the weights into tracked buffers (Q, K and V fused into one [3H, H] projection).
    void load(const BertWeights& weights) override;
    void unload() override;
    bool loaded() const override { return !wordEmb_.empty(); }
    const ModelConfig& config() const override { return config_; }

    bool prepared() const override { return prepared_; }
    void forward() override;
    TaskOutput output() const override;
    void releaseCell() override;
    void setScopeTimer(ScopeTimer* timer) override { timer_ = timer; }

private:
    struct Layer {
        TrackedBuffer qkvW, qkvB, attnOutW, attnOutB, ln1Gamma, ln1Beta;
        TrackedBuffer interW, interB, outW, outB, ln2Gamma, ln2Beta;
    };

    void prepareCell(Task task, const Batch& batch, AttentionKind kind) override;
    void embed();
    // The sequence classifier's activation after its first dense layer, in place.
    void classifierActivation(float* x, int64_t n) const;
    void encoderLayer(const Layer& layer);
    void attention();
    void head();
    void requireHead(Task task) const;

    MemoryTracker& tracker_;
    ScopeTimer* timer_ = nullptr;
    ModelConfig config_;
    float eps_ = 1e-12f;
    TrackedBuffer wordEmb_, posEmb_, typeEmb_, embLnGamma_, embLnBeta_;
    TrackedBuffer embProjW_, embProjB_;   // ELECTRA's embeddings → hidden projection (else empty)
    std::vector<Layer> layers_;
    TrackedBuffer poolerW_, poolerB_, mlmW_, mlmB_, mlmLnGamma_, mlmLnBeta_, decoderB_;
    TrackedBuffer classifierW_, classifierB_, tokenClassifierW_, tokenClassifierB_, qaW_, qaB_;

    // The prepared cell.
    bool prepared_ = false;
    Task task_ = Task::Encoder;
    AttentionKind kind_ = AttentionKind::Eager;
    int batch_ = 0, seqLen_ = 0;
    int64_t rows_ = 0;                      // B·S padded, or the real tokens when packed
    std::vector<int> lengths_;
    std::vector<int64_t> offsets_;          // packed row offsets [B + 1]
    TrackedArray<int32_t> rowToken_, rowType_, rowPos_;
    TrackedBuffer hidden_, qkv_, ctx_, tmp_, inter_, attnWorkspace_;
    TrackedBuffer embedded_;   // [rows, E] before ELECTRA's projection (E ≠ H only)
    TrackedBuffer pooledIn_, pooled_, outputBuf_;
    std::vector<int64_t> outShape_;
    int outWidth_ = 0;
};

} // namespace bertbench::cpu

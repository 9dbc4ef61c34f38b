#pragma once
// The fp32 reference BERT forward on the CPU (BERT and its family: RoBERTa, XLM-R, CamemBERT,
// DistilBERT, ELECTRA): embeddings + LayerNorm, the post-norm encoder layers and the five task
// heads. The attention strategy is the only choice (CpuAttention.h); the row layouts are
// CpuModel's.
#include <cstdint>
#include <vector>

#include "core/cpu/CpuModel.h"

namespace bertbench::cpu {

class CpuBertModel final : public CpuModel {
public:
    explicit CpuBertModel(MemoryTracker& tracker) : CpuModel(tracker) {}

    // Copies the weights into tracked buffers (Q, K and V fused into one [3H, H] projection).
    void load(const BertWeights& weights) override;
    void unload() override;
    bool loaded() const override { return !wordEmb_.empty(); }

private:
    struct Layer {
        TrackedBuffer qkvW, qkvB, attnOutW, attnOutB, ln1Gamma, ln1Beta;
        TrackedBuffer interW, interB, outW, outB, ln2Gamma, ln2Beta;
    };

    void requireHead(Task task) const override;
    void prepareCell(const Batch& batch) override;
    void releaseModelCell() override;
    void embed() override;
    // The sequence classifier's activation after its first dense layer, in place.
    void classifierActivation(float* x, int64_t n) const;
    void encoderLayer(size_t index) override;
    void head() override;

    float eps_ = 1e-12f;
    TrackedBuffer wordEmb_, posEmb_, typeEmb_, embLnGamma_, embLnBeta_;
    TrackedBuffer embProjW_, embProjB_;   // ELECTRA's embeddings → hidden projection (else empty)
    std::vector<Layer> layers_;
    TrackedBuffer poolerW_, poolerB_, mlmW_, mlmB_, mlmLnGamma_, mlmLnBeta_;

    // The prepared cell, beyond CpuModel's.
    TrackedArray<int32_t> rowType_;
    TrackedBuffer tmp_, inter_;
    TrackedBuffer embedded_;   // [rows, E] before ELECTRA's projection (E ≠ H only)
};

} // namespace bertbench::cpu

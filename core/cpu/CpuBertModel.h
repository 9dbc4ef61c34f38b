#pragma once
// The fp32 reference BERT forward on the CPU: embeddings + LayerNorm, the encoder layers and
// the five task heads. The attention strategy is the only choice (CpuAttention.h); eager and
// sdpa run every layer over the padded B×S rows, flash_attention_2 packs the real tokens once
// after the embeddings and scatters the task output back to the padded layout.
#include <cstdint>
#include <vector>

#include "core/backend/Backend.h"
#include "core/cpu/CpuAttention.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/TrackingAllocator.h"
#include "core/profile/ScopeTimer.h"

namespace bertbench::cpu {

class CpuBertModel {
public:
    explicit CpuBertModel(MemoryTracker& tracker) : tracker_(tracker) {}

    // Copies the weights into tracked buffers (Q, K and V fused into one [3H, H] projection).
    void load(const BertWeights& weights);
    void unload();
    bool loaded() const { return !wordEmb_.empty(); }
    const ModelConfig& config() const { return config_; }

    // Checks the batch (validateBatch) and the head, and allocates the cell's inputs, activations,
    // workspace and output. Throws InputError (bad batch), BackendError (no model, missing head)
    // or OutOfMemoryError.
    void prepare(Task task, const Batch& batch, AttentionKind kind);
    bool prepared() const { return prepared_; }
    void forward();
    TaskOutput output() const;
    void releaseCell();
    // Per-category steady-clock scopes of the next forwards (null = off; the profiling forward).
    void setScopeTimer(ScopeTimer* timer) { timer_ = timer; }

private:
    struct Layer {
        TrackedBuffer qkvW, qkvB, attnOutW, attnOutB, ln1Gamma, ln1Beta;
        TrackedBuffer interW, interB, outW, outB, ln2Gamma, ln2Beta;
    };

    void prepareCell(Task task, const Batch& batch, AttentionKind kind);
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

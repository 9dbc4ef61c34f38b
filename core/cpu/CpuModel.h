#pragma once
// What a CPU backend runs: one fp32 reference forward per layer structure, picked by the
// model's type when the weights are loaded. CpuBertModel runs BERT's post-norm layers (BERT and
// its family); CpuModernBertModel runs ModernBERT's pre-norm layers with rotary positions,
// sliding-window attention and GeGLU. Both keep every buffer in the backend's MemoryTracker
// and take the attention strategy per cell (CpuAttention.h).
//
// What the two share lives here: the cell's row layout (eager and sdpa run every layer over the
// padded B×S rows; flash_attention_2 packs the real tokens once after the embeddings and the head
// scatters them back to the padded layout), the attention call, the task output's buffer and
// shape, and forward()'s order: embeddings, the layers, the head.
#include <cstdint>
#include <memory>
#include <vector>

#include "core/backend/Backend.h"
#include "core/cpu/CpuAttention.h"
#include "core/cpu/CpuOps.h"
#include "core/cpu/TrackingAllocator.h"
#include "core/model/BertWeights.h"
#include "core/profile/ScopeTimer.h"

namespace bertbench::cpu {

class CpuModel {
public:
    virtual ~CpuModel() = default;

    // Copies the weights into tracked buffers. Throws BackendError for weights that do not
    // fit their config.
    virtual void load(const BertWeights& weights) = 0;
    virtual void unload() = 0;
    virtual bool loaded() const = 0;
    const ModelConfig& config() const { return config_; }

    // Checks the batch (validateBatch) and the head, and allocates the cell's inputs, activations,
    // workspace and output (prepareCell), after releasing the previous cell. Throws InputError
    // (bad batch), BackendError (no model, missing head) or OutOfMemoryError; a failure halfway
    // releases what it had allocated, so no buffer stays charged.
    void prepare(Task task, const Batch& batch, AttentionKind kind);
    bool prepared() const { return prepared_; }
    void forward();
    TaskOutput output() const;
    void releaseCell();
    // Per-category steady-clock scopes of the next forwards (null = off; the profiling forward).
    void setScopeTimer(ScopeTimer* timer) { timer_ = timer; }

protected:
    explicit CpuModel(MemoryTracker& tracker) : tracker_(tracker) {}

    // Keeps `config`; one that does not validate is a BackendError (the weights are wrong).
    void takeConfig(const ModelConfig& config);
    // The task heads' last layers, each optional (a checkpoint has the heads it was saved with):
    // the MLM decoder's bias (its weight is tied to the word embeddings) and the classifiers.
    void copyTaskHeads(const BertWeights& weights);
    void releaseTaskHeads();

    // Throws BackendError when the loaded weights have no head for `task`.
    virtual void requireHead(Task task) const = 0;
    // prepare()'s allocations, on a released model whose layout (below) is already set.
    virtual void prepareCell(const Batch& batch) = 0;
    // The model's own cell buffers, beyond the shared ones releaseCell() frees.
    virtual void releaseModelCell() = 0;
    virtual void embed() = 0;
    virtual void encoderLayer(size_t index) = 0;
    virtual void head() = 0;

    bool packed() const { return kind_ == AttentionKind::Flash; }
    // Calls fn(row, b, p) for each row of the layout: every position p < S of sequence b when
    // padded, only the real tokens when packed.
    template <typename F>
    void forEachRow(F&& fn) const {
        int64_t r = 0;
        for (int b = 0; b < batch_; ++b) {
            const int positions = packed() ? lengths_[size_t(b)] : seqLen_;
            for (int p = 0; p < positions; ++p, ++r) fn(r, b, p);
        }
    }
    // The row of sequence b's first token in hidden_.
    int64_t firstRow(int b) const { return packed() ? offsets_[size_t(b)] : int64_t(b) * seqLen_; }
    // Where per-position outputs go: packed sequence b's rows land at padded rows b·S.. .
    std::vector<RowSegment> outputSegments() const;

    AttentionShape attentionShape() const;
    void allocateAttentionWorkspace();
    void runAttention(const AttentionShape& shape);

    // outWidth_, outShape_, outputBuf_ and, for classification, the pooling buffers (named for
    // the out-of-memory message).
    void allocateTaskOutput(const char* poolInput, const char* poolOutput);
    // The encoder's output when packed: hidden_'s rows scattered to the padded layout.
    void padEncoderOutput(const std::vector<RowSegment>& segments);

    MemoryTracker& tracker_;
    ScopeTimer* timer_ = nullptr;
    ModelConfig config_;
    TrackedBuffer decoderB_, classifierW_, classifierB_, tokenClassifierW_, tokenClassifierB_, qaW_, qaB_;

    // The prepared cell.
    bool prepared_ = false;
    Task task_ = Task::Encoder;
    AttentionKind kind_ = AttentionKind::Eager;
    int batch_ = 0, seqLen_ = 0;
    int64_t rows_ = 0;                      // B·S padded, or the real tokens when packed
    std::vector<int> lengths_;
    std::vector<int64_t> offsets_;          // packed row offsets [B + 1]
    TrackedArray<int32_t> rowToken_, rowPos_;
    TrackedBuffer hidden_;                  // the residual stream; the encoder's output when padded
    TrackedBuffer qkv_, ctx_, attnWorkspace_;
    TrackedBuffer pooledIn_, pooled_, outputBuf_;
    std::vector<int64_t> outShape_;
    int outWidth_ = 0;

private:
    // Task, batch and strategy of the cell: the row layout and its packed offsets.
    void setLayout(Task task, const Batch& batch, AttentionKind kind);
};

// The forward for `config`'s model type, charging `tracker`.
std::unique_ptr<CpuModel> makeCpuModel(const ModelConfig& config, MemoryTracker& tracker);

} // namespace bertbench::cpu

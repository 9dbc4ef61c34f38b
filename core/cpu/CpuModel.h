#pragma once
// What a CPU backend runs: one fp32 reference forward per layer structure, picked by the
// model's type when the weights are loaded. CpuBertModel runs BERT's post-norm layers (BERT and
// its family); CpuModernBertModel runs ModernBERT's pre-norm layers with rotary positions,
// sliding-window attention and GeGLU. Both keep every buffer in the backend's MemoryTracker
// and take the attention strategy per cell (CpuAttention.h).
#include <memory>

#include "core/backend/Backend.h"
#include "core/cpu/CpuAttention.h"
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
    virtual const ModelConfig& config() const = 0;

    // Checks the batch (validateBatch) and the head, and allocates the cell's inputs, activations,
    // workspace and output (prepareCell), after releasing the previous cell. Throws InputError
    // (bad batch), BackendError (no model, missing head) or OutOfMemoryError; a failure halfway
    // releases what it had allocated, so no buffer stays charged.
    void prepare(Task task, const Batch& batch, AttentionKind kind) {
        releaseCell();
        try {
            prepareCell(task, batch, kind);
        } catch (...) {
            releaseCell();
            throw;
        }
    }
    virtual bool prepared() const = 0;
    virtual void forward() = 0;
    virtual TaskOutput output() const = 0;
    virtual void releaseCell() = 0;
    // Per-category steady-clock scopes of the next forwards (null = off; the profiling forward).
    virtual void setScopeTimer(ScopeTimer* timer) = 0;

protected:
    // prepare()'s work on a released model.
    virtual void prepareCell(Task task, const Batch& batch, AttentionKind kind) = 0;
};

// The forward for `config`'s model type, charging `tracker`.
std::unique_ptr<CpuModel> makeCpuModel(const ModelConfig& config, MemoryTracker& tracker);

} // namespace bertbench::cpu

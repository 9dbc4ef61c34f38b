#include "core/cpu/CpuModel.h"

#include <algorithm>
#include <cstring>

#include "core/batch/BatchValidation.h"
#include "core/cpu/CpuBertModel.h"
#include "core/cpu/CpuModernBertModel.h"
#include "core/cpu/CpuWeightCopy.h"
#include "core/cpu/ThreadPool.h"
#include "core/util/Errors.h"

namespace bertbench::cpu {

namespace {

// The streaming strategies' workspace: one block per pool thread.
size_t streamingWorkspace(const ModelConfig& config) {
    return size_t(cpuPool().size()) * streamingWorkspaceFloats(config.headDim());
}

} // namespace

std::unique_ptr<CpuModel> makeCpuModel(const ModelConfig& config, MemoryTracker& tracker) {
    if (config.isModernBert()) return std::make_unique<CpuModernBertModel>(tracker);
    return std::make_unique<CpuBertModel>(tracker);
}

void CpuModel::takeConfig(const ModelConfig& config) {
    config_ = config;
    try {
        config_.validate();
    } catch (const InputError& e) {
        throw BackendError(e.what());
    }
}

void CpuModel::copyTaskHeads(const BertWeights& w) {
    const int64_t h = config_.hiddenSize, labels = config_.numLabels;
    MemoryTracker& t = tracker_;
    decoderB_ = copyOptional(t, w.mlmDecoderB, config_.vocabSize, "MLM decoder bias");
    classifierW_ = copyOptional(t, w.classifierW, labels * h, "classifier weight");
    classifierB_ = copyOptional(t, w.classifierB, labels, "classifier bias");
    tokenClassifierW_ = copyOptional(t, w.tokenClassifierW, labels * h, "token classifier weight");
    tokenClassifierB_ = copyOptional(t, w.tokenClassifierB, labels, "token classifier bias");
    qaW_ = copyOptional(t, w.qaW, 2 * h, "question-answering weight");
    qaB_ = copyOptional(t, w.qaB, 2, "question-answering bias");
}

void CpuModel::releaseTaskHeads() {
    for (TrackedBuffer* b : {&decoderB_, &classifierW_, &classifierB_, &tokenClassifierW_, &tokenClassifierB_, &qaW_, &qaB_})
        b->reset();
}

void CpuModel::prepare(Task task, const Batch& batch, AttentionKind kind) {
    releaseCell();
    try {
        if (!loaded()) throw BackendError("no model loaded (loadModel first)");
        requireHead(task);
        validateBatch(batch, config_);
        setLayout(task, batch, kind);
        prepareCell(batch);
        prepared_ = true;
    } catch (...) {
        releaseCell();
        throw;
    }
}

void CpuModel::setLayout(Task task, const Batch& batch, AttentionKind kind) {
    task_ = task;
    kind_ = kind;
    batch_ = batch.batchSize;
    seqLen_ = batch.maxSeqLen;
    lengths_ = batch.lengths;
    offsets_.assign(size_t(batch_) + 1, 0);
    for (int b = 0; b < batch_; ++b) offsets_[size_t(b) + 1] = offsets_[size_t(b)] + lengths_[size_t(b)];
    rows_ = packed() ? offsets_.back() : int64_t(batch_) * seqLen_;
}

void CpuModel::releaseCell() {
    prepared_ = false;
    for (TrackedBuffer* b : {&hidden_, &qkv_, &ctx_, &attnWorkspace_, &pooledIn_, &pooled_, &outputBuf_}) b->reset();
    rowToken_.reset();
    rowPos_.reset();
    releaseModelCell();
}

void CpuModel::forward() {
    if (!prepared_) throw BackendError("forward() without a prepared cell (prepare first)");
    {
        TimedScope scope(timer_, "embeddings");
        embed();
    }
    // load() checked the weights' layers against the config's count.
    for (size_t i = 0; i < size_t(config_.numLayers); ++i) encoderLayer(i);
    TimedScope scope(timer_, "head");
    head();
}

std::vector<RowSegment> CpuModel::outputSegments() const {
    std::vector<RowSegment> segments;
    if (packed()) {
        for (int b = 0; b < batch_; ++b) segments.push_back({offsets_[size_t(b)], int64_t(b) * seqLen_, lengths_[size_t(b)]});
    } else {
        segments.push_back({0, 0, rows_});
    }
    return segments;
}

AttentionShape CpuModel::attentionShape() const {
    return AttentionShape{batch_, seqLen_, config_.numHeads, config_.headDim(), lengths_.data(), offsets_.data()};
}

void CpuModel::allocateAttentionWorkspace() {
    if (kind_ == AttentionKind::Eager) {
        attnWorkspace_ = TrackedBuffer(tracker_, eagerScoresFloats(attentionShape()), "attention scores (B×heads×S×S)");
    } else {
        attnWorkspace_ = TrackedBuffer(tracker_, streamingWorkspace(config_), "attention workspace");
    }
}

void CpuModel::runAttention(const AttentionShape& shape) {
    if (kind_ != AttentionKind::Eager && attnWorkspace_.size() < streamingWorkspace(config_)) {
        // The thread count grew since prepare(): per-thread workspace must grow with it.
        attnWorkspace_ = TrackedBuffer(tracker_, streamingWorkspace(config_), "attention workspace");
    }
    switch (kind_) {
    case AttentionKind::Eager: eagerAttention(shape, qkv_.data(), ctx_.data(), attnWorkspace_.data()); break;
    case AttentionKind::Sdpa: sdpaAttention(shape, qkv_.data(), ctx_.data(), attnWorkspace_.data()); break;
    case AttentionKind::Flash: flashAttention(shape, qkv_.data(), ctx_.data(), attnWorkspace_.data()); break;
    }
}

void CpuModel::allocateTaskOutput(const char* poolInput, const char* poolOutput) {
    const int64_t H = config_.hiddenSize;
    const int B = batch_, S = seqLen_;
    switch (task_) {
    case Task::Encoder: outWidth_ = int(H); break;
    case Task::Mlm: outWidth_ = config_.vocabSize; break;
    case Task::Classification: outWidth_ = config_.numLabels; break;
    case Task::TokenClassification: outWidth_ = config_.numLabels; break;
    case Task::Qa: outWidth_ = 2; break;
    }
    if (task_ == Task::Classification) {
        pooledIn_ = TrackedBuffer(tracker_, size_t(B * H), poolInput);
        pooled_ = TrackedBuffer(tracker_, size_t(B * H), poolOutput);
        outputBuf_ = TrackedBuffer(tracker_, size_t(B) * size_t(outWidth_), "logits");
        outShape_ = {B, outWidth_};
    } else {
        // Padded strategies write per-position outputs straight to [B·S, width] (the encoder's
        // is the hidden state itself); flash scatters packed rows into a buffer zeroed here once,
        // so padding positions read 0.
        if (packed() || task_ != Task::Encoder) {
            outputBuf_ = TrackedBuffer(tracker_, size_t(B) * size_t(S) * size_t(outWidth_), "task output");
            if (packed()) std::memset(outputBuf_.data(), 0, outputBuf_.size() * sizeof(float));
        }
        outShape_ = {B, S, outWidth_};
    }
}

void CpuModel::padEncoderOutput(const std::vector<RowSegment>& segments) {
    if (!packed()) return;
    // The only layout change left on the CPU: packed rows back to the padded output.
    TimedScope scope(timer_, "padding");
    const int64_t H = config_.hiddenSize;
    cpuPool().run(batch_, [&](int64_t b, int) {
        const RowSegment& s = segments[size_t(b)];
        std::copy(hidden_.data() + s.inRow * H, hidden_.data() + (s.inRow + s.rows) * H, outputBuf_.data() + s.outRow * H);
    });
}

TaskOutput CpuModel::output() const {
    if (!prepared_) throw BackendError("output() without a prepared cell");
    TaskOutput out;
    out.task = task_;
    out.shape = outShape_;
    out.perPosition = task_ != Task::Classification;
    const TrackedBuffer& src = (task_ == Task::Encoder && !packed()) ? hidden_ : outputBuf_;
    out.values.assign(src.data(), src.data() + src.size());
    return out;
}

} // namespace bertbench::cpu

#include "core/sweep/BatchCycle.h"

#include <algorithm>

#include "core/energy/Energy.h"
#include "core/util/Errors.h"

namespace bertbench {

BatchCycle::BatchCycle(std::unique_ptr<Backend> inner, std::vector<Batch> batches, bool untimedFirst)
    : inner_(std::move(inner)), batches_(std::move(batches)), untimedFirst_(untimedFirst) {
    if (!inner_) throw std::logic_error("BatchCycle without a backend");
    if (batches_.empty()) throw std::logic_error("BatchCycle without batches");
}

void BatchCycle::select(size_t index) {
    if (prepared_ && current_ == index) return;
    prepared_ = false;
    inner_->prepare(task_, batches_[index]);
    const double compiled = inner_->compileTimeMs();
    if (compiled >= 0) compileMs_ = std::max(compileMs_, compiled);
    current_ = index;
    prepared_ = true;
}

void BatchCycle::prepare(Task task, const Batch& /*batch*/) {
    task_ = task;
    prepared_ = false;
    compileMs_ = -1;
    select(0);
}

double BatchCycle::forward() {
    if (!prepared_) throw BackendError(name() + ": forward before prepare");
    double totalMs = 0;
    for (size_t k = 0; k < batches_.size(); ++k) {
        // A batch prepared anew runs once untimed first: its freshly allocated buffers are touched
        // (a CPU backend's first touch of new pages is page faults, not attention) and its shapes seen.
        if (!(prepared_ && current_ == k)) {
            select(k);
            if (untimedFirst_) inner_->forward();
        }
        totalMs += inner_->forward();
    }
    return totalMs / double(batches_.size());
}

void BatchCycle::releaseCell() {
    prepared_ = false;
    inner_->releaseCell();
}

std::optional<OpBreakdown> BatchCycle::profileForward() {
    if (!prepared_) throw BackendError(name() + ": profiling before prepare");
    std::optional<OpBreakdown> mean;
    for (size_t k = 0; k < batches_.size(); ++k) {
        select(k);
        std::optional<OpBreakdown> b = inner_->profileForward();
        if (!b) return std::nullopt;
        if (!b->measured()) return b;   // "not available: why" from the first batch says it all
        if (!mean) {
            mean = std::move(*b);
            continue;
        }
        for (const OpPart& part : b->parts) {
            auto it = std::find_if(mean->parts.begin(), mean->parts.end(),
                                   [&](const OpPart& p) { return p.category == part.category; });
            if (it == mean->parts.end()) {
                mean->parts.push_back(part);
            } else {
                it->ms += part.ms;
                it->calls = std::max(it->calls, part.calls);
            }
        }
    }
    const double n = double(batches_.size());
    mean->sumMs = 0;
    for (OpPart& part : mean->parts) {
        part.ms /= n;
        mean->sumMs += part.ms;
    }
    if (!mean->note.empty()) mean->note += "; ";
    mean->note += "mean of one profiled forward of each of the cell's " + std::to_string(batches_.size()) + " batches";
    return mean;
}

double BatchCycle::compileTimeMs() const { return compileMs_; }

ScopedBatchCycle::ScopedBatchCycle(std::unique_ptr<Backend>& slot, const std::vector<Batch>& batches) : slot_(slot) {
    if (!slot_ || batches.size() < 2) return;
    slot_ = std::make_unique<BatchCycle>(std::move(slot_), batches, /*untimedFirst=*/true);
    wrapped_ = true;
}

ScopedBatchCycle::~ScopedBatchCycle() {
    if (wrapped_ && slot_) slot_ = static_cast<BatchCycle&>(*slot_).release();
}

void energyPerBatch(Energy& energy, int batches) {
    if (batches <= 1) return;
    if (energy.joulesPerForward >= 0) energy.joulesPerForward /= double(batches);
    if (energy.joulesPer1kTokens >= 0) energy.joulesPer1kTokens /= double(batches);
    energy.forwardsInWindow *= batches;
}

} // namespace bertbench

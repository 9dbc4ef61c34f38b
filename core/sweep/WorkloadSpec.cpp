#include "core/sweep/WorkloadSpec.h"

#include <cctype>

#include "core/sweep/SweepSpec.h"

namespace bertbench {

std::string toString(WorkloadKind kind) {
    switch (kind) {
    case WorkloadKind::Synthetic: return "synthetic";
    case WorkloadKind::Lengths: return "lengths";
    case WorkloadKind::Texts: return "texts";
    }
    return "synthetic";
}

std::optional<WorkloadKind> parseWorkloadKind(const std::string& s) {
    for (WorkloadKind k : {WorkloadKind::Synthetic, WorkloadKind::Lengths, WorkloadKind::Texts})
        if (s == toString(k)) return k;
    return std::nullopt;
}

std::string toString(Batching b) {
    switch (b) {
    case Batching::None: return "none";
    case Batching::Random: return "random";
    case Batching::Sorted: return "sorted";
    }
    return "none";
}

std::optional<Batching> parseBatching(const std::string& s) {
    if (s == "random") return Batching::Random;
    if (s == "sorted") return Batching::Sorted;
    return std::nullopt;
}

void addWorkloadProblems(const WorkloadSpec& w, std::vector<SpecProblem>& problems) {
    auto add = [&](const std::string& field, const std::string& message) {
        problems.push_back({"workload." + field, message});
    };
    if (!w.isData()) {
        // A synthetic workload has no file: keys left over from a data one would be ignored silently.
        if (!w.file.empty()) add("file", "a synthetic workload reads no file (kind is \"synthetic\"; use \"lengths\" or \"texts\")");
        return;
    }
    if (w.file.empty())
        add("file", "is empty: name the " + std::string(w.kind == WorkloadKind::Lengths ? "lengths" : "texts") + " file");
    if (w.kind == WorkloadKind::Lengths) {
        if (!w.textField.empty()) add("text_field", "is for a texts workload; a lengths file holds token counts");
        if (!w.tokenizer.empty()) add("tokenizer", "is for a texts workload; a lengths file holds token counts");
    }
    if (w.batching.empty()) add("batching", "must list at least one batching policy (random, sorted)");
    for (size_t i = 0; i < w.batching.size(); ++i) {
        const std::string field = "batching[" + std::to_string(i) + "]";
        if (w.batching[i] == Batching::None) add(field, "\"none\" is a synthetic cell's; a data workload batches random or sorted");
        for (size_t j = 0; j < i; ++j)
            if (w.batching[i] == w.batching[j]) {
                add(field, "batching policy " + toString(w.batching[i]) + " is listed twice");
                break;
            }
    }
    if (w.batchesPerCell < 1 || w.batchesPerCell > kMaxBatchesPerCell)
        add("batches_per_cell", "batches per cell " + std::to_string(w.batchesPerCell) + " is out of range 1.." +
                                    std::to_string(kMaxBatchesPerCell));
    if (!w.sha256.empty()) {
        bool hex = w.sha256.size() == 64;
        for (char c : w.sha256) hex = hex && std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c));
        if (!hex) add("sha256", "expected 64 lower-case hex digits, got \"" + w.sha256 + "\"");
    }
    if (w.bytes < -1) add("bytes", "file size " + std::to_string(w.bytes) + " must be >= 0 (-1 = not recorded)");
}

} // namespace bertbench

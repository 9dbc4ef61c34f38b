#pragma once
// What a run records of its data workload (run.json's "workload"): the file, its size and SHA-256,
// and each model's token counts with the tokenizer that counted them. The spec names the file;
// this is what was in it. Loaded by core/workload/Workload.h, drawn as histograms by ui/.
#include <cstdint>
#include <string>
#include <vector>

#include "core/sweep/WorkloadSpec.h"

namespace bertbench {

struct WorkloadLengths {
    std::string model;        // "" = every model of the run (a lengths file)
    std::string tokenizer;    // texts: the tokenizer's description and folder; "" for a lengths file
    // Token counts, special tokens included: in file order when loaded from the file; in
    // ascending order when read back from a run file (which keeps counts per length only).
    std::vector<int> lengths;
};

struct WorkloadRecord {
    WorkloadKind kind = WorkloadKind::Synthetic;   // Synthetic = no data workload recorded
    std::string file;          // as the spec names it
    int64_t bytes = -1;
    std::string sha256;
    std::string textField;
    std::vector<WorkloadLengths> models;

    bool recorded() const { return kind != WorkloadKind::Synthetic && !models.empty(); }
    // The lengths `model` samples from: its own entry, else the every-model entry; nullptr = none.
    const WorkloadLengths* lengthsOf(const std::string& model) const {
        for (const WorkloadLengths& m : models)
            if (m.model == model) return &m;
        for (const WorkloadLengths& m : models)
            if (m.model.empty()) return &m;
        return models.size() == 1 ? &models.front() : nullptr;
    }
};

} // namespace bertbench

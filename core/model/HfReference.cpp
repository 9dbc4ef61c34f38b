#include "core/model/HfReference.h"

#include <string>
#include <vector>

#include "core/model/Safetensors.h"
#include "core/util/Errors.h"

namespace bertbench {

namespace {

std::vector<int64_t> inputOf(const SafetensorsFile& file, const std::string& path, const std::string& name,
                             const std::vector<int64_t>& shape) {
    if (!file.has(name)) throw FileFormatError(path + ": no tensor '" + name + "' (an input of the reference)");
    const std::vector<int64_t>& actual = file.entries().at(name).shape;
    if (!shape.empty() && actual != shape) {
        throw FileFormatError(path + ": tensor '" + name + "' has shape " + shapeText(actual) + ", expected " +
                              shapeText(shape) + " (the shape of input_ids)");
    }
    if (shape.empty() && actual.size() != 2) {
        throw FileFormatError(path + ": tensor '" + name + "' has shape " + shapeText(actual) + ", expected [B, S]");
    }
    return file.integers(name);
}

Tensor outputOf(const HfReference& r, const std::string& name, const std::vector<int64_t>& shape) {
    auto it = r.outputs.find(name);
    if (it == r.outputs.end()) throw FileFormatError(r.path + ": no tensor '" + name + "' (HF's output)");
    if (it->second.shape != shape) {
        throw FileFormatError(r.path + ": tensor '" + name + "' has shape " + shapeText(it->second.shape) +
                              ", expected " + shapeText(shape));
    }
    return it->second;
}

} // namespace

HfReference loadHfReference(const std::string& path) {
    const SafetensorsFile file = SafetensorsFile::open(path);
    HfReference r;
    r.path = path;
    const std::vector<int64_t> ids = inputOf(file, path, "input_ids", {});
    const std::vector<int64_t> shape = file.entries().at("input_ids").shape;
    const std::vector<int64_t> mask = inputOf(file, path, "attention_mask", shape);
    std::vector<int64_t> types;
    if (file.has("token_type_ids")) types = inputOf(file, path, "token_type_ids", shape);
    const int64_t B = shape[0], S = shape[1];
    if (B < 1 || S < 1) throw FileFormatError(path + ": input_ids is empty (shape " + shapeText(shape) + ")");
    Batch& b = r.batch;
    b.batchSize = int(B);
    b.maxSeqLen = int(S);
    b.lengths.resize(size_t(B));
    b.inputIds.resize(ids.size());
    b.tokenTypeIds.assign(ids.size(), 0);
    b.attentionMask.resize(ids.size());
    for (int64_t row = 0; row < B; ++row) {
        int length = 0;
        for (int64_t p = 0; p < S; ++p) {
            const size_t i = size_t(row * S + p);
            b.inputIds[i] = int32_t(ids[i]);
            if (!types.empty()) b.tokenTypeIds[i] = int32_t(types[i]);
            b.attentionMask[i] = int32_t(mask[i]);
            if (mask[i] != 0 && mask[i] != 1) {
                throw FileFormatError(path + ": attention_mask at row " + std::to_string(row) + ", position " +
                                      std::to_string(p) + " is " + std::to_string(mask[i]) + " (0 or 1)");
            }
            if (mask[i] == 1) {
                if (length != p) {
                    throw FileFormatError(path + ": attention_mask row " + std::to_string(row) +
                                          " is not right-padded (1 after a 0 at position " + std::to_string(p) + ")");
                }
                ++length;
            }
        }
        if (length == 0) throw FileFormatError(path + ": attention_mask row " + std::to_string(row) + " has no real token");
        b.lengths[size_t(row)] = length;
    }
    for (const auto& [name, entry] : file.entries()) {
        if (entry.dtype == "F32" || entry.dtype == "F16" || entry.dtype == "BF16") r.outputs[name] = file.tensor(name);
    }
    return r;
}

std::vector<Task> tasksWithReference(const HfReference& r, const std::vector<std::string>& architectures) {
    std::vector<Task> tasks;
    if (r.outputs.count("last_hidden_state")) tasks.push_back(Task::Encoder);
    if (r.outputs.count("start_logits") && r.outputs.count("end_logits")) tasks.push_back(Task::Qa);
    if (auto it = r.outputs.find("logits"); it != r.outputs.end()) {
        bool maskedLm = false;
        for (const std::string& a : architectures) maskedLm |= a.find("ForMaskedLM") != std::string::npos;
        if (it->second.shape.size() == 2) tasks.push_back(Task::Classification);
        else tasks.push_back(maskedLm ? Task::Mlm : Task::TokenClassification);
    }
    return tasks;
}

namespace {

// HF's names of `task`'s outputs.
std::vector<std::string> outputNames(Task task) {
    switch (task) {
    case Task::Encoder: return {"last_hidden_state"};
    case Task::Qa: return {"start_logits", "end_logits"};
    default: return {"logits"};
    }
}

std::string named(const std::string& name, const std::string& variant) {
    return variant.empty() ? name : name + "." + variant;
}

} // namespace

bool hasVariant(const HfReference& r, Task task, const std::string& variant) {
    for (const std::string& name : outputNames(task))
        if (!r.outputs.count(named(name, variant))) return false;
    return true;
}

TaskOutput expectedOutput(const HfReference& r, Task task, const std::string& variant) {
    const int64_t B = r.batch.batchSize, S = r.batch.maxSeqLen;
    TaskOutput out;
    out.task = task;
    out.perPosition = task != Task::Classification;
    if (task == Task::Encoder) {
        const std::string name = named("last_hidden_state", variant);
        auto it = r.outputs.find(name);
        if (it == r.outputs.end()) throw FileFormatError(r.path + ": no tensor '" + name + "' (HF's output)");
        const Tensor t = outputOf(r, name, {B, S, it->second.shape.size() == 3 ? it->second.shape[2] : 0});
        out.shape = t.shape;
        out.values = t.data;
    } else if (task == Task::Qa) {
        const Tensor start = outputOf(r, named("start_logits", variant), {B, S});
        const Tensor end = outputOf(r, named("end_logits", variant), {B, S});
        out.shape = {B, S, 2};
        out.values.resize(size_t(B * S * 2));
        for (size_t i = 0; i < size_t(B * S); ++i) {
            out.values[2 * i] = start.data[i];
            out.values[2 * i + 1] = end.data[i];
        }
    } else {
        const std::string name = named("logits", variant);
        auto it = r.outputs.find(name);
        if (it == r.outputs.end()) throw FileFormatError(r.path + ": no tensor '" + name + "' (HF's output)");
        const std::vector<int64_t>& shape = it->second.shape;
        const bool perRow = task == Task::Classification;
        const int64_t width = shape.empty() ? 0 : shape.back();
        const Tensor t = outputOf(r, name, perRow ? std::vector<int64_t>{B, width} : std::vector<int64_t>{B, S, width});
        out.shape = t.shape;
        out.values = t.data;
    }
    return out;
}

} // namespace bertbench

#include "core/model/SafetensorsWriter.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/util/Errors.h"

namespace bertbench {

std::vector<uint8_t> safetensorsBytes(const std::vector<NamedTensor>& tensors,
                                      const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    std::set<std::string> seen;
    uint64_t offset = 0;
    for (const NamedTensor& t : tensors) {
        if (t.name.empty()) throw InputError("safetensors: a tensor has an empty name");
        if (t.name == "__metadata__") throw InputError("safetensors: '__metadata__' is reserved, not a tensor name");
        if (!seen.insert(t.name).second) throw InputError("safetensors: tensor '" + t.name + "' is given twice");
        if (t.tensor == nullptr) throw InputError("safetensors: tensor '" + t.name + "' is null");
        for (int64_t d : t.tensor->shape)
            if (d < 0) throw InputError("safetensors: tensor '" + t.name + "' has a negative dimension");
        if (Tensor::numel(t.tensor->shape) != t.tensor->numel())
            throw InputError("safetensors: tensor '" + t.name + "' holds " + std::to_string(t.tensor->numel()) +
                             " values, its shape " + shapeText(t.tensor->shape) + " needs " +
                             std::to_string(Tensor::numel(t.tensor->shape)));
        const uint64_t bytes = uint64_t(t.tensor->numel()) * 4;
        header[t.name] = {{"dtype", "F32"}, {"shape", t.tensor->shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');   // the data section starts 8-byte aligned

    std::vector<uint8_t> out;
    out.reserve(8 + text.size() + offset);
    const uint64_t len = text.size();
    for (int i = 0; i < 8; ++i) out.push_back(uint8_t(len >> (8 * i)));
    out.insert(out.end(), text.begin(), text.end());
    for (const NamedTensor& t : tensors) {
        const size_t at = out.size();
        out.resize(at + size_t(t.tensor->numel()) * 4);
        if constexpr (std::endian::native == std::endian::little) {
            if (t.tensor->numel() > 0) std::memcpy(out.data() + at, t.tensor->ptr(), size_t(t.tensor->numel()) * 4);
        } else {
            for (int64_t i = 0; i < t.tensor->numel(); ++i) {
                const uint32_t bits = std::bit_cast<uint32_t>(t.tensor->data[size_t(i)]);
                for (int b = 0; b < 4; ++b) out[at + size_t(i) * 4 + size_t(b)] = uint8_t(bits >> (8 * b));
            }
        }
    }
    return out;
}

void writeSafetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const std::vector<uint8_t> bytes = safetensorsBytes(tensors, metadata);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot create the safetensors file");
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out) throw InputError(path + ": writing the safetensors file failed (disk full?)");
}

} // namespace bertbench

#pragma once
// Minimal safetensors writer, the reader's counterpart (Safetensors.h): 8-byte little-endian header
// length, a JSON header padded with spaces to a multiple of 8 bytes, then the tensors' F32 data,
// contiguous and in the order given (HF's loader rejects gaps between tensors).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/model/Tensor.h"

namespace bertbench {

struct NamedTensor {
    std::string name;
    const Tensor* tensor = nullptr;
};

// The file's bytes. Throws InputError for an empty or repeated name, a null tensor, or a tensor
// whose data does not match its shape.
std::vector<uint8_t> safetensorsBytes(const std::vector<NamedTensor>& tensors,
                                      const std::map<std::string, std::string>& metadata = {});
// Writes atomically enough for a temporary checkpoint (whole file, then close). Throws InputError
// naming the path when it cannot be written.
void writeSafetensors(const std::string& path, const std::vector<NamedTensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace bertbench

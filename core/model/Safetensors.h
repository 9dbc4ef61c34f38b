#pragma once
// Minimal safetensors reader: 8-byte little-endian header length, JSON header
// (nlohmann_json), raw little-endian data. Every offset and shape is bounds-checked.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/model/Tensor.h"

namespace bertbench {

struct SafetensorsEntry {
    std::string dtype;             // "F32", "F16", "BF16", ...
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;   // byte offsets into the data section
};

class SafetensorsFile {
public:
    // Throws FileFormatError naming the file and the problem.
    static SafetensorsFile open(const std::string& path);
    static SafetensorsFile fromBytes(std::vector<uint8_t> bytes, const std::string& sourceName);

    const std::map<std::string, SafetensorsEntry>& entries() const { return entries_; }
    bool has(const std::string& name) const { return entries_.count(name) != 0; }
    // Converts F32/F16/BF16 to fp32. Throws FileFormatError for other dtypes.
    Tensor tensor(const std::string& name) const;
    // Reads I64/I32 (token ids, masks) as int64. Throws FileFormatError for other dtypes.
    std::vector<int64_t> integers(const std::string& name) const;

private:
    std::string source_;
    std::vector<uint8_t> bytes_;
    size_t dataStart_ = 0;
    std::map<std::string, SafetensorsEntry> entries_;
};

} // namespace bertbench

#include "core/model/Safetensors.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/util/Errors.h"

namespace bertbench {

namespace {

using nlohmann::json;

// A header larger than this is not a model header but a corrupt length field.
constexpr uint64_t kMaxHeaderBytes = 100ull * 1000 * 1000;

// Element sizes of every dtype the safetensors format defines; only F32/F16/BF16 convert.
int dtypeBytes(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
    if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL" || dtype == "F8_E4M3" || dtype == "F8_E5M2") return 1;
    return 0;
}

uint16_t loadU16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t loadU32(const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0x1f) {                      // inf / NaN
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {                  // normal
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {                 // ±0
        bits = sign;
    } else {                                // subnormal: normalise
        int e = -1;
        do {
            ++e;
            mant <<= 1;
        } while ((mant & 0x400u) == 0);
        bits = sign | (uint32_t(112 - e) << 23) | ((mant & 0x3ffu) << 13);
    }
    return std::bit_cast<float>(bits);
}

} // namespace

SafetensorsFile SafetensorsFile::open(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw FileFormatError(path + ": cannot open the safetensors file");
    const std::streamoff size = in.tellg();
    if (size < 0) throw FileFormatError(path + ": cannot read the safetensors file size");
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
        throw FileFormatError(path + ": cannot read the safetensors file");
    }
    return fromBytes(std::move(bytes), path);
}

SafetensorsFile SafetensorsFile::fromBytes(std::vector<uint8_t> bytes, const std::string& sourceName) {
    SafetensorsFile f;
    f.source_ = sourceName;
    const std::string& src = sourceName;
    if (bytes.size() < 8) {
        throw FileFormatError(src + ": file of " + std::to_string(bytes.size()) +
                              " bytes is too short for a safetensors header (8-byte length first)");
    }
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | bytes[size_t(i)];
    if (headerLen > kMaxHeaderBytes) {
        throw FileFormatError(src + ": header length " + std::to_string(headerLen) +
                              " bytes is over the limit of " + std::to_string(kMaxHeaderBytes));
    }
    if (headerLen > bytes.size() - 8) {
        throw FileFormatError(src + ": header length " + std::to_string(headerLen) + " runs past the end of the " +
                              std::to_string(bytes.size()) + "-byte file (truncated?)");
    }
    const char* headerBegin = reinterpret_cast<const char*>(bytes.data() + 8);
    json header;
    try {
        header = json::parse(headerBegin, headerBegin + headerLen);
    } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers that overflow
        throw FileFormatError(src + ": header is not valid JSON (" + e.what() + ")");
    }
    if (!header.is_object()) throw FileFormatError(src + ": header is not a JSON object");

    f.dataStart_ = size_t(8 + headerLen);
    const uint64_t dataSize = bytes.size() - f.dataStart_;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        if (name == "__metadata__") continue;
        const std::string where = src + ": tensor '" + name + "'";
        const json& e = it.value();
        if (!e.is_object()) throw FileFormatError(where + ": entry is not an object");
        auto dt = e.find("dtype");
        auto sh = e.find("shape");
        auto off = e.find("data_offsets");
        if (dt == e.end() || !dt->is_string()) throw FileFormatError(where + ": missing or non-string dtype");
        if (sh == e.end() || !sh->is_array()) throw FileFormatError(where + ": missing or non-array shape");
        if (off == e.end() || !off->is_array() || off->size() != 2) {
            throw FileFormatError(where + ": data_offsets must be an array of two offsets");
        }
        SafetensorsEntry entry;
        entry.dtype = dt->get<std::string>();
        const int elemBytes = dtypeBytes(entry.dtype);
        if (elemBytes == 0) throw FileFormatError(where + ": unknown dtype '" + entry.dtype + "'");

        // numel with an overflow guard: no real tensor has more elements than the file has bytes.
        // A zero dimension makes an empty tensor, but the other dimensions must still multiply
        // without overflow (Tensor computes the product in int64).
        uint64_t numel = 1, nonZeroProduct = 1;
        constexpr uint64_t kMaxElements = uint64_t(1) << 50;
        for (const json& d : *sh) {
            if (!d.is_number_unsigned()) {   // nlohmann keeps every non-negative integer unsigned
                throw FileFormatError(where + ": shape " + sh->dump() + " has a dimension that is not a non-negative integer");
            }
            const uint64_t dim = d.get<uint64_t>();
            if (dim == 0) {
                numel = 0;
            } else {
                if (nonZeroProduct > kMaxElements / dim) {
                    throw FileFormatError(where + ": shape " + sh->dump() + " has too many elements");
                }
                nonZeroProduct *= dim;
                numel *= dim;
            }
            entry.shape.push_back(static_cast<int64_t>(dim));
        }
        for (const json& o : *off) {
            if (!o.is_number_unsigned()) {
                throw FileFormatError(where + ": data_offsets " + off->dump() + " are not non-negative integers");
            }
        }
        entry.begin = (*off)[0].get<uint64_t>();
        entry.end = (*off)[1].get<uint64_t>();
        if (entry.begin > entry.end || entry.end > dataSize) {
            throw FileFormatError(where + ": data_offsets [" + std::to_string(entry.begin) + ", " +
                                  std::to_string(entry.end) + "] are out of range of the " +
                                  std::to_string(dataSize) + "-byte data section");
        }
        const uint64_t have = entry.end - entry.begin;
        if (numel > dataSize || have != numel * uint64_t(elemBytes)) {
            throw FileFormatError(where + ": " + std::to_string(have) + " bytes do not hold shape " +
                                  shapeText(entry.shape) + " of " + entry.dtype + " (" +
                                  (numel > dataSize ? std::string("more elements than the file has bytes")
                                                    : std::to_string(numel * uint64_t(elemBytes)) + " bytes") +
                                  ")");
        }
        f.entries_.emplace(name, std::move(entry));
    }
    f.bytes_ = std::move(bytes);
    return f;
}

Tensor SafetensorsFile::tensor(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw FileFormatError(source_ + ": no tensor '" + name + "'");
    const SafetensorsEntry& e = it->second;
    Tensor t(e.shape);
    const uint8_t* p = bytes_.data() + dataStart_ + e.begin;
    const size_t n = t.data.size();
    float* out = t.ptr();
    if (e.dtype == "F32") {
        if constexpr (std::endian::native == std::endian::little) {
            if (n) std::memcpy(out, p, n * 4);
        } else {
            for (size_t i = 0; i < n; ++i) out[i] = std::bit_cast<float>(loadU32(p + 4 * i));
        }
    } else if (e.dtype == "F16") {
        for (size_t i = 0; i < n; ++i) out[i] = halfToFloat(loadU16(p + 2 * i));
    } else if (e.dtype == "BF16") {
        for (size_t i = 0; i < n; ++i) out[i] = std::bit_cast<float>(uint32_t(loadU16(p + 2 * i)) << 16);
    } else {
        throw FileFormatError(source_ + ": tensor '" + name + "' has dtype " + e.dtype +
                              ", only F32, F16 and BF16 are supported");
    }
    return t;
}

std::vector<int64_t> SafetensorsFile::integers(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw FileFormatError(source_ + ": no tensor '" + name + "'");
    const SafetensorsEntry& e = it->second;
    size_t n = 1;
    for (int64_t d : e.shape) n *= size_t(d);
    const uint8_t* p = bytes_.data() + dataStart_ + e.begin;
    std::vector<int64_t> out(n);
    if (e.dtype == "I64") {
        for (size_t i = 0; i < n; ++i)
            out[i] = int64_t(uint64_t(loadU32(p + 8 * i)) | (uint64_t(loadU32(p + 8 * i + 4)) << 32));
    } else if (e.dtype == "I32") {
        for (size_t i = 0; i < n; ++i) out[i] = int32_t(loadU32(p + 4 * i));
    } else {
        throw FileFormatError(source_ + ": tensor '" + name + "' has dtype " + e.dtype + ", expected I64 or I32");
    }
    return out;
}

} // namespace bertbench

#pragma once
// SHA-256 (FIPS 180-4), for recording which bytes a run measured (a workload file's identity).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bertbench {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::string hexDigest();   // 64 lower-case hex digits; call once

private:
    void block(const uint8_t* p);
    uint32_t h_[8];
    uint8_t buffer_[64];
    std::size_t buffered_ = 0;
    uint64_t totalBytes_ = 0;
};

std::string sha256Hex(std::string_view data);
// Streams the file; throws InputError naming it when it cannot be read. `bytes` gets its size.
std::string sha256OfFile(const std::string& path, int64_t* bytes = nullptr);

} // namespace bertbench

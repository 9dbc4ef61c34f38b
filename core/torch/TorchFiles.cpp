#include "core/torch/TorchFiles.h"

#include <stdlib.h>

#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/util/Errors.h"

namespace bertbench::torch {

namespace fs = std::filesystem;

TempFolder::TempFolder(const std::string& prefix) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr)
        throw BackendError("cannot create a temporary folder " + pattern + ": " + std::strerror(errno));
    path_ = buf.data();
}

TempFolder::~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);   // best effort: a leftover temp folder is no reason to fail
}

void writeInt32File(const std::string& path, const std::vector<int32_t>& values) {
    static_assert(std::endian::native == std::endian::little, "the worker protocol's arrays are little-endian");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw BackendError(path + ": cannot create the input file for the torch worker");
    out.write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * sizeof(int32_t)));
    out.close();
    if (!out) throw BackendError(path + ": writing the input file for the torch worker failed (disk full?)");
}

std::vector<float> readFloat32File(const std::string& path, int64_t count) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) throw BackendError(path + ": the torch worker's output file is missing (" + ec.message() + ")");
    if (count < 0 || size != uint64_t(count) * 4)
        throw BackendError(path + ": the torch worker's output file has " + std::to_string(size) +
                           " bytes; its reported shape needs " + std::to_string(count) + " float32 values (" +
                           std::to_string(uint64_t(count) * 4) + " bytes)");
    std::vector<float> values(static_cast<size_t>(count));
    std::ifstream in(path, std::ios::binary);
    if (!in || (count > 0 && !in.read(reinterpret_cast<char*>(values.data()), std::streamsize(size))))
        throw BackendError(path + ": cannot read the torch worker's output file");
    return values;
}

std::string writeWorkerScript(const std::string& folder) {
    for (const WorkerFile& file : embeddedWorkerFiles()) {
        const std::string path = folder + "/" + file.name;
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << file.text;
        out.close();
        if (!out) throw BackendError(path + ": cannot write the torch worker script");
    }
    return folder + "/" + embeddedWorkerFiles().front().name;
}

} // namespace bertbench::torch

#pragma once
// The files of the torch worker protocol: a private temporary folder per worker, the raw
// little-endian arrays exchanged through it, and the worker script written into it.
#include <cstdint>
#include <string>
#include <vector>

namespace bertbench::torch {

// mkdtemp under $TMPDIR (else /tmp), removed with everything in it on destruction.
class TempFolder {
public:
    explicit TempFolder(const std::string& prefix = "bertbench-torch-");
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Row-major int32, little-endian. Throws BackendError naming the path on a write failure.
void writeInt32File(const std::string& path, const std::vector<int32_t>& values);
// Row-major float32, little-endian, exactly `count` values. Throws BackendError naming the path and
// the sizes when the file is missing or has another size.
std::vector<float> readFloat32File(const std::string& path, int64_t count);

// The worker (resources/python/bertbench_torch_worker.py, the protocol side, and
// bertbench_torch_model.py, which it imports), compiled into the library so that a binary
// carries its own worker. The first file is the script Python runs.
struct WorkerFile {
    std::string name;
    std::string text;
};
const std::vector<WorkerFile>& embeddedWorkerFiles();
const std::string& embeddedWorkerScript();
// Writes every worker file into `folder`; returns the script's path.
std::string writeWorkerScript(const std::string& folder);

} // namespace bertbench::torch

#pragma once
// The one way every kernel check (kernels/verify/*Checks.cpp) runs a kernel against its CPU twin:
// fresh random inputs rounded to the dtype on the host (so only the kernel's arithmetic and its
// output rounding are compared), uploaded with upload(); outputs allocated by poisoned(), whose
// NaN bytes make an element the kernel leaves unwritten fail the comparison; read back with
// download(); judged by compare() (relative L2 against the dtype's tolerance).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/backend/Task.h"
#include "core/util/Random.h"
#include "kernels/runtime/CudaContext.h"
#include "kernels/runtime/DeviceAllocator.h"
#include "kernels/verify/KernelChecks.h"

namespace bertbench::cuda {

// The first usable GPU with its own allocator and context (stream, cuBLAS handles).
class CheckDevice {
public:
    CheckDevice();
    CudaContext& context() { return context_; }
    DeviceAllocator& allocator() { return allocator_; }

    DeviceBuffer upload(const std::vector<float>& values, DType dtype);
    DeviceBuffer uploadInts(const std::vector<int32_t>& values);
    // count elements of NaN bytes (0xff: NaN in fp32, fp16 and bf16), filled on the stream.
    DeviceBuffer poisoned(size_t count, DType dtype);
    // Waits for the stream, then copies count elements back as floats.
    std::vector<float> download(const DeviceBuffer& buffer, size_t count, DType dtype);

private:
    DeviceAllocator allocator_;
    CudaContext context_;
};

// Normal(mean, stdev) values rounded to the dtype (what the device sees).
std::vector<float> randomValues(Rng& rng, size_t n, double mean, double stdev, DType dtype);
// values rounded to dtype (round to nearest even) and back: what the device holds of them.
std::vector<float> roundedTo(DType dtype, std::vector<float> values);

// Relative L2 tolerance of one op's output: 1e-5 fp32, 2e-3 fp16, 1.2e-2 bf16.
double opTolerance(DType dtype);

// got against want, element for element; a NaN anywhere fails.
KernelCheck compare(const std::string& name, DType dtype, const std::vector<float>& got, const std::vector<float>& want);

// The checks run so far. run() records an exception as a failed check named `name`, so one
// failing kernel never hides the others.
class CheckList {
public:
    void run(const std::string& name, DType dtype, const std::function<KernelCheck()>& check);
    void add(KernelCheck check) { checks_.push_back(std::move(check)); }
    void fail(const std::string& name, DType dtype, const std::string& why);
    std::vector<KernelCheck> take() { return std::move(checks_); }

private:
    std::vector<KernelCheck> checks_;
};

} // namespace bertbench::cuda

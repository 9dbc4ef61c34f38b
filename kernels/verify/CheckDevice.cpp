#include "kernels/verify/CheckDevice.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

#include <cuda_runtime_api.h>

#include "kernels/ops/Ops.h"
#include "kernels/runtime/CudaCheck.h"
#include "kernels/runtime/Gemm.h"
#include "kernels/runtime/HostConvert.h"

namespace bertbench::cuda {

CheckDevice::CheckDevice() : allocator_(firstUsableDevice()), context_(allocator_.device(), allocator_) {}

DeviceBuffer CheckDevice::upload(const std::vector<float>& values, DType dtype) {
    const size_t bytes = values.size() * elementSize(dtype);
    DeviceBuffer b(allocator_, bytes, "check input");
    std::vector<unsigned char> raw(bytes);
    convertFromFloat(dtype, values.data(), values.size(), raw.data());
    // The stream may still be writing a buffer this one reuses (the allocator caches blocks).
    context_.synchronize();
    BB_CUDA_CHECK(cudaMemcpy(b.get(), raw.data(), bytes, cudaMemcpyHostToDevice));
    return b;
}

DeviceBuffer CheckDevice::uploadInts(const std::vector<int32_t>& values) {
    DeviceBuffer b(allocator_, values.size() * sizeof(int32_t) + 4, "check ints");
    context_.synchronize();
    BB_CUDA_CHECK(cudaMemcpy(b.get(), values.data(), values.size() * sizeof(int32_t), cudaMemcpyHostToDevice));
    return b;
}

DeviceBuffer CheckDevice::poisoned(size_t count, DType dtype) {
    const size_t bytes = count * elementSize(dtype);
    DeviceBuffer b(allocator_, bytes, "check output");
    ops::fillBytes(b.get(), 0xff, bytes, context_.stream());
    return b;
}

std::vector<float> CheckDevice::download(const DeviceBuffer& buffer, size_t count, DType dtype) {
    context_.synchronize();
    std::vector<unsigned char> raw(count * elementSize(dtype));
    BB_CUDA_CHECK(cudaMemcpy(raw.data(), buffer.get(), raw.size(), cudaMemcpyDeviceToHost));
    std::vector<float> out(count);
    convertToFloat(dtype, raw.data(), count, out.data());
    return out;
}

std::vector<float> randomValues(Rng& rng, size_t n, double mean, double stdev, DType dtype) {
    std::vector<float> v(n);
    for (float& x : v) x = float(mean + stdev * rng.normal());
    return roundedTo(dtype, std::move(v));
}

std::vector<float> roundedTo(DType dtype, std::vector<float> values) {
    if (dtype == DType::Float32) return values;
    std::vector<uint16_t> bits(values.size());
    convertFromFloat(dtype, values.data(), values.size(), bits.data());
    convertToFloat(dtype, bits.data(), values.size(), values.data());
    return values;
}

double opTolerance(DType dtype) {
    switch (dtype) {
    case DType::Float32: return 1e-5;
    case DType::Float16: return 2e-3;
    case DType::BFloat16: return 1.2e-2;
    }
    return 0;
}

KernelCheck compare(const std::string& name, DType dtype, const std::vector<float>& got, const std::vector<float>& want) {
    KernelCheck c;
    c.name = name;
    c.dtype = dtype;
    c.tolerance = opTolerance(dtype);
    double diff2 = 0, ref2 = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        const double d = double(got[i]) - double(want[i]);
        if (std::isnan(d)) {
            c.maxAbs = INFINITY;
            diff2 = INFINITY;
            continue;
        }
        c.maxAbs = std::max(c.maxAbs, std::fabs(d));
        diff2 += d * d;
        ref2 += double(want[i]) * double(want[i]);
    }
    c.relL2 = ref2 > 0 ? std::sqrt(diff2 / ref2) : std::sqrt(diff2);
    c.pass = c.relL2 <= c.tolerance;
    return c;
}

void CheckList::run(const std::string& name, DType dtype, const std::function<KernelCheck()>& check) {
    try {
        checks_.push_back(check());
    } catch (const std::exception& e) {
        fail(name, dtype, e.what());
    }
}

void CheckList::fail(const std::string& name, DType dtype, const std::string& why) {
    KernelCheck c;
    c.name = name;
    c.dtype = dtype;
    c.failure = why;
    checks_.push_back(c);
}

} // namespace bertbench::cuda

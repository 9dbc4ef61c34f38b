#include "app/common/Gpus.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>

#ifdef BERTBENCH_HAVE_CUDA
#include <cuda_runtime_api.h>
#endif

namespace bertbench::app {

std::string formatGpuUuid(const unsigned char (&b)[16]) {
    char text[64];
    std::snprintf(text, sizeof text,
                  "GPU-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
                  b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return text;
}

#ifdef BERTBENCH_HAVE_CUDA

namespace {

struct DeviceInfo {
    int ordinal = 0;
    int domain = 0, bus = 0, device = 0;
    int major = 0;
    GpuIdentity identity;
};

std::optional<DeviceInfo> deviceInfo(int ordinal) {
    cudaDeviceProp p{};
    if (cudaGetDeviceProperties(&p, ordinal) != cudaSuccess) {
        cudaGetLastError();   // clear the error so later CUDA calls are not blamed for it
        return std::nullopt;
    }
    DeviceInfo d;
    d.ordinal = ordinal;
    d.domain = p.pciDomainID;
    d.bus = p.pciBusID;
    d.device = p.pciDeviceID;
    d.major = p.major;
    d.identity.name = p.name;
    unsigned char bytes[16];
    std::memcpy(bytes, p.uuid.bytes, sizeof bytes);
    d.identity.uuid = formatGpuUuid(bytes);
    return d;
}

std::vector<DeviceInfo> devicesInPciOrder() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        return {};
    }
    std::vector<DeviceInfo> devices;
    for (int d = 0; d < count; ++d)
        if (auto info = deviceInfo(d)) devices.push_back(*info);
    std::sort(devices.begin(), devices.end(), [](const DeviceInfo& a, const DeviceInfo& b) {
        return std::tie(a.domain, a.bus, a.device) < std::tie(b.domain, b.bus, b.device);
    });
    for (size_t i = 0; i < devices.size(); ++i) devices[i].identity.index = int(i);
    return devices;
}

// Entry `ordinal` of CUDA_VISIBLE_DEVICES when it is a plain index, else -1.
int visibleDevicesEntry(int ordinal) {
    const char* env = std::getenv("CUDA_VISIBLE_DEVICES");
    if (env == nullptr) return -1;
    const std::string list = env;
    size_t start = 0;
    for (int i = 0; start <= list.size(); ++i) {
        const size_t comma = std::min(list.find(',', start), list.size());
        const std::string item = list.substr(start, comma - start);
        if (i == ordinal) {
            if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos) return -1;
            return std::atoi(item.c_str());
        }
        start = comma + 1;
    }
    return -1;
}

} // namespace

std::vector<GpuIdentity> listGpus() {
    std::vector<GpuIdentity> gpus;
    for (const DeviceInfo& d : devicesInPciOrder()) gpus.push_back(d.identity);
    return gpus;
}

std::optional<GpuIdentity> visibleGpuIdentity(int ordinal, int machineIndex) {
    std::optional<DeviceInfo> d = deviceInfo(ordinal);
    if (!d) return std::nullopt;
    d->identity.index = machineIndex;
    return d->identity;
}

std::optional<GpuIdentity> cudaBackendGpu() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        return std::nullopt;
    }
    // The same rule as the backends' own choice (kernels: the first device of 8.0+).
    for (int ordinal = 0; ordinal < count; ++ordinal) {
        std::optional<DeviceInfo> d = deviceInfo(ordinal);
        if (!d || d->major < 8) continue;
        const int listed = visibleDevicesEntry(ordinal);
        if (listed >= 0) {
            d->identity.index = listed;
        } else if (std::getenv("CUDA_VISIBLE_DEVICES") == nullptr) {
            // Every GPU is visible: the machine index is the device's place in PCI bus order.
            for (const DeviceInfo& other : devicesInPciOrder())
                if (other.identity.uuid == d->identity.uuid) d->identity.index = other.identity.index;
        }
        return d->identity;
    }
    return std::nullopt;
}

#else   // no CUDA in this build: no GPU to name

std::vector<GpuIdentity> listGpus() { return {}; }
std::optional<GpuIdentity> visibleGpuIdentity(int, int) { return std::nullopt; }
std::optional<GpuIdentity> cudaBackendGpu() { return std::nullopt; }

#endif

} // namespace bertbench::app

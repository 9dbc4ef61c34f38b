#pragma once
// NVML, loaded at run time with dlopen: no NVML headers at build time, and a machine
// without the driver's libnvidia-ml records "not available" instead of failing to start.
// Only the handful of entry points the energy window needs are declared (in Nvml.cpp).
#include <memory>
#include <string>

#include "core/energy/EnergyMeter.h"

namespace bertbench {

constexpr const char* kNvmlLibrary = "libnvidia-ml.so.1";

class NvmlLibrary;  // the loaded library and its function pointers, shared by the meters

// Loads NVML from `libraryPath` (a soname or a path) once per path and process, initialises it,
// and returns a meter for the GPU with this PCI bus id. nullptr + `why` ("not available: ...")
// when the library, a symbol, nvmlInit or the device is missing.
std::unique_ptr<EnergyMeter> openNvmlMeter(const std::string& libraryPath, const std::string& pciBusId,
                                           std::string& why);

// The runner's default factory: openNvmlMeter(kNvmlLibrary, ...).
EnergyMeterFactory nvmlMeterFactory(const std::string& libraryPath = kNvmlLibrary);

} // namespace bertbench

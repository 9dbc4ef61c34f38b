#include "core/energy/Nvml.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

namespace bertbench {

namespace {

// The few NVML types we use, declared from NVML's documented C ABI: return codes and clock /
// sensor selectors are C enums (int), a device is an opaque pointer.
using NvmlReturn = int;
using NvmlDevice = struct NvmlDeviceOpaque*;
constexpr NvmlReturn kNvmlSuccess = 0;
constexpr int kNvmlClockSm = 1;          // NVML_CLOCK_SM
constexpr int kNvmlTemperatureGpu = 0;   // NVML_TEMPERATURE_GPU

} // namespace

class NvmlLibrary {
public:
    using InitFn = NvmlReturn (*)();
    using ErrorStringFn = const char* (*)(NvmlReturn);
    using ByPciFn = NvmlReturn (*)(const char*, NvmlDevice*);
    using EnergyFn = NvmlReturn (*)(NvmlDevice, unsigned long long*);
    using PowerFn = NvmlReturn (*)(NvmlDevice, unsigned int*);
    using ClockFn = NvmlReturn (*)(NvmlDevice, int, unsigned int*);
    using TempFn = NvmlReturn (*)(NvmlDevice, int, unsigned int*);

    // Loads and initialises; on failure `error` says why and the object is unusable.
    explicit NvmlLibrary(const std::string& path) {
        handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle_) {
            const char* e = dlerror();
            error_ = "could not load " + path + (e ? std::string(" (") + e + ")" : std::string());
            return;
        }
        const bool ok = bind(init_, "nvmlInit_v2") && bind(byPci_, "nvmlDeviceGetHandleByPciBusId_v2") &&
                        bind(energy_, "nvmlDeviceGetTotalEnergyConsumption") && bind(power_, "nvmlDeviceGetPowerUsage") &&
                        bind(clock_, "nvmlDeviceGetClockInfo") && bind(temp_, "nvmlDeviceGetTemperature");
        bind(errorString_, "nvmlErrorString");   // optional: only for messages
        if (!ok) return;
        if (const NvmlReturn r = init_(); r != kNvmlSuccess) error_ = "nvmlInit_v2 failed: " + text(r);
    }
    ~NvmlLibrary() = default;   // NVML stays loaded for the process: meters may outlive a sweep

    bool usable() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::string text(NvmlReturn r) const {
        const char* s = errorString_ ? errorString_(r) : nullptr;
        return s ? std::string(s) : "NVML error " + std::to_string(r);
    }

    InitFn init_ = nullptr;
    ErrorStringFn errorString_ = nullptr;
    ByPciFn byPci_ = nullptr;
    EnergyFn energy_ = nullptr;
    PowerFn power_ = nullptr;
    ClockFn clock_ = nullptr;
    TempFn temp_ = nullptr;

private:
    template <typename Fn>
    bool bind(Fn& fn, const char* symbol) {
        fn = reinterpret_cast<Fn>(dlsym(handle_, symbol));
        if (!fn && error_.empty() && std::string(symbol) != "nvmlErrorString")
            error_ = std::string("the NVML library has no ") + symbol + " (driver too old?)";
        return fn != nullptr;
    }
    void* handle_ = nullptr;
    std::string error_;
};

namespace {

// One library per path and process: dlopen + nvmlInit once, whatever the number of sweeps.
NvmlLibrary& libraryFor(const std::string& path) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<NvmlLibrary>> libraries;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& slot = libraries[path];
    if (!slot) slot = std::make_unique<NvmlLibrary>(path);
    return *slot;
}

class NvmlMeter final : public EnergyMeter {
public:
    NvmlMeter(NvmlLibrary& lib, NvmlDevice device) : lib_(lib), device_(device) {}

    EnergySample sample() override {
        EnergySample s;
        unsigned long long mj = 0;
        if (lib_.energy_(device_, &mj) == kNvmlSuccess) s.energyMj = double(mj);
        unsigned int value = 0;
        if (lib_.power_(device_, &value) == kNvmlSuccess) s.powerW = double(value) / 1000.0;   // mW
        if (lib_.clock_(device_, kNvmlClockSm, &value) == kNvmlSuccess) s.smClockMhz = double(value);
        if (lib_.temp_(device_, kNvmlTemperatureGpu, &value) == kNvmlSuccess) s.tempC = double(value);
        return s;
    }
    double smClockMhz() override {
        unsigned int value = 0;
        return lib_.clock_(device_, kNvmlClockSm, &value) == kNvmlSuccess ? double(value) : -1.0;
    }

private:
    NvmlLibrary& lib_;
    NvmlDevice device_;
};

} // namespace

std::unique_ptr<EnergyMeter> openNvmlMeter(const std::string& libraryPath, const std::string& pciBusId,
                                           std::string& why) {
    NvmlLibrary& lib = libraryFor(libraryPath);
    if (!lib.usable()) {
        why = "not available: " + lib.error();
        return nullptr;
    }
    if (pciBusId.empty()) {
        why = "not available: the backend names no GPU (NVML measures NVIDIA GPUs only)";
        return nullptr;
    }
    NvmlDevice device = nullptr;
    if (const NvmlReturn r = lib.byPci_(pciBusId.c_str(), &device); r != kNvmlSuccess) {
        why = "not available: NVML has no GPU at PCI " + pciBusId + ": " + lib.text(r);
        return nullptr;
    }
    return std::make_unique<NvmlMeter>(lib, device);
}

EnergyMeterFactory nvmlMeterFactory(const std::string& libraryPath) {
    return [libraryPath](const std::string& pciBusId, std::string& why) {
        return openNvmlMeter(libraryPath, pciBusId, why);
    };
}

} // namespace bertbench

#pragma once
// What the sweep runner needs from a GPU's power telemetry, behind an interface so
// the runner's energy window can be tested with a synthetic meter and no GPU.
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace bertbench {

struct EnergySample {
    double energyMj = -1;    // total energy counter, millijoules since driver load; < 0 = unreadable
    double powerW = -1;      // instantaneous board power; < 0 = unreadable
    double smClockMhz = -1;  // < 0 = unreadable
    double tempC = -1;       // < 0 = unreadable
};

class EnergyMeter {
public:
    virtual ~EnergyMeter() = default;
    // One reading of every counter this meter has (unreadable ones stay < 0).
    virtual EnergySample sample() = 0;
    // The SM clock alone, read between forwards for the throttle trace (cheaper than sample()).
    virtual double smClockMhz() { return sample().smClockMhz; }
};

// Opens a meter for one GPU, named by its PCI bus id ("0000:17:00.0"). Returns nullptr with
// `why` set when the telemetry is not available (no library, no such device, ...); never throws.
using EnergyMeterFactory = std::function<std::unique_ptr<EnergyMeter>(const std::string& pciBusId, std::string& why)>;

} // namespace bertbench

#include "core/energy/Energy.h"

namespace bertbench {

bool isThrottled(const std::vector<double>& smClockMhz, double dropFraction) {
    double highest = 0;
    for (double mhz : smClockMhz) {
        if (!(mhz > 0)) continue;   // an unreadable sample says nothing about the clock
        if (highest > 0 && mhz < highest * (1.0 - dropFraction)) return true;
        if (mhz > highest) highest = mhz;
    }
    return false;
}

} // namespace bertbench

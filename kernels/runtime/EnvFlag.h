#pragma once
// The bench knobs (BERTBENCH_FUSED_EPILOGUES, BERTBENCH_PDL, BERTBENCH_L2_PREFETCH, ...) are
// environment variables read by one rule: unset or empty gives the knob's default, "0", "off" or
// "false" turn it off, anything else turns it on. Header-only, so the sm_90a object library and
// the .cuh launch helpers use the same rule.
#include <cstdlib>
#include <cstring>

namespace bertbench::cuda {

inline bool envFlag(const char* name, bool fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "off") == 0 || std::strcmp(v, "false") == 0);
}

} // namespace bertbench::cuda

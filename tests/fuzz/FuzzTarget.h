#pragma once
// Shared shape of every libFuzzer target: a reader gets arbitrary bytes and must either
// succeed or throw bertbench::InputError (a clear message). Any other exception, a crash,
// a hang or an unbounded allocation is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/util/Errors.h"

#define BERTBENCH_FUZZ_TARGET(...)                                                    \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {          \
        const std::string input(reinterpret_cast<const char*>(data), size);            \
        try {                                                                          \
            __VA_ARGS__;                                                                   \
        } catch (const bertbench::InputError&) {                                       \
        }                                                                              \
        return 0;                                                                      \
    }

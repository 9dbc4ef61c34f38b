#include "core/model/Safetensors.h"
#include "tests/fuzz/FuzzTarget.h"

// Opening checks the header; converting every tensor checks each offset and shape.
BERTBENCH_FUZZ_TARGET({
    const auto file = bertbench::SafetensorsFile::fromBytes(std::vector<uint8_t>(input.begin(), input.end()), "fuzz.safetensors");
    for (const auto& entry : file.entries()) {
        try {
            (void)file.tensor(entry.first);
        } catch (const bertbench::InputError&) {
        }
    }
})

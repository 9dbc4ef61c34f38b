#include "core/sweep/SpecJson.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::specFromJson(input, "fuzz-spec.json"))

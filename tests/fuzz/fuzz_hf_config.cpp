#include "core/model/ModelConfig.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::parseHfConfig(input, "config.json"))

#include "core/results/RunFiles.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::runFromNativeCsv(input, "fuzz.csv"))

#include "core/results/RunFiles.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::runFromSeedCsv(input, "log_Bert_sdpa_mlm.csv"))

// offlineFromJson: the offline.json the GUI and `plot` open.
#include "core/sweep/OfflineJson.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::offlineFromJson(input, "offline.json"))

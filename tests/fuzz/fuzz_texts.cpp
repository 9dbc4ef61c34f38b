// readTextsFile: plain text lines, JSON Lines, or a CSV/TSV text column, by extension.
#include "tests/fuzz/FuzzReaders.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::fuzz::readTextsInput(input))

// readLengthsFile: plain numbers, a CSV/TSV with a length column, or a JSON array, by extension.
#include "tests/fuzz/FuzzReaders.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::fuzz::readLengthsInput(input))

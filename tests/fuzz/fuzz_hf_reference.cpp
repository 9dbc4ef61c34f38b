// loadHfReference and the outputs `verify --reference` reads from it.
#include "tests/fuzz/FuzzReaders.h"
#include "tests/fuzz/FuzzTarget.h"

BERTBENCH_FUZZ_TARGET(bertbench::fuzz::readHfReferenceInput(input))

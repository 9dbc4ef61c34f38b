#pragma once
// `verify --model DIR --reference FILE`: every backend of this build on the inputs stored in a
// reference file of HuggingFace's own outputs (core/model/HfReference.h), compared on real
// positions. The way a user checks BertBench against HF on their own checkpoint.
#include <ostream>

#include "app/cli/ArgParser.h"

namespace bertbench::cli {

// Exit code: 0 every output within tolerance, 1 one past it, 2 bad input.
int verifyAgainstReference(const ParsedArgs& parsed, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli

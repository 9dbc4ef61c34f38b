#pragma once
// `verify --model DIR --reference FILE`: every backend of this build on the inputs stored in a
// reference file of HuggingFace's own outputs (core/model/HfReference.h), compared on real
// positions. The way a user checks BertBench against HF on their own checkpoint. torch:* backends
// join when --backends names them; they load the weights through HfCheckpointWriter, as a preset's.
// A backend that cannot run the checkpoint (unavailable here, a head dim its kernel lacks) is a
// "not run" row with its reason, not a failure.
#include <ostream>

#include "app/cli/ArgParser.h"

namespace bertbench::cli {

// Exit code: 0 every output within tolerance, 1 one past it, 2 bad input.
int verifyAgainstReference(const ParsedArgs& parsed, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli

#pragma once
// `verify --model DIR --reference FILE`: every backend of this build on the inputs stored in a
// reference file of HuggingFace's own outputs (core/model/HfReference.h), compared on real
// positions. The way a user checks BertBench against HF on their own checkpoint. torch:* backends
// join when --backends names them; they load the weights through HfCheckpointWriter, as a preset's.
// A backend that cannot run the checkpoint (unavailable here, a head dim its kernel lacks) is a
// "not run" row with its reason, not a failure.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/cli/ArgParser.h"
#include "core/backend/Task.h"

namespace bertbench::cli {

// The rel L2 bound of `dtype` against HF's fp32 outputs: the usual tolerance (fp32 1e-4, fp16 3e-3,
// bf16 2e-2, fp8 1.25e-1), or, where the file holds HF's own forward in that dtype, the larger of
// it and 1.5 × HF's own rel L2.
double referenceTolerance(DType dtype, std::optional<double> hfOwnRelL2);

// Printed under the table when a half type (fp16, bf16) failed against a file that holds no HF run
// in that type: the fixed tolerance judged it, and HF itself may miss it on this checkpoint; says
// how to store HF's own run so the bound follows it. Empty when nothing like that failed.
std::string halfTypeHint(const std::vector<DType>& failedWithoutHfOwn);

// Exit code: 0 every output within tolerance, 1 one past it, 2 bad input.
int verifyAgainstReference(const ParsedArgs& parsed, std::ostream& out, std::ostream& err);

} // namespace bertbench::cli

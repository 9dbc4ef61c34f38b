#pragma once
// Which kernel options differ between runs: the check that two runs made with different kernel
// paths are told apart (bertbench-cli summary prints it; the GUI can show it beside a comparison).
#include <string>
#include <utility>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench {

// One option of one backend whose value is not the same in every run that recorded the backend.
struct KernelOptionDifference {
    std::string backend;   // "cuda:sdpa"
    std::string option;    // "pdl"
    // (index into the runs given, its value); "(not set)" where the run recorded the backend
    // without this option. Runs that did not record the backend at all are not listed.
    std::vector<std::pair<size_t, std::string>> values;
};

// Backends in name order, options in the order of the first run that has them. A backend is
// compared only between the runs that recorded it (at least two); runs without kernel options
// (older files, CSVs) take no part.
std::vector<KernelOptionDifference> kernelOptionDifferences(const std::vector<const Environment*>& runs);

} // namespace bertbench

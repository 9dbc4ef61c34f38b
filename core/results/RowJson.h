#pragma once
// One result row as one line of JSON (the row object of the run file and the journal), and a run's
// kernel options likewise, for passing them between processes: a multi-GPU run's workers send
// them to their parent.
#include <map>
#include <string>
#include <vector>

#include "core/backend/KernelOption.h"
#include "core/sweep/ResultRow.h"

namespace bertbench {

// Compact, without a newline; doubles exact (non-finite ones as "NaN"/"Infinity").
std::string rowToJsonLine(const ResultRow& row);
// Throws FileFormatError naming `source` and the field.
ResultRow rowFromJsonLine(const std::string& line, const std::string& source);

// Per backend, the options it ran with (run.json's environment.kernel_options), on one line.
std::string kernelOptionsToJsonLine(const std::map<std::string, std::vector<KernelOption>>& options);
// Throws FileFormatError naming `source` and the backend or option.
std::map<std::string, std::vector<KernelOption>> kernelOptionsFromJsonLine(const std::string& line,
                                                                          const std::string& source);

} // namespace bertbench

#pragma once
// One result row as one line of JSON (the row object of the run file and the journal), for
// passing rows between processes: a multi-GPU run's workers send them to their parent.
#include <string>

#include "core/sweep/ResultRow.h"

namespace bertbench {

// Compact, without a newline; doubles exact (non-finite ones as "NaN"/"Infinity").
std::string rowToJsonLine(const ResultRow& row);
// Throws FileFormatError naming `source` and the field.
ResultRow rowFromJsonLine(const std::string& line, const std::string& source);

} // namespace bertbench

#pragma once
// Internal to core/results: the native CSV's breakdown, efficiency and energy columns, appended
// after "message", per side ("baseline_" / "candidate_"):
//   ms_<category> and calls_<category> for each OpCategory, ms_parts_sum, ms_other, breakdown_note
//   flops_real, flops_padded, tflops, tokens_per_s, pct_peak, efficiency_note
//   energy_available, j_per_forward, j_per_1k_tokens, power_w, sm_clock_start_mhz, sm_clock_end_mhz,
//   temp_start_c, temp_end_c, energy_window_ms, energy_forwards, window_extended, throttled, energy_note
// then energy_saved_pct. Empty fields mean "not recorded" (breakdown absent, efficiency not
// recorded); a file without these columns reads as "not recorded" throughout.
#include <functional>
#include <string>
#include <vector>

#include "core/sweep/ResultRow.h"

namespace bertbench::csv {

void appendMeasurementProfileColumns(std::vector<std::string>& columns);
void appendMeasurementProfileFields(std::vector<std::string>& fields, const ResultRow& row);

// lookup(column) → the field's text, or nullptr when the file has no such column.
// fail(column, what) must throw (FileFormatError naming the line and the column).
using FieldLookup = std::function<const std::string*(const std::string& column)>;
using FieldFail = std::function<void(const std::string& column, const std::string& what)>;
void readMeasurementProfileFields(const FieldLookup& lookup, const FieldFail& fail, ResultRow& row);

} // namespace bertbench::csv

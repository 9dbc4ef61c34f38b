#pragma once
// Internal to core/results: one row / one environment as a JSON value, shared by the run file
// (RunJson.cpp) and the run journal (RunJournal.cpp) so both write rows identically.
#include <string>

#include "core/sweep/Run.h"
#include "core/sweep/SpecJsonDetail.h"

namespace bertbench::jsonio {

Json resultRowValue(const ResultRow& row);
// Throws FieldError naming `path`.
ResultRow resultRowFromValue(const Json& v, const std::string& path);
Json environmentValue(const Environment& env);
Environment environmentFromJsonValue(const Json& v, const std::string& path);

// The breakdown / efficiency / energy keys of one measurement object (MeasurementProfileJson.cpp).
// Reading an object without them marks efficiency and energy "not recorded".
void writeMeasurementProfile(Json& measurement, const Measurement& m);
void readMeasurementProfile(const Json& measurement, const std::string& path, Measurement& m);   // throws FieldError

// A data workload's keys of one row, and the run's "workload" object (WorkloadJson.cpp).
void writeRowWorkload(Json& row, const ResultRow& r);
void readRowWorkload(const Json& row, const std::string& path, ResultRow& r);   // throws FieldError
Json workloadRecordValue(const WorkloadRecord& workload);
WorkloadRecord workloadRecordFromValue(const Json& v, const std::string& path);   // throws FieldError

} // namespace bertbench::jsonio

#pragma once
// Reading and writing runs: native JSON run, native CSV, the old script's CSV.
// Every write is atomic (temp file in the same folder + rename).
#include <string>
#include <vector>

#include "core/sweep/Run.h"

namespace bertbench {

enum class RunFileFormat { NativeJson, NativeCsv, SeedCsv };

// The old script's exact header (names after the first carry a leading space).
extern const char* const kSeedCsvHeader;

// Native run file (.json): spec + environment + rows, lossless.
std::string runToJson(const Run& run);
Run runFromJson(const std::string& text, const std::string& sourceName);   // throws FileFormatError
void writeRunJson(const Run& run, const std::string& path);

// Native CSV: one row per cell × candidate; baseline and candidate columns side by side.
std::string runToNativeCsv(const Run& run);
Run runFromNativeCsv(const std::string& text, const std::string& sourceName);
void writeNativeCsv(const Run& run, const std::string& path);

// Seed-compatible CSV: the rows of one task × candidate, with kSeedCsvHeader.
std::string rowsToSeedCsv(const std::vector<ResultRow>& rows);
// `fileName` supplies what the old files lack: the candidate's attention from
// "log_Bert_<attention>_<task>.csv" and the task (old "mlm" = our encoder).
Run runFromSeedCsv(const std::string& text, const std::string& fileName);
// Writes one seed CSV per task × candidate into `folder`, named like the old script's
// (log_Bert_<attention>_<task>.csv, task "encoder" written as "mlm"); returns the paths.
std::vector<std::string> writeSeedCsvs(const Run& run, const std::string& folder);

// Sniffs the format (JSON object, native header, seed header) and reads. Throws FileFormatError.
RunFileFormat detectFormat(const std::string& text);
Run readRunFile(const std::string& path);

// Atomic text write: temp file next to `path`, flush, fsync, rename. Throws InputError.
void writeFileAtomic(const std::string& path, const std::string& contents);
std::string readTextFile(const std::string& path, size_t maxBytes = 256u << 20);

} // namespace bertbench

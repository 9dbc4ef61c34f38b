#pragma once
// The error types every layer throws; the runner maps them to row statuses.
#include <stdexcept>
#include <string>

namespace bertbench {

// Any user-facing input problem (bad spec value, malformed file, impossible config).
// The message names the field/file and the allowed range. CLI exit code 2.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct ConfigError : InputError {
    using InputError::InputError;
};
struct FileFormatError : InputError {
    using InputError::InputError;
};
// A backend could not allocate (device or host, or past --memory-limit-mb). Row status `oom`.
struct OutOfMemoryError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A backend failed for another reason (kernel error, unsupported dtype...). Row status `error`.
struct BackendError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace bertbench

#pragma once
// The sweep's vocabulary (docs/ARCHITECTURE.md) as types: tasks and data types, with their file names.
#include <optional>
#include <string>
#include <vector>

namespace bertbench {

enum class Task { Encoder, Mlm, Classification, TokenClassification, Qa };
enum class DType { Float32, Float16, BFloat16 };

std::string toString(Task t);                    // "encoder", "mlm", ...
std::optional<Task> parseTask(const std::string& s);
const std::vector<Task>& allTasks();

std::string toString(DType d);                   // "fp32", "fp16", "bf16"
std::optional<DType> parseDType(const std::string& s);  // also accepts float32/float16/bfloat16
bool isHalf(DType d);

} // namespace bertbench

#pragma once
// The sweep's vocabulary (docs/ARCHITECTURE.md) as types: tasks and data types, with their file names.
#include <optional>
#include <string>
#include <vector>

namespace bertbench {

enum class Task { Encoder, Mlm, Classification, TokenClassification, Qa };
// Float8: e4m3 weights and activations into the matrix products (per-tensor scales, fp32
// accumulate, fp16 out), everything else in fp16 (LayerNorm, softmax, residuals, attention).
// cuda:* on GPUs of compute capability 8.9 or newer only (DTypeSupport.h says why not elsewhere).
enum class DType { Float32, Float16, BFloat16, Float8 };

std::string toString(Task t);                    // "encoder", "mlm", ...
std::optional<Task> parseTask(const std::string& s);
const std::vector<Task>& allTasks();

std::string toString(DType d);                   // "fp32", "fp16", "bf16", "fp8"
std::optional<DType> parseDType(const std::string& s);  // also accepts float32/float16/bfloat16/e4m3
bool isHalf(DType d);

} // namespace bertbench

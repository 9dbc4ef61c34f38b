#include "core/backend/Task.h"

#include <array>
#include <utility>

namespace bertbench {
namespace {

constexpr std::array<std::pair<Task, const char*>, 5> kTaskNames{{
    {Task::Encoder, "encoder"},
    {Task::Mlm, "mlm"},
    {Task::Classification, "classification"},
    {Task::TokenClassification, "token_classification"},
    {Task::Qa, "qa"},
}};

} // namespace

std::string toString(Task t) {
    for (const auto& [task, name] : kTaskNames)
        if (task == t) return name;
    return "unknown";
}

std::optional<Task> parseTask(const std::string& s) {
    for (const auto& [task, name] : kTaskNames)
        if (s == name) return task;
    return std::nullopt;
}

const std::vector<Task>& allTasks() {
    static const std::vector<Task> tasks{Task::Encoder, Task::Mlm, Task::Classification,
                                         Task::TokenClassification, Task::Qa};
    return tasks;
}

std::string toString(DType d) {
    switch (d) {
    case DType::Float32: return "fp32";
    case DType::Float16: return "fp16";
    case DType::BFloat16: return "bf16";
    case DType::Float8: return "fp8";
    }
    return "unknown";
}

std::optional<DType> parseDType(const std::string& s) {
    if (s == "fp32" || s == "float32") return DType::Float32;
    if (s == "fp16" || s == "float16" || s == "half") return DType::Float16;
    if (s == "bf16" || s == "bfloat16") return DType::BFloat16;
    if (s == "fp8" || s == "float8" || s == "e4m3" || s == "fp8_e4m3") return DType::Float8;
    return std::nullopt;
}

bool isHalf(DType d) { return d != DType::Float32; }

} // namespace bertbench

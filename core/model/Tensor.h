#pragma once
// A host fp32 tensor: the one container for weights and outputs in core.
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace bertbench {

struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> data;

    Tensor() = default;
    explicit Tensor(std::vector<int64_t> s) : shape(std::move(s)), data(static_cast<size_t>(numel(shape))) {}

    static int64_t numel(const std::vector<int64_t>& s) {
        return std::accumulate(s.begin(), s.end(), int64_t{1}, [](int64_t a, int64_t b) { return a * b; });
    }
    int64_t numel() const { return static_cast<int64_t>(data.size()); }
    bool empty() const { return data.empty(); }
    float* ptr() { return data.data(); }
    const float* ptr() const { return data.data(); }
};

// "[2,768]" for messages.
inline std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(shape[i]);
    }
    s += ']';
    return s;
}

} // namespace bertbench

#pragma once
// What a backend ran with, as name → value text: recorded per backend in a run's environment so
// that two runs made with different kernel paths (threads, BLAS, attention kernel, GEMM path,
// CUDA graphs, ...) can never be mistaken for each other.
#include <string>
#include <vector>

namespace bertbench {

// One setting a backend ran with ("attention_kernel" → "hopper_sm90a", "threads" → "2", ...).
struct KernelOption {
    std::string name;
    std::string value;
    bool operator==(const KernelOption&) const = default;
};

// "threads=2; blas=OpenBLAS 0.3.21 ...; attention=eager ..." — one line, in the given order.
std::string kernelOptionsLine(const std::vector<KernelOption>& options);

} // namespace bertbench

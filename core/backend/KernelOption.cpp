#include "core/backend/KernelOption.h"

namespace bertbench {

std::string kernelOptionsLine(const std::vector<KernelOption>& options) {
    std::string line;
    // "; " between options: values such as OpenBLAS's config string contain commas and spaces.
    for (const KernelOption& o : options) line += (line.empty() ? "" : "; ") + o.name + "=" + o.value;
    return line;
}

} // namespace bertbench

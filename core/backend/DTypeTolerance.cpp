#include "core/backend/DTypeTolerance.h"

namespace bertbench {

double reducedPrecisionTolerance(DType dtype) {
    switch (dtype) {
    case DType::Float16: return 3e-3;
    case DType::BFloat16: return 2e-2;
    case DType::Float8: return 1.25e-1;
    case DType::Float32: return 0;
    }
    return 0;
}

} // namespace bertbench

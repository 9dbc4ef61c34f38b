#pragma once
// The Sweep panel's Data type box: fp32, fp16, bf16 and fp8, the last greyed out (not selectable)
// with the reason in its tooltip when no backend of this build and machine runs it (no GPU of
// compute capability 8.9+; DTypeSupport.h words it).
#include <QComboBox>
#include <QString>

#include "core/backend/Backend.h"

namespace bertbench::ui {

void fillDTypeBox(QComboBox* box, const BackendRegistry& registry);
// Why no backend of `registry` runs `dtype`; empty when one does.
QString dtypeUnavailableReason(const BackendRegistry& registry, DType dtype);

} // namespace bertbench::ui

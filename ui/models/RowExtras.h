#pragma once
// Row fields that other branches add to core: the compile time of torch:*+compile backends
// (Measurement::compileMs) and the GPU that measured a row (ResultRow::gpu). Views read them
// only through here; each adapter detects the field at compile time, so the table and tooltips
// show it as soon as that core lands, and "not recorded" before.
#include <QString>
#include <optional>

#include "core/sweep/ResultRow.h"

namespace bertbench::ui {

// Milliseconds spent compiling for the cell, excluded from the latency; nullopt = none/unknown.
template <typename M = Measurement>
std::optional<double> compileMsOf(const M& m) {
    if constexpr (requires { m.compileMs; }) {
        if (m.compileMs >= 0) return double(m.compileMs);
    }
    return std::nullopt;
}

// "NVIDIA H200 #1" for rows that record their GPU; empty when not recorded.
template <typename R = ResultRow>
QString gpuOf(const R& row) {
    if constexpr (requires { row.gpu.name; row.gpu.index; }) {
        if (row.gpu.name.empty() && row.gpu.index < 0) return {};
        QString text = QString::fromStdString(row.gpu.name);
        if (row.gpu.index >= 0) text += QStringLiteral(" #%1").arg(row.gpu.index);
        return text.trimmed();
    }
    return {};
}

} // namespace bertbench::ui

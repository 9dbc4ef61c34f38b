#include "ui/models/HeatmapGrid.h"

#include <cmath>

namespace bertbench::ui {

QString toDisplayString(CellState s) {
    switch (s) {
    case CellState::NoData: return QStringLiteral("not measured");
    case CellState::Pending: return QStringLiteral("pending");
    case CellState::Running: return QStringLiteral("running");
    case CellState::Ok: return QStringLiteral("ok");
    case CellState::Oom: return QStringLiteral("OOM");
    case CellState::Error: return QStringLiteral("error");
    case CellState::Cancelled: return QStringLiteral("cancelled");
    case CellState::NotAvailable: return QStringLiteral("not available");
    }
    return {};
}

QString formatCellValue(double value, ValueKind kind) {
    if (!std::isfinite(value)) return QStringLiteral("n/a");
    // Cut, not rounded, to one decimal: 99.96 % of decisions is "99.9", never "100".
    if (kind == ValueKind::Agreement) return QString::number(std::floor(value * 10) / 10, 'f', value >= 100 ? 0 : 1);
    if (kind == ValueKind::Ratio) {
        const int decimals = value >= 10 ? 1 : 2;
        return QString::number(value, 'f', decimals) + QChar(0x00D7);
    }
    const int decimals = std::fabs(value) >= 100 ? 0 : 1;
    QString text = QString::number(std::fabs(value), 'f', decimals);
    // Rounds to zero: print it unsigned, so "−0.0" never shows.
    if (text.toDouble() == 0) return text;
    return (value < 0 ? QString(QChar(0x2212)) : QStringLiteral("+")) + text;
}

} // namespace bertbench::ui

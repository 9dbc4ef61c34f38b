#pragma once
// One colour per breakdown category (ui/models/Breakdown.h order), shared by the stacked bars
// and the stacked areas so a category looks the same everywhere. "other" is grey and hatched:
// it is what the profiler did not see, not an operation.
#include <QBrush>
#include <QColor>
#include <QString>

namespace bertbench::ui {

QColor categoryColor(const QString& category);
QBrush categoryBrush(const QString& category);

} // namespace bertbench::ui

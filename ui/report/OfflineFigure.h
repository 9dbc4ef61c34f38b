#pragma once
// The offline figure as a file (`bertbench-cli plot offline.json`): the GUI's OfflineChart drawn
// offscreen at a report size, PNG at `scale` or SVG / PDF. Needs a QApplication.
#include <QString>

#include "ui/models/OfflineComparison.h"

namespace bertbench::ui {

// Writes <outDir>/offline_<model>_<task>_max<N>.<format>; returns its path, or "" with `error`.
QString renderOfflinePlot(const OfflineComparison& comparison, const OfflineSpec& spec, const QString& outDir,
                          qreal scale, const QString& format, QString* error);

} // namespace bertbench::ui

#pragma once
// Sweep specs as files from the Sweep panel: an open dialog that reads one, a save dialog that
// writes one; the folder is remembered (QSettings "specDir"). Problems are shown in a dialog.
#include <QtGlobal>
#include <optional>

#include "core/sweep/SweepSpec.h"

QT_BEGIN_NAMESPACE
class QWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

// nullopt when cancelled or when the file does not read (the reason was shown).
std::optional<SweepSpec> openSpecDialog(QWidget* parent);
void saveSpecDialog(QWidget* parent, const SweepSpec& spec);

} // namespace bertbench::ui

#pragma once
// The sweep presets compiled in from resources/presets.json (name, description, spec file).
#include <QString>
#include <vector>

#include "core/sweep/SweepSpec.h"

namespace bertbench::ui {

struct SpecPreset {
    QString name;         // "Quick demo — CPU, tiny"
    QString description;
    SweepSpec spec;
};

// Presets in the order presets.json lists them. A preset that fails to parse is left out and
// its problem appended to `problems` (a packaging bug, so tests check it stays empty).
std::vector<SpecPreset> loadSpecPresets(QStringList* problems = nullptr);
// The first preset, or a default spec if there are none: what a fresh install starts with.
SweepSpec defaultSpec();

} // namespace bertbench::ui

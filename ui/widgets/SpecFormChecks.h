#pragma once
// The Sweep panel's checks beyond parsing: the model's position limit (a preset's, or read
// from a checkpoint's config.json, cached per model), core's validateSpec mapped onto the
// form's fields, and backends that cannot run the chosen dtype.
#include <QMap>
#include <QString>

#include "core/backend/Backend.h"
#include "core/model/ModelConfig.h"
#include "core/sweep/SweepSpec.h"

namespace bertbench::ui {

// The Model field's text: one model, or several separated by commas (a model axis).
std::vector<std::string> parseModelList(const QString& text);

class ModelLimits {
public:
    // The longest sequence every model of the field takes (the shortest of their limits), or 0
    // with `problem` set (unknown preset, unreadable folder).
    int maxPositions(const QString& model, QString* problem);
    // The configs of the models read by the last maxPositions call.
    const std::vector<ModelConfig>& configs() const { return configs_; }

private:
    QString model_;
    std::vector<ModelConfig> configs_;
    int positions_ = 0;
    QString problem_;
};

// Adds core's problems with `spec` to `problems` (field → lines), except for fields that
// already have a parse problem: core's word would be about the field's previous value.
// `models` are the spec's model configs: a backend that cannot run one of them (unavailableFor)
// marks its field.
void addSpecProblems(const SweepSpec& spec, int maxPositions, const BackendRegistry& registry,
                     QMap<QString, QString>& problems, const std::vector<ModelConfig>& models = {});

// "8 cells × 3 backends · 48 forward passes"
QString sweepSizeText(const SweepSpec& spec);

} // namespace bertbench::ui

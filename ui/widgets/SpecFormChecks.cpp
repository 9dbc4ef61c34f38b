#include "ui/widgets/SpecFormChecks.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <optional>

#include "core/backend/DTypeSupport.h"
#include "core/model/ModelConfig.h"
#include "ui/models/RowText.h"
#include "ui/widgets/SpecFieldParsing.h"

namespace bertbench::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("SweepPanel", text); }

} // namespace

namespace {

// One model's config, or nullopt with `issue` saying why it cannot be read.
std::optional<ModelConfig> configOf(const QString& model, QString& issue) {
    const std::string name = model.toStdString();
    try {
        if (model.isEmpty()) issue = tr("choose a preset or a checkpoint folder");
        else if (isPreset(name)) return presetConfig(name);
        else if (QFileInfo(model).isDir())
            return loadHfConfig(QDir(model).filePath(QStringLiteral("config.json")).toStdString());
        else {
            QStringList presets;
            for (const std::string& p : presetNames()) presets << qstr(p);
            issue = tr("“%1” is neither a preset (%2) nor a checkpoint folder").arg(model, presets.join(QStringLiteral(", ")));
        }
    } catch (const std::exception& e) {
        issue = qstr(e.what());
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> parseModelList(const QString& text) {
    std::vector<std::string> models;
    for (const QString& part : text.split(QLatin1Char(',')))
        models.push_back(part.trimmed().toStdString());
    return models;
}

int ModelLimits::maxPositions(const QString& model, QString* problem) {
    if (model == model_) {
        *problem = problem_;
        return positions_;
    }
    // Several models: the sequence axis must fit the shortest.
    int positions = 0;
    QStringList issues;
    configs_.clear();
    for (const std::string& name : parseModelList(model)) {
        QString issue;
        const std::optional<ModelConfig> config = configOf(qstr(name), issue);
        if (!config) {
            issues << issue;
            continue;
        }
        const int limit = config->maxSequenceLength();
        positions = positions == 0 ? limit : std::min(positions, limit);
        configs_.push_back(*config);
        configs_.back().name = name;   // as the field names it (a folder's config says config.json)
    }
    const QString issue = issues.join(QLatin1Char('\n'));
    model_ = model;
    positions_ = positions;
    problem_ = issue;
    *problem = issue;
    return positions;
}

void addSpecProblems(const SweepSpec& s, int maxPositions, const BackendRegistry& registry,
                     QMap<QString, QString>& problems, const std::vector<ModelConfig>& models) {
    const QStringList parseProblems = problems.keys();
    for (const SpecProblem& p : validateSpec(s, maxPositions, registry.names())) {
        const QString key = fieldKey(p.field);
        if (parseProblems.contains(key)) continue;
        QString& text = problems[key];
        const QString line = qstr(p.message);
        if (text.contains(line) || text.count(QLatin1Char('\n')) >= 3) continue;   // a few per field
        text = text.isEmpty() ? line : text + QLatin1Char('\n') + line;
    }
    const auto checkDtype = [&](const std::string& name, DType dtype, const QString& key) {
        const BackendInfo* info = registry.find(name);
        if (!info || info->dtypes.empty() || problems.contains(key)) return;
        // The reason in words, as the CLI gives it (DTypeSupport.h).
        if (const std::string why = dtypeRefusal(*info, dtype); !why.empty()) problems[key] = qstr(why);
    };
    checkDtype(s.baseline, baselineDTypeOf(s), s.baselineDType ? QStringLiteral("baseline_dtype") : QStringLiteral("baseline"));
    for (const std::string& c : s.candidates) checkDtype(c, s.dtype, QStringLiteral("candidates"));
    // What a backend says it cannot run of these models (an architecture, a head dim, a head or
    // an attention the installed transformers lacks), as the CLI refuses it before measuring.
    const auto checkModels = [&](const std::string& name, const QString& key) {
        const BackendInfo* info = registry.find(name);
        if (!info || !info->unavailableFor || problems.contains(key)) return;
        QStringList lines;
        for (const ModelConfig& model : models)
            for (Task task : s.tasks)
                if (const std::string why = info->unavailableFor(model, task); !why.empty())
                    lines << tr("%1 cannot run %2 for %3: %4")
                                 .arg(qstr(name), qstr(modelLabel(model.name)), qstr(toString(task)), qstr(why));
        if (lines.size() > 3) lines = lines.mid(0, 3) << tr("… and %1 more").arg(lines.size() - 3);
        if (!lines.isEmpty()) problems[key] = lines.join(QLatin1Char('\n'));
    };
    checkModels(s.baseline, QStringLiteral("baseline"));
    for (const std::string& c : s.candidates) checkModels(c, QStringLiteral("candidates"));
}

namespace {
// "45 s", "12 min", "3.5 h"
QString durationText(double seconds) {
    if (seconds < 120) return tr("%1 s").arg(std::lround(seconds));
    if (seconds < 7200) return tr("%1 min").arg(std::lround(seconds / 60));
    return tr("%1 h").arg(seconds / 3600, 0, 'f', 1);
}
} // namespace

QString sweepSizeText(const SweepSpec& s) {
    // Every model's cells; a data workload's policies where the pads would be (cellsOf).
    const qint64 cells = qint64(cellsOf(s).size());
    // A data workload's timed forward runs every batch the cell drew.
    const qint64 perForward = s.workload.isData() ? qint64(std::max(1, s.workload.batchesPerCell)) : 1;
    const qint64 forwards =
        cells * qint64(1 + s.candidates.size()) * qint64(std::max(0, s.warmup + s.numBatches)) * perForward;
    if (s.maxNoisePct > 0)   // adaptive: the forwards follow the noise; the timing is bounded per cell
        return tr("%1 cells × %2 backends · timed to ±%3 %, at most %4 of timing")
            .arg(cells)
            .arg(1 + s.candidates.size())
            .arg(s.maxNoisePct, 0, 'g', 3)
            .arg(durationText(double(cells) * s.maxTimeS));
    return tr("%1 cells × %2 backends · %3 forward passes").arg(cells).arg(1 + s.candidates.size()).arg(forwards);
}

} // namespace bertbench::ui

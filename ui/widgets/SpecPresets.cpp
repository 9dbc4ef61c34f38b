#include "ui/widgets/SpecPresets.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/sweep/SpecJson.h"

namespace bertbench::ui {
namespace {

QByteArray readResource(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

std::vector<SpecPreset> loadSpecPresets(QStringList* problems) {
    std::vector<SpecPreset> presets;
    const QJsonDocument index = QJsonDocument::fromJson(readResource(QStringLiteral(":/presets.json")));
    for (const QJsonValue& v : index.object().value(QStringLiteral("presets")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString file = o.value(QStringLiteral("file")).toString();
        const QByteArray text = readResource(QStringLiteral(":/") + file);
        try {
            if (text.isEmpty()) throw std::runtime_error("missing from the resources");
            presets.push_back({o.value(QStringLiteral("name")).toString(),
                               o.value(QStringLiteral("description")).toString(),
                               specFromJson(text.toStdString(), file.toStdString())});
        } catch (const std::exception& e) {
            if (problems) problems->push_back(file + QStringLiteral(": ") + QString::fromUtf8(e.what()));
        }
    }
    return presets;
}

SweepSpec defaultSpec() {
    const std::vector<SpecPreset> presets = loadSpecPresets();
    return presets.empty() ? SweepSpec{} : presets.front().spec;
}

} // namespace bertbench::ui

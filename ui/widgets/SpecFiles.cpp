#include "ui/widgets/SpecFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>

#include "core/sweep/SpecJson.h"

namespace bertbench::ui {
namespace {

QString tr(const char* text) { return QCoreApplication::translate("SweepPanel", text); }

} // namespace

std::optional<SweepSpec> openSpecDialog(QWidget* parent) {
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(parent, tr("Open sweep spec"),
                                                      settings.value(QStringLiteral("specDir")).toString(),
                                                      tr("Sweep specs (*.json);;All files (*)"));
    if (path.isEmpty()) return std::nullopt;
    settings.setValue(QStringLiteral("specDir"), QFileInfo(path).absolutePath());
    try {
        return loadSpecFile(path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(parent, tr("Open sweep spec"), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

void saveSpecDialog(QWidget* parent, const SweepSpec& spec) {
    QSettings settings;
    QString path = QFileDialog::getSaveFileName(
        parent, tr("Save sweep spec"),
        QDir(settings.value(QStringLiteral("specDir")).toString()).filePath(QStringLiteral("sweep.json")),
        tr("Sweep specs (*.json)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
    settings.setValue(QStringLiteral("specDir"), QFileInfo(path).absolutePath());
    try {
        saveSpecFile(spec, path.toStdString());
    } catch (const std::exception& e) {
        QMessageBox::warning(parent, tr("Save sweep spec"), QString::fromStdString(e.what()));
    }
}

} // namespace bertbench::ui

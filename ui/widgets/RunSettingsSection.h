#pragma once
// The Sweep panel's machine settings, apart from the spec: the Python interpreter the torch:*
// backends run in (QSettings "torch/python", default "python3": app/ builds the registry
// with it, so a change applies from the next start), and, on a machine with several GPUs,
// which of them to spread the sweep's cells over (hidden with one GPU or none).
#include <QWidget>

#include "ui/runner/SweepWorker.h"
#include <string>
#include <vector>

QT_BEGIN_NAMESPACE
class QLineEdit;
class QListWidget;
class QLabel;
QT_END_NAMESPACE

namespace bertbench::ui {

class RunSettingsSection : public QWidget {
    Q_OBJECT
public:
    explicit RunSettingsSection(QWidget* parent = nullptr);

    // The saved interpreter, for app/ when it builds the registry.
    static QString pythonSetting();
    QString python() const;
    void setPython(const QString& python);   // saved at once

    // "NVIDIA H200 (0)", ... by GPU index; two or more show the list, all checked.
    void setGpus(const QStringList& labels);
    std::vector<int> selectedGpus() const;

    SweepRunOptions options() const;

signals:
    void changed();

private:
    void browse();

    QLineEdit* python_ = nullptr;
    QLabel* gpuLabel_ = nullptr;
    QListWidget* gpus_ = nullptr;
};

} // namespace bertbench::ui

#pragma once
// The sweep form: model, tasks, baseline and candidates (only what the registry offers), dtype,
// the grid (batch sizes, max sequence lengths, pad fractions), length stdev, warm-up and timed
// batches, seed. Every change re-validates (core's validateSpec plus the form's own parsing);
// a problem is shown under its field, and Run stays disabled until there is none.
// Presets and spec save/load (JSON) sit on top; the machine settings (the torch:* Python
// interpreter, the GPUs when there are several: RunSettingsSection) under the form; Run and
// Stop at the bottom.
#include <QMap>
#include <QWidget>
#include <memory>

#include "core/backend/Backend.h"
#include "core/sweep/SweepSpec.h"
#include "ui/widgets/SpecFormChecks.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
QT_END_NAMESPACE

namespace bertbench::ui {

class FormFields;
class RunSettingsSection;
class SamplingSection;
class WorkloadSection;

class SweepPanel : public QWidget {
    Q_OBJECT
public:
    explicit SweepPanel(const BackendRegistry& registry, QWidget* parent = nullptr);
    ~SweepPanel() override;

    // The spec as the form reads now (fields that don't parse keep their last good value).
    SweepSpec spec() const { return spec_; }
    void setSpec(const SweepSpec& spec);
    bool isValid() const { return problems_.isEmpty(); }
    // field → message; fields are the spec's JSON keys ("batch_sizes", "model", ...).
    const QMap<QString, QString>& problems() const { return problems_; }
    void setRunning(bool running);
    // The Python interpreter and GPU choice (RunSettingsSection.h).
    RunSettingsSection* runSettings() const { return runSettings_; }
    // Re-validates now instead of at the next event loop turn (tests, before Run).
    void validateNow();

signals:
    void runRequested();
    void stopRequested();
    void specChanged();
    void validityChanged(bool valid);

private:
    void build();
    QWidget* buildPresetRow();
    void buildBackendFields();
    void buildGridFields();
    void buildTimingFields();
    QWidget* buildButtons();
    void setBackends(const SweepSpec& spec);
    SweepSpec readForm();   // records parse problems in problems_
    void scheduleValidation();
    void applyPreset(int index);
    void loadSpec();
    void saveSpec();
    void browseModel();

    const BackendRegistry& registry_;
    SweepSpec spec_;
    QMap<QString, QString> problems_;
    bool validationQueued_ = false;
    bool running_ = false;
    bool loading_ = false;
    ModelLimits modelLimits_;
    std::unique_ptr<FormFields> fields_;

    QComboBox* presets_ = nullptr;
    QComboBox* model_ = nullptr;
    QMap<Task, QCheckBox*> tasks_;
    QComboBox* baseline_ = nullptr;
    QWidget* candidatesBox_ = nullptr;
    QList<QCheckBox*> candidates_;
    QComboBox* dtype_ = nullptr;
    QComboBox* baselineDtype_ = nullptr;   // "as the candidates" (-1) or a DType of its own
    QLineEdit* batchSizes_ = nullptr;
    QLineEdit* seqLens_ = nullptr;
    QLineEdit* pads_ = nullptr;
    QDoubleSpinBox* stdev_ = nullptr;
    QSpinBox* warmup_ = nullptr;
    QSpinBox* numBatches_ = nullptr;
    SamplingSection* sampling_ = nullptr;   // adaptive or fixed count, interleaved rounds (SamplingSection.h)
    QLineEdit* seed_ = nullptr;
    QCheckBox* cudaGraphs_ = nullptr;
    QSpinBox* memoryLimit_ = nullptr;
    QDoubleSpinBox* cellTimeout_ = nullptr;
    RunSettingsSection* runSettings_ = nullptr;
    WorkloadSection* workload_ = nullptr;   // synthetic or your data (WorkloadSection.h)
    QLabel* generalError_ = nullptr;
    QLabel* summary_ = nullptr;
    QPushButton* run_ = nullptr;
    QPushButton* stop_ = nullptr;
};

} // namespace bertbench::ui

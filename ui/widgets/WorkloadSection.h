#pragma once
// The Sweep panel's Workload section: where a batch's lengths come from. Synthetic (the old
// script's Normal around (1 − pad) × max: the pads and the length stdev above apply), or your
// data: a lengths file (token counts) or a texts file tokenized with each model's tokenizer (the
// folder named here for every model, else each checkpoint folder's own files). A data workload
// batches its rows by the policies ticked (random, sorted) — the heatmaps' rows — into the batches
// a cell draws. When the file reads, a histogram of its lengths shows each max length of the
// sweep marked with the share it truncates; when it does not, problem() says why, naming the file
// and line.
#include <QString>
#include <QWidget>
#include <string>
#include <vector>

#include "core/sweep/SweepSpec.h"
#include "core/sweep/WorkloadRecord.h"

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolButton;
QT_END_NAMESPACE

namespace bertbench::ui {

class ChartView;
class LengthHistogramChart;

class WorkloadSection : public QWidget {
    Q_OBJECT
public:
    explicit WorkloadSection(QWidget* parent = nullptr);

    void setWorkload(const WorkloadSpec& workload);
    // The form's workload (a field that is fine keeps what it says; the file's identity stays that
    // of the spec loaded, until the file changes).
    WorkloadSpec workload() const;
    bool isData() const;

    // Reads the file again when it, the kind, the field, the tokenizer or the models changed, and
    // marks `seqLens` on the histogram. Called by the panel's validation.
    void refresh(const std::vector<std::string>& models, const std::vector<int>& seqLens);
    // Why the data cannot be read ("" = fine, or synthetic).
    QString problem() const { return problem_; }
    // The lengths read (the first model's); empty when synthetic or unreadable.
    const WorkloadRecord& record() const { return record_; }
    LengthHistogramChart* histogram() const { return chart_; }

signals:
    void changed();

private:
    void kindChanged();
    void browseFile();
    void browseTokenizer();
    void updateVisibility();

    QComboBox* kind_ = nullptr;
    QWidget* dataBox_ = nullptr;
    QLineEdit* file_ = nullptr;
    QLineEdit* textField_ = nullptr;
    QLineEdit* tokenizer_ = nullptr;
    QWidget* textRow_ = nullptr;
    QWidget* tokenizerRow_ = nullptr;
    QLabel* textLabel_ = nullptr;
    QLabel* tokenizerLabel_ = nullptr;
    QCheckBox* random_ = nullptr;
    QCheckBox* sorted_ = nullptr;
    QSpinBox* batchesPerCell_ = nullptr;
    QLabel* status_ = nullptr;
    ChartView* chartView_ = nullptr;
    LengthHistogramChart* chart_ = nullptr;

    WorkloadSpec loaded_;        // the spec's workload as set (its identity)
    std::string readKey_;        // what record_ was read from
    WorkloadRecord record_;
    QString problem_;
    std::vector<int> marked_;
};

} // namespace bertbench::ui

#pragma once
// A finished run's Workload tab: the lengths of its data (one histogram a tokenizer: a texts
// workload over several models counts each with its own), the run's max lengths marked with the
// share they truncated, what the run recorded of the file (name, size, SHA-256, tokenizer), and
// random against sorted batching per backend (tokens/s, pad, what sorting bought).
// RunView shows the tab only for a run of a data workload.
#include <QWidget>
#include <vector>

#include "core/sweep/Run.h"

QT_BEGIN_NAMESPACE
class QChart;
class QLabel;
class QTableWidget;
class QVBoxLayout;
QT_END_NAMESPACE

namespace bertbench::ui {

class ChartView;
class LengthHistogramChart;

class WorkloadPage : public QWidget {
    Q_OBJECT
public:
    explicit WorkloadPage(QWidget* parent = nullptr);
    // Redraws from the run's recorded workload (nothing to draw for a synthetic one).
    void setRun(const Run& run);
    bool hasWorkload() const { return shown_; }
    QChart* firstChart() const;

private:
    void fillComparison(const Run& run);

    QLabel* identity_ = nullptr;
    QVBoxLayout* charts_ = nullptr;
    QLabel* comparisonTitle_ = nullptr;
    QTableWidget* comparison_ = nullptr;   // random vs sorted (BatchingComparison.h)
    std::vector<ChartView*> views_;
    std::string key_;
    bool shown_ = false;
};

} // namespace bertbench::ui

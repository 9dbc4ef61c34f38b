#pragma once
// Compare: pick A and B (two runs, two candidates of one run, or two models of one run of
// several, each side's model chosen beside its candidate) and a task; per sequence
// length, heatmaps of the speedup delta (B − A, points) and the latency ratio (B / A), with a
// summary: geometric-mean latency ratio, mean delta, best and worst cell; where both sides
// measured energy, a third heatmap of the energy ratio (B / A) and its geometric mean.
#include <QList>
#include <QPointer>
#include <QWidget>
#include <array>
#include <vector>

#include "ui/models/Comparison.h"

QT_BEGIN_NAMESPACE
class QChart;
class QComboBox;
class QGridLayout;
class QLabel;
class QTimer;
QT_END_NAMESPACE

namespace bertbench::ui {

class ChartView;
class HeatmapChart;
class HeatmapGridModel;
class RunDocument;

class CompareView : public QWidget {
    Q_OBJECT
public:
    explicit CompareView(QWidget* parent = nullptr);
    ~CompareView() override;

    // The runs on offer; MainWindow keeps this current as documents open and close.
    void setDocuments(const QList<RunDocument*>& documents);
    // Chooses both sides (a document must be among setDocuments'); empty candidate = its first.
    void setSides(RunDocument* a, const std::string& candidateA, RunDocument* b, const std::string& candidateB);
    // Chooses a side's model (0 = A, 1 = B) where its run measured several.
    void setModel(int side, const std::string& model);
    void setTask(Task task);

    const std::vector<CellComparison>& cells() const { return cells_; }
    const ComparisonSummary& summary() const { return summary_; }
    const RunAxes& axes() const { return axes_; }
    HeatmapGridModel* deltaModel(int seqLenIndex, CompareMetric metric) const;
    QChart* currentChart() const;
    void refreshNow();

signals:
    void chartSaveRequested(QChart* chart);

private:
    struct Side {
        QComboBox* run = nullptr;
        QComboBox* model = nullptr;       // shown when the run measured several models
        QComboBox* candidate = nullptr;
        mutable Run modelRun;             // runOfModel of the chosen model, what the side compares
    };
    struct SeqRow {
        std::array<HeatmapGridModel*, 3> models{};   // speedup delta, latency ratio, energy ratio
        std::array<ChartView*, 3> views{};
    };

    void fillModels(Side& side);
    void fillCandidates(Side& side);
    void fillTasks();
    RunDocument* documentOf(const Side& side) const;
    CompareSide sideOf(const Side& side) const;
    void scheduleRefresh();
    void rebuildRows();

    QList<QPointer<RunDocument>> documents_;
    std::array<Side, 2> sides_;
    QComboBox* task_ = nullptr;
    QLabel* summaryLabel_ = nullptr;
    QGridLayout* grid_ = nullptr;
    QTimer* refreshTimer_ = nullptr;
    std::vector<SeqRow> rows_;
    std::vector<CellComparison> cells_;
    ComparisonSummary summary_;
    RunAxes axes_;
    ChartView* picked_ = nullptr;
    bool updating_ = false;
    bool showEnergy_ = false;
};

} // namespace bertbench::ui

#pragma once
// One run on screen: a header (model when the run has several, task, candidate, what the run
// is, each backend's kernel options) over five tabs; a run of several models is shown one
// model at a time (the tabs draw runOfModel of the chosen one, the table lists every row):
//   Heatmaps  — per max sequence length, speedup % and memory saved % (x batch size, y pad),
//               and energy saved % where the run measured energy; throttled cells are marked;
//               a click selects the cell for the Breakdown tab
//   Lines     — the old script's figure: both metrics against batch size, one line per pad,
//               every candidate (line style), p10–p90 bands
//   Breakdown — per-op stacked bars of the selected cell, category shares against batch size
//   Table     — every row, sortable and filterable
//   Log      — the sweep's log
//   Workload — a data workload's run only: its lengths' histogram, random vs sorted (WorkloadPage)
// A data workload's heatmaps and lines have its batching policies where the pads stand.
// It follows its RunDocument live; redraws are coalesced (at most one per 50 ms while rows
// stream in) so the event loop stays free.
#include <QElapsedTimer>
#include <QWidget>
#include <array>
#include <optional>
#include <vector>

#include "ui/models/RowLookup.h"
#include "ui/models/RunFigures.h"

QT_BEGIN_NAMESPACE
class QChart;
class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTimer;
QT_END_NAMESPACE

namespace bertbench::ui {

class BreakdownPage;
class ChartView;
class HeatmapChart;
class HeatmapGridModel;
class KernelOptionsLabel;
class LineChart;
class ResultsFilterProxy;
class ResultsTableModel;
class RunDocument;
class WorkloadPage;

class RunView : public QWidget {
    Q_OBJECT
public:
    // Workload: a data workload's lengths (WorkloadPage.h), shown only for such a run.
    enum class Page { Heatmaps, Lines, Breakdown, Table, Log, Workload };
    static QStringList pageNames();   // "heatmaps", "lines", "breakdown", "table", "log", "workload"

    explicit RunView(RunDocument* document, QWidget* parent = nullptr);
    ~RunView() override;

    RunDocument* document() const { return document_; }
    // The model shown (the run's only one, or the Model selector's choice).
    const std::string& model() const { return model_; }
    void setModel(const std::string& model);
    // What the heatmaps, lines and breakdown draw: the run, or its chosen model's rows.
    const Run& shownRun() const;
    Task task() const { return task_; }
    const std::string& candidate() const { return candidate_; }
    void setTask(Task task);
    void setCandidate(const std::string& candidate);
    void showPage(Page page);
    Page currentPage() const;
    // The cell the Breakdown tab shows (a heatmap click or its selectors choose it).
    std::optional<Cell> selectedCell() const;
    void selectCell(const Cell& cell);
    BreakdownPage* breakdownPage() const { return breakdown_; }
    bool showsEnergy() const { return showEnergy_; }
    bool showsTaskAgreement() const { return showAgreement_; }

    // The chart the user last picked on the visible page, else its first; null on Table/Log.
    QChart* currentChart() const;
    const RunAxes& axes() const { return axes_; }
    HeatmapGridModel* heatmapModel(int seqLenIndex, Metric metric) const;
    HeatmapChart* heatmapChart(int seqLenIndex, Metric metric) const;
    LineChart* lineChart(int seqLenIndex, Metric metric) const;
    ResultsTableModel* tableModel() const { return table_; }
    ResultsFilterProxy* tableProxy() const { return proxy_; }

    // Redraws now instead of at the next throttled turn (tests, exports, benchmarks).
    void refreshNow();

signals:
    void chartSaveRequested(QChart* chart);

private:
    // Heatmap columns: speedup, memory saved, then energy saved (only with energy data) and task
    // agreement (only where rows measured it), in that order.
    static constexpr int kHeatmapColumns = 4;
    struct SeqRow {
        std::array<HeatmapGridModel*, kHeatmapColumns> models{};
        std::array<ChartView*, kHeatmapColumns> heatmaps{};
        std::array<ChartView*, 2> lines{};
    };

    void buildUi();
    void resetFromDocument();
    void scheduleRefresh();
    void syncModel();
    void syncAxes();
    void rebuildRows();
    void refreshHeatmaps();
    void refreshLines();
    void refreshHeader();
    void refreshBreakdown();
    void markSelectedCell();
    int heatmapColumns() const { return 2 + (showEnergy_ ? 1 : 0) + (showAgreement_ ? 1 : 0); }
    Metric heatmapMetric(int column) const;
    int heatmapColumn(Metric m) const;   // -1 = not shown
    ChartView* makeView(ChartView* view);   // sizes it, tracks it as picked

    RunDocument* document_;
    RunAxes axes_;
    std::vector<std::string> models_;   // the run's models, in its order
    std::string model_;
    Run modelRun_;                      // runOfModel(run, model_) when the run has several
    Task task_ = Task::Encoder;
    std::string candidate_;
    std::vector<SeqRow> rows_;
    bool linesDirty_ = true;
    bool breakdownDirty_ = true;
    bool showEnergy_ = false;
    bool showAgreement_ = false;
    bool refreshQueued_ = false;
    QElapsedTimer sinceRefresh_;
    QTimer* refreshTimer_ = nullptr;
    ChartView* picked_ = nullptr;

    QLabel* modelLabel_ = nullptr;
    QComboBox* modelBox_ = nullptr;
    QComboBox* taskBox_ = nullptr;
    QComboBox* candidateBox_ = nullptr;
    QLabel* headline_ = nullptr;
    KernelOptionsLabel* kernelOptions_ = nullptr;   // under the headline: what each backend ran with
    QTabWidget* tabs_ = nullptr;
    QGridLayout* heatmapGrid_ = nullptr;
    QGridLayout* lineGrid_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QComboBox* statusFilter_ = nullptr;
    QTableView* tableView_ = nullptr;
    ResultsTableModel* table_ = nullptr;
    ResultsFilterProxy* proxy_ = nullptr;
    QPlainTextEdit* log_ = nullptr;
    BreakdownPage* breakdown_ = nullptr;
    WorkloadPage* workload_ = nullptr;
};

} // namespace bertbench::ui

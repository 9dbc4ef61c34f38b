#pragma once
// A run view's Breakdown tab: for the selected cell, one stacked bar per backend
// (BreakdownBarChart); for that cell's (seq len, pad), the category shares against batch size,
// one stacked-area chart per backend (ShareAreaChart). The cell comes from a click on a heatmap
// cell or from the selectors here. Runs without breakdown data show "not recorded".
#include <QWidget>
#include <optional>
#include <vector>

#include "ui/models/RowLookup.h"

QT_BEGIN_NAMESPACE
class QChart;
class QComboBox;
class QGridLayout;
class QLabel;
QT_END_NAMESPACE

namespace bertbench::ui {

class BreakdownBarChart;
class ChartView;
class ShareAreaChart;

class BreakdownPage : public QWidget {
    Q_OBJECT
public:
    explicit BreakdownPage(QWidget* parent = nullptr);

    // The run to draw (not owned; must outlive the next call) and the view's task.
    void setRun(const Run* run, const RunAxes& axes, Task task);
    // Selects a cell (its seq len and pad also choose the share charts) and redraws.
    void setCell(const Cell& cell);
    std::optional<Cell> cell() const { return cell_; }
    void refresh();

    BreakdownBarChart* barChart() const;
    std::vector<ShareAreaChart*> shareCharts() const;
    // The chart the user last clicked here, else the bar chart.
    QChart* currentChart() const;

signals:
    void cellChanged(const bertbench::Cell& cell);
    void chartSaveRequested(QChart* chart);

private:
    void fillSelectors();
    void selectorsChanged();
    ChartView* track(ChartView* view);

    const Run* run_ = nullptr;
    RunAxes axes_;
    Task task_ = Task::Encoder;
    std::optional<Cell> cell_;
    bool filling_ = false;
    bool chosen_ = false;   // the user picked the cell; else it follows the run's default

    QComboBox* batch_ = nullptr;
    QComboBox* seqLen_ = nullptr;
    QComboBox* pad_ = nullptr;
    QLabel* hint_ = nullptr;
    ChartView* barView_ = nullptr;
    QGridLayout* shareGrid_ = nullptr;
    std::vector<ChartView*> shareViews_;
    ChartView* picked_ = nullptr;
};

} // namespace bertbench::ui

#pragma once
// A QChartView for our charts: antialiased, a sensible minimum size, "Save image…" and
// "Copy image" on its context menu, and a signal when the user picks it (its chart becomes
// the window's "current chart" for File ▸ Export chart).
#include <QChartView>

namespace bertbench::ui {

class HeatmapGridModel;

class ChartView : public QChartView {
    Q_OBJECT
public:
    explicit ChartView(QChart* chart, QWidget* parent = nullptr);
    // A view of a new HeatmapChart drawing `model`.
    static ChartView* forHeatmap(HeatmapGridModel* model);

signals:
    void picked(bertbench::ui::ChartView* view);
    void saveImageRequested(QChart* chart);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
};

} // namespace bertbench::ui

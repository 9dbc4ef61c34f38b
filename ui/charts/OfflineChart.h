#pragma once
// The offline scenario's figure: samples/s against batch size (log2 axis), one line per backend
// and data type with its best size ringed, the legend naming each best and its task agreement;
// MLPerf's published figures as dashed lines where the cell is theirs. A grey note when nothing
// was measured. The legend is our own item under the plot, in as many columns as the width holds
// and as many rows as that needs (Qt's legend elides long entries instead).
#include <QChart>

#include "ui/models/OfflineComparison.h"

namespace bertbench::ui {

class OfflineLegendItem;
class PlotNote;

class OfflineChart : public QChart {
    Q_OBJECT
public:
    explicit OfflineChart(QGraphicsItem* parent = nullptr);
    void setComparison(const OfflineComparison& comparison);

    // The colour of curve i (the view's table uses it too).
    static QColor curveColor(int index);
    // The legend's entries, and the width its widest needs (more than the chart's: cut off).
    QStringList legendEntries() const;
    double legendEntryWidth() const;

private:
    void placeLegend();

    PlotNote* note_ = nullptr;
    OfflineLegendItem* legendItem_ = nullptr;
};

} // namespace bertbench::ui

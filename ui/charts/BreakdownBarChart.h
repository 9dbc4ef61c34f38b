#pragma once
// One horizontal stacked bar per backend for one cell: the categories' milliseconds left to
// right, "other (launch overhead, gaps)" hatched at the end, and a diamond at the plain
// forward's median. Backends without a breakdown keep their row, labelled with why; when none
// has one, the plot says so. Hovering a bar shows its parts.
#include <QChart>

#include "ui/models/Breakdown.h"

QT_BEGIN_NAMESPACE
class QBarCategoryAxis;
class QValueAxis;
QT_END_NAMESPACE

namespace bertbench::ui {

class PlotNote;

class BreakdownBarChart : public QChart {
    Q_OBJECT
public:
    explicit BreakdownBarChart(QGraphicsItem* parent = nullptr);

    void setBreakdown(const CellBreakdown& breakdown);
    const CellBreakdown& breakdown() const { return data_; }

private:
    CellBreakdown data_;
    PlotNote* note_ = nullptr;
};

} // namespace bertbench::ui

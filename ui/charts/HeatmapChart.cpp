#include "ui/charts/HeatmapChart.h"

#include <QCategoryAxis>
#include <QGraphicsLayout>
#include <QLineSeries>
#include <cmath>

#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"
#include "ui/charts/HeatmapItems.h"
#include "ui/models/HeatmapGridModel.h"

namespace bertbench::ui {

HeatmapChart::HeatmapChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 10.5);
    legend()->hide();
    setMargins(QMargins(2, 4, kHeatmapLegendWidth, 4));
    // 2 px a side, not Qt's 9: three heatmaps a row beside the Sweep panel at 1280 px need that
    // room to keep their batch-size labels ("16", "32") whole.
    layout()->setContentsMargins(2, 2, 2, 2);

    xAxis_ = new QCategoryAxis(this);
    yAxis_ = new QCategoryAxis(this);
    for (QCategoryAxis* axis : {xAxis_, yAxis_}) {
        axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
        axis->setGridLineVisible(false);
        axis->setStartValue(0);
        QFont f = axis->labelsFont();
        f.setPointSizeF(9);
        axis->setLabelsFont(f);
        f.setBold(false);
        axis->setTitleFont(f);
    }
    addAxis(xAxis_, Qt::AlignBottom);
    addAxis(yAxis_, Qt::AlignLeft);
    // Axes need a series to be laid out; this one is invisible.
    anchor_ = new QLineSeries(this);
    anchor_->setPen(Qt::NoPen);
    addSeries(anchor_);
    anchor_->attachAxis(xAxis_);
    anchor_->attachAxis(yAxis_);

    cells_ = new HeatmapCellsItem(this);
    cells_->onClicked = [this](const QPoint& xy) { emit cellClicked(xy.y(), xy.x()); };
    legend_ = new ColorLegendItem(this);
    connect(this, &QChart::plotAreaChanged, this, &HeatmapChart::layoutItems);
}

HeatmapChart::~HeatmapChart() = default;

void HeatmapChart::setModel(HeatmapGridModel* model) {
    if (model_) disconnect(model_, nullptr, this, nullptr);
    model_ = model;
    if (model_) {
        connect(model_, &QAbstractItemModel::modelReset, this, &HeatmapChart::refresh);
        connect(model_, &QAbstractItemModel::dataChanged, this, &HeatmapChart::refresh);
        connect(model_, &QAbstractItemModel::headerDataChanged, this, &HeatmapChart::refresh);
        connect(model_, &QObject::destroyed, this, [this] {
            model_ = nullptr;
            cells_->setContent(nullptr, scale());
            legend_->setContent(nullptr, scale());
        });
    }
    refresh();
}

void HeatmapChart::setShowSubtitle(bool show) {
    showSubtitle_ = show;
    refresh();
}

void HeatmapChart::setColorLimit(double limit) {
    if (limit == fixedLimit_) return;
    fixedLimit_ = limit;
    refresh();
}

double HeatmapChart::naturalColorLimit() const {
    if (!model_) return 1;
    const HeatmapGrid& g = model_->grid();
    std::vector<double> values;
    for (const HeatmapCell& c : g.cells)
        if (c.state == CellState::Ok) values.push_back(c.value);
    return DivergingScale::niceLimit(g.kind, values);
}

DivergingScale HeatmapChart::scale() const {
    const ValueKind kind = model_ ? model_->grid().kind : ValueKind::Percent;
    const Palette palette = model_ ? model_->grid().palette : Palette::RedBlue;
    return DivergingScale(kind, fixedLimit_ > 0 ? fixedLimit_ : naturalColorLimit(), palette);
}

QPoint HeatmapChart::cellAt(const QPointF& chartPos) const {
    const QPoint xy = cells_->cellAt(chartPos);
    return xy.x() < 0 ? QPoint(-1, -1) : QPoint(xy.y(), xy.x());   // (row, column)
}

void HeatmapChart::setSelectedCell(int row, int column) { cells_->setSelectedCell(QPoint(column, row)); }

QRectF HeatmapChart::cellRect(int row, int column) const {
    if (!model_ || model_->grid().cells.empty()) return {};
    const QRectF plot = plotArea();
    const double cw = plot.width() / model_->grid().columns(), ch = plot.height() / model_->grid().rows();
    return QRectF(plot.left() + column * cw, plot.bottom() - (row + 1) * ch, cw, ch);
}

void HeatmapChart::syncStructure() {
    const HeatmapGrid* g = model_ ? &model_->grid() : nullptr;
    const QStringList x = g ? g->xLabels : QStringList{}, y = g ? g->yLabels : QStringList{};
    if (x != shownX_) {
        for (const QString& l : xAxis_->categoriesLabels()) xAxis_->remove(l);
        for (int i = 0; i < x.size(); ++i) xAxis_->append(x[i], i + 1);
        xAxis_->setRange(0, std::max<qsizetype>(1, x.size()));
        shownX_ = x;
    }
    if (y != shownY_) {
        for (const QString& l : yAxis_->categoriesLabels()) yAxis_->remove(l);
        for (int i = 0; i < y.size(); ++i) yAxis_->append(y[i], i + 1);
        yAxis_->setRange(0, std::max<qsizetype>(1, y.size()));
        shownY_ = y;
    }
    anchor_->replace(QList<QPointF>{{0, 0}, {double(std::max<qsizetype>(1, x.size())),
                                             double(std::max<qsizetype>(1, y.size()))}});
    if (g) {
        setFittedTitle(this, g->title, showSubtitle_ ? g->subtitle : QString());
        if (xAxis_->titleText() != g->xTitle) xAxis_->setTitleText(g->xTitle);
        if (yAxis_->titleText() != g->yTitle) yAxis_->setTitleText(g->yTitle);
    }
}

void HeatmapChart::refresh() {
    syncStructure();
    const HeatmapGrid* g = model_ ? &model_->grid() : nullptr;
    const DivergingScale s = scale();
    cells_->setContent(g, s);
    legend_->setContent(g, s);
    layoutItems();
}

void HeatmapChart::layoutItems() {
    cells_->setRect(plotArea());
    legend_->setPlot(plotArea());
}

} // namespace bertbench::ui

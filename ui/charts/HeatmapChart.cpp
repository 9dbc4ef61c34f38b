#include "ui/charts/HeatmapChart.h"

#include <QCategoryAxis>
#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QLineSeries>
#include <QPainter>
#include <QPen>
#include <cmath>

#include "ui/models/HeatmapGridModel.h"

namespace bertbench::ui {
namespace {

constexpr int kLegendWidth = 96;   // the right margin the colour legend lives in

struct StateLook {
    QColor fill;
    Qt::BrushStyle overlay = Qt::NoBrush;
    QColor overlayColor;
    QColor text;
    QString label;
};

StateLook lookOf(CellState s) {
    switch (s) {
    case CellState::NoData:
        return {QColor(0xfa, 0xfa, 0xfa), Qt::BDiagPattern, QColor(0xd0, 0xd0, 0xd0), QColor(0x90, 0x90, 0x90),
                QStringLiteral("—")};
    case CellState::Pending:
        return {QColor(0xec, 0xec, 0xec), Qt::NoBrush, {}, QColor(0x80, 0x80, 0x80), QStringLiteral("…")};
    case CellState::Running:
        return {QColor(0xff, 0xf1, 0xcc), Qt::NoBrush, {}, QColor(0x8a, 0x5a, 0x00), QStringLiteral("running")};
    case CellState::Oom:
        return {QColor(0x3a, 0x3a, 0x3a), Qt::NoBrush, {}, QColor(Qt::white), QStringLiteral("OOM")};
    case CellState::Error:
        return {QColor(0x3a, 0x3a, 0x3a), Qt::DiagCrossPattern, QColor(0x70, 0x70, 0x70), QColor(Qt::white),
                QStringLiteral("error")};
    case CellState::Cancelled:
        return {QColor(0xc4, 0xc4, 0xc4), Qt::NoBrush, {}, QColor(0x40, 0x40, 0x40), QStringLiteral("stopped")};
    case CellState::Ok: break;
    }
    return {};
}

void paintSwatch(QPainter* p, const QRectF& r, const StateLook& look) {
    p->fillRect(r, look.fill);
    if (look.overlay != Qt::NoBrush) p->fillRect(r, QBrush(look.overlayColor, look.overlay));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// The cells: one item paints them all (cheap to redraw; hover finds the cell arithmetically).
class HeatmapCellsItem : public QGraphicsItem {
public:
    explicit HeatmapCellsItem(HeatmapChart* chart) : QGraphicsItem(chart), chart_(chart) {
        setAcceptHoverEvents(true);
        setZValue(10);   // above the plot background and grid
    }
    void setRect(const QRectF& r) {
        prepareGeometryChange();
        rect_ = r;
    }
    void setContent(const HeatmapGrid* grid, const DivergingScale& scale) {
        grid_ = grid;
        scale_ = scale;
        update();
    }
    QRectF boundingRect() const override { return rect_.adjusted(-2, -2, 2, 2); }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        if (!grid_ || grid_->cells.empty() || rect_.isEmpty()) return;
        p->setRenderHint(QPainter::Antialiasing, false);
        const int rows = grid_->rows(), cols = grid_->columns();
        const double cw = rect_.width() / cols, ch = rect_.height() / rows;

        // One font for every cell, sized to the longest text so the grid reads evenly.
        int longest = 3;
        for (const HeatmapCell& c : grid_->cells)
            longest = std::max<int>(longest, int(textOf(c).size()));
        QFont font = chart_->font();
        const double px = std::clamp(std::min(ch * 0.36, cw / (longest * 0.62 + 0.8)), 6.0, 15.0);
        font.setPixelSize(int(px));
        p->setFont(font);

        for (int y = 0; y < rows; ++y) {
            for (int x = 0; x < cols; ++x) {
                const HeatmapCell& c = grid_->at(y, x);
                // Row 0 is at the bottom.
                const QRectF r(rect_.left() + x * cw, rect_.bottom() - (y + 1) * ch, cw, ch);
                const QRectF inner = r.adjusted(0.5, 0.5, -0.5, -0.5);
                QColor text;
                if (c.state == CellState::Ok) {
                    const QColor fill = scale_.color(c.value);
                    p->fillRect(inner, fill);
                    text = DivergingScale::textColorOn(fill);
                } else {
                    const StateLook look = lookOf(c.state);
                    paintSwatch(p, inner, look);
                    text = look.text;
                }
                if (c.state == CellState::Running) {
                    p->setPen(QPen(QColor(0xe0, 0x8e, 0x00), 3));
                    p->drawRect(inner.adjusted(1.5, 1.5, -1.5, -1.5));
                }
                if (x == hovered_.x() && y == hovered_.y()) {
                    p->setPen(QPen(QColor(0x20, 0x20, 0x20), 2));
                    p->drawRect(inner.adjusted(1, 1, -1, -1));
                }
                p->setPen(text);
                p->drawText(r, Qt::AlignCenter, textOf(c));
            }
        }
    }

    QPoint cellAt(const QPointF& pos) const {
        if (!grid_ || grid_->cells.empty() || !rect_.contains(pos)) return {-1, -1};
        const int cols = grid_->columns(), rows = grid_->rows();
        const int x = std::min(cols - 1, int((pos.x() - rect_.left()) / rect_.width() * cols));
        const int y = std::min(rows - 1, int((rect_.bottom() - pos.y()) / rect_.height() * rows));
        return {x, y};
    }

protected:
    void hoverMoveEvent(QGraphicsSceneHoverEvent* e) override {
        const QPoint cell = cellAt(e->pos());
        if (cell != hovered_) {
            hovered_ = cell;
            setToolTip(cell.x() >= 0 ? grid_->at(cell.y(), cell.x()).tooltip : QString());
            update();
        }
    }
    void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override {
        hovered_ = {-1, -1};
        setToolTip({});
        update();
    }

private:
    QString textOf(const HeatmapCell& c) const {
        return c.state == CellState::Ok ? formatCellValue(c.value, grid_->kind) : lookOf(c.state).label;
    }

    HeatmapChart* chart_;
    QRectF rect_;
    const HeatmapGrid* grid_ = nullptr;
    DivergingScale scale_{ValueKind::Percent, 1};
    QPoint hovered_{-1, -1};
};

// ---------------------------------------------------------------------------------------------
// The colour legend: a vertical bar with ticks and the unit, then the cell states present.
class ColorLegendItem : public QGraphicsItem {
public:
    explicit ColorLegendItem(HeatmapChart* chart) : QGraphicsItem(chart), chart_(chart) { setZValue(10); }
    void setPlot(const QRectF& plot) {
        prepareGeometryChange();
        plot_ = plot;
    }
    void setContent(const HeatmapGrid* grid, const DivergingScale& scale) {
        grid_ = grid;
        scale_ = scale;
        update();
    }
    QRectF boundingRect() const override {
        return QRectF(plot_.right(), plot_.top() - 4, kLegendWidth + 4, plot_.height() + 8);
    }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        if (!grid_ || plot_.isEmpty()) return;
        QFont font = chart_->font();
        font.setPixelSize(11);
        p->setFont(font);
        const QFontMetricsF fm(font);
        const double line = fm.height();

        std::vector<CellState> states;
        for (CellState s : {CellState::Running, CellState::Pending, CellState::Oom, CellState::Error,
                            CellState::Cancelled, CellState::NoData})
            for (const HeatmapCell& c : grid_->cells)
                if (c.state == s) {
                    states.push_back(s);
                    break;
                }

        const double x = plot_.right() + 14, barW = 14;
        const double swatchRows = states.size() * (line + 2);
        double top = plot_.top() + line + 2;
        double bottom = plot_.bottom() - (states.empty() ? 0 : swatchRows + 6);
        if (bottom - top < 30) bottom = top + 30;   // a small chart: the states may overlap less

        p->setPen(QColor(0x30, 0x30, 0x30));
        p->drawText(QRectF(x + barW / 2 - 30, plot_.top(), 60, line), Qt::AlignHCenter | Qt::AlignVCenter, grid_->unit);

        // The bar: one gradient, best at the top.
        QLinearGradient g(0, bottom, 0, top);
        for (int i = 0; i <= 20; ++i) {
            const double t = i / 20.0;
            g.setColorAt(t, DivergingScale::colorAt(-1 + 2 * t));
        }
        const QRectF bar(x, top, barW, bottom - top);
        p->fillRect(bar, g);
        p->setPen(QPen(QColor(0x80, 0x80, 0x80), 0.8));
        p->drawRect(bar);

        const std::vector<double> ticks = scale_.ticks();
        for (double v : ticks) {
            const double t = (scale_.position(v) + 1) / 2;
            const double y = bottom - t * (bottom - top);
            p->setPen(QPen(QColor(0x30, 0x30, 0x30), 1));
            p->drawLine(QPointF(x + barW, y), QPointF(x + barW + 4, y));
            p->drawText(QRectF(x + barW + 6, y - line / 2, kLegendWidth - barW - 20, line),
                        Qt::AlignLeft | Qt::AlignVCenter, scale_.tickLabel(v));
        }

        double y = bottom + 8;
        for (CellState s : states) {
            const StateLook look = lookOf(s);
            const QRectF sw(x, y + 1, barW, line - 2);
            paintSwatch(p, sw, look);
            if (s == CellState::Running) {
                p->setPen(QPen(QColor(0xe0, 0x8e, 0x00), 2));
                p->drawRect(sw.adjusted(1, 1, -1, -1));
            }
            p->setPen(QColor(0x30, 0x30, 0x30));
            p->drawText(QRectF(x + barW + 6, y, kLegendWidth - barW - 20, line), Qt::AlignLeft | Qt::AlignVCenter,
                        toDisplayString(s));
            y += line + 2;
        }
    }

private:
    HeatmapChart* chart_;
    QRectF plot_;
    const HeatmapGrid* grid_ = nullptr;
    DivergingScale scale_{ValueKind::Percent, 1};
};

// ---------------------------------------------------------------------------------------------

HeatmapChart::HeatmapChart(QGraphicsItem* parent) : QChart(parent) {
    setAnimationOptions(QChart::NoAnimation);
    setBackgroundRoundness(0);
    legend()->hide();
    setMargins(QMargins(6, 4, kLegendWidth, 4));
    QFont titleFont = font();
    titleFont.setPointSizeF(10.5);
    titleFont.setBold(true);
    setTitleFont(titleFont);

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
    return DivergingScale(kind, fixedLimit_ > 0 ? fixedLimit_ : naturalColorLimit());
}

QPoint HeatmapChart::cellAt(const QPointF& chartPos) const {
    const QPoint xy = cells_->cellAt(chartPos);
    return xy.x() < 0 ? QPoint(-1, -1) : QPoint(xy.y(), xy.x());   // (row, column)
}

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
        QString text = g->title.toHtmlEscaped();
        if (showSubtitle_ && !g->subtitle.isEmpty())
            text += QStringLiteral("<br><span style=\"font-weight:normal; font-size:8.5pt; color:#555555\">%1</span>")
                        .arg(g->subtitle.toHtmlEscaped());
        if (title() != text) setTitle(text);
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

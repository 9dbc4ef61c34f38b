#include "ui/charts/HeatmapItems.h"

#include <QChart>
#include <QFontMetricsF>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPen>
#include <algorithm>
#include <cmath>

namespace bertbench::ui {
namespace {

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
    case CellState::NotAvailable:
        return {QColor(0xf2, 0xf2, 0xf2), Qt::Dense7Pattern, QColor(0xb0, 0xb0, 0xb0), QColor(0x70, 0x70, 0x70),
                QStringLiteral("n/a")};
    case CellState::Ok: break;
    }
    return {};
}

void paintSwatch(QPainter* p, const QRectF& r, const StateLook& look) {
    p->fillRect(r, look.fill);
    if (look.overlay != Qt::NoBrush) p->fillRect(r, QBrush(look.overlayColor, look.overlay));
}

// A cell whose interval holds the neutral value ("same"): neutral grey, hatched, so it never reads
// as an effect; its value is still written over it.
const QColor kUncertainFill(0xee, 0xee, 0xee);
const QColor kUncertainHatch(0xbb, 0xbb, 0xbb);
const QColor kUncertainText(0x50, 0x50, 0x50);

void paintUncertain(QPainter* p, const QRectF& r) {
    p->fillRect(r, kUncertainFill);
    p->fillRect(r, QBrush(kUncertainHatch, Qt::BDiagPattern));
}

// A dark triangle in the top-right corner: the flag (a throttled clock) without hiding the value.
void paintFlag(QPainter* p, const QRectF& r) {
    const double s = std::clamp(std::min(r.width(), r.height()) * 0.28, 6.0, 14.0);
    QPainterPath tri;
    tri.moveTo(r.topRight());
    tri.lineTo(r.topRight() - QPointF(s, 0));
    tri.lineTo(r.topRight() + QPointF(0, s));
    tri.closeSubpath();
    p->setRenderHint(QPainter::Antialiasing, true);
    p->fillPath(tri, QColor(0xe6, 0x7e, 0x00));
    p->setPen(QPen(QColor(0x40, 0x20, 0x00), 0.8));
    p->drawPath(tri);
    p->setRenderHint(QPainter::Antialiasing, false);
}

// The order the colour bar's tick labels claim their room in: the ends, then the neutral value,
// then those in between (the first to give way on a short bar).
std::vector<size_t> tickLabelOrder(size_t count) {
    std::vector<size_t> order;
    for (size_t i : {size_t(0), count - 1, count / 2})
        if (i < count && std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
    for (size_t i = 0; i < count; ++i)
        if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
    return order;
}

} // namespace

// ---------------------------------------------------------------------------------------------

HeatmapCellsItem::HeatmapCellsItem(QChart* chart) : QGraphicsItem(chart), chart_(chart) {
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    setZValue(10);   // above the plot background and grid
}

void HeatmapCellsItem::setRect(const QRectF& r) {
    prepareGeometryChange();
    rect_ = r;
}

void HeatmapCellsItem::setContent(const HeatmapGrid* grid, const DivergingScale& scale) {
    grid_ = grid;
    scale_ = scale;
    update();
}

void HeatmapCellsItem::setSelectedCell(const QPoint& xy) {
    if (xy == selected_) return;
    selected_ = xy;
    update();
}

QString HeatmapCellsItem::textOf(const HeatmapCell& c) const {
    return c.state == CellState::Ok ? formatCellValue(c.value, grid_->kind) : lookOf(c.state).label;
}

void HeatmapCellsItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    if (!grid_ || grid_->cells.empty() || rect_.isEmpty()) return;
    p->setRenderHint(QPainter::Antialiasing, false);
    const int rows = grid_->rows(), cols = grid_->columns();
    const double cw = rect_.width() / cols, ch = rect_.height() / rows;

    // One font for every cell, sized to the longest text so the grid reads evenly.
    int longest = 3;
    for (const HeatmapCell& c : grid_->cells) longest = std::max<int>(longest, int(textOf(c).size()));
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
            if (c.state == CellState::Ok && c.uncertain) {
                paintUncertain(p, inner);
                text = kUncertainText;
            } else if (c.state == CellState::Ok) {
                const QColor fill = scale_.color(c.value);
                p->fillRect(inner, fill);
                text = DivergingScale::textColorOn(fill);
            } else {
                const StateLook look = lookOf(c.state);
                paintSwatch(p, inner, look);
                text = look.text;
            }
            if (c.flagged) paintFlag(p, inner);
            if (c.state == CellState::Running) {
                p->setPen(QPen(QColor(0xe0, 0x8e, 0x00), 3));
                p->drawRect(inner.adjusted(1.5, 1.5, -1.5, -1.5));
            }
            if (x == selected_.x() && y == selected_.y()) {
                p->setPen(QPen(QColor(0x00, 0x00, 0x00), 3, Qt::DashLine));
                p->drawRect(inner.adjusted(1.5, 1.5, -1.5, -1.5));
            } else if (x == hovered_.x() && y == hovered_.y()) {
                p->setPen(QPen(QColor(0x20, 0x20, 0x20), 2));
                p->drawRect(inner.adjusted(1, 1, -1, -1));
            }
            p->setPen(text);
            p->drawText(r, Qt::AlignCenter, textOf(c));
        }
    }
}

QPoint HeatmapCellsItem::cellAt(const QPointF& pos) const {
    if (!grid_ || grid_->cells.empty() || !rect_.contains(pos)) return {-1, -1};
    const int cols = grid_->columns(), rows = grid_->rows();
    const int x = std::min(cols - 1, int((pos.x() - rect_.left()) / rect_.width() * cols));
    const int y = std::min(rows - 1, int((rect_.bottom() - pos.y()) / rect_.height() * rows));
    return {x, y};
}

void HeatmapCellsItem::hoverMoveEvent(QGraphicsSceneHoverEvent* e) {
    const QPoint cell = cellAt(e->pos());
    if (cell == hovered_) return;
    hovered_ = cell;
    setToolTip(cell.x() >= 0 ? grid_->at(cell.y(), cell.x()).tooltip : QString());
    update();
}

void HeatmapCellsItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
    hovered_ = {-1, -1};
    setToolTip({});
    update();
}

void HeatmapCellsItem::mousePressEvent(QGraphicsSceneMouseEvent* e) {
    const QPoint cell = cellAt(e->pos());
    if (cell.x() < 0) {
        e->ignore();
        return;
    }
    if (onClicked) onClicked(cell);
    e->accept();
}

// ---------------------------------------------------------------------------------------------

ColorLegendItem::ColorLegendItem(QChart* chart) : QGraphicsItem(chart), chart_(chart) { setZValue(10); }

void ColorLegendItem::setPlot(const QRectF& plot) {
    prepareGeometryChange();
    plot_ = plot;
}

void ColorLegendItem::setContent(const HeatmapGrid* grid, const DivergingScale& scale) {
    grid_ = grid;
    scale_ = scale;
    update();
}

QRectF ColorLegendItem::boundingRect() const {
    return QRectF(plot_.right(), plot_.top() - 4, kHeatmapLegendWidth + 4, plot_.height() + 8);
}

void ColorLegendItem::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
    if (!grid_ || plot_.isEmpty()) return;
    QFont font = chart_->font();
    font.setPixelSize(11);
    p->setFont(font);
    const QFontMetricsF fm(font);
    const double line = fm.height();

    std::vector<CellState> states;
    for (CellState s : {CellState::Running, CellState::Pending, CellState::Oom, CellState::Error,
                        CellState::Cancelled, CellState::NotAvailable, CellState::NoData})
        if (std::any_of(grid_->cells.begin(), grid_->cells.end(), [s](const HeatmapCell& c) { return c.state == s; }))
            states.push_back(s);
    const bool flags = std::any_of(grid_->cells.begin(), grid_->cells.end(), [](const HeatmapCell& c) { return c.flagged; });
    const bool uncertain = std::any_of(grid_->cells.begin(), grid_->cells.end(),
                                       [](const HeatmapCell& c) { return c.state == CellState::Ok && c.uncertain; });
    const int uncertainLines = uncertain ? std::max<int>(1, int(grid_->uncertainLabel.size())) : 0;

    const double x = plot_.right() + 14, barW = 14;
    const double swatchRows = (states.size() + (flags ? 1 : 0)) * (line + 2) + uncertainLines * line + (uncertain ? 2 : 0);
    double top = plot_.top() + line + 2;
    double bottom = plot_.bottom() - (swatchRows > 0 ? swatchRows + 6 : 0);
    if (bottom - top < 30) bottom = top + 30;   // a small chart: the states may overlap less

    p->setPen(QColor(0x30, 0x30, 0x30));
    p->drawText(QRectF(x + barW / 2 - 30, plot_.top(), 60, line), Qt::AlignHCenter | Qt::AlignVCenter, grid_->unit);

    // The bar: one gradient, best at the top (neutral, for a scale that runs one way).
    const double span = scale_.bestPosition() + 1;
    QLinearGradient g(0, bottom, 0, top);
    for (int i = 0; i <= 20; ++i) {
        const double t = i / 20.0;
        g.setColorAt(t, DivergingScale::colorAt(-1 + span * t, scale_.palette()));
    }
    const QRectF bar(x, top, barW, bottom - top);
    p->fillRect(bar, g);
    p->setPen(QPen(QColor(0x80, 0x80, 0x80), 0.8));
    p->drawRect(bar);

    const double labelW = kHeatmapLegendWidth - barW - 20;
    const std::vector<double> ticks = scale_.ticks();
    std::vector<QRectF> labelled;
    for (size_t i : tickLabelOrder(ticks.size())) {
        const double t = (scale_.position(ticks[i]) + 1) / span;
        const double y = bottom - t * (bottom - top);
        p->setPen(QPen(QColor(0x30, 0x30, 0x30), 1));
        p->drawLine(QPointF(x + barW, y), QPointF(x + barW + 4, y));
        const QRectF box(x + barW + 6, y - line / 2, labelW, line);
        // A label that would touch one already drawn is left out; its tick stays.
        if (std::any_of(labelled.begin(), labelled.end(), [&](const QRectF& r) { return r.intersects(box); })) continue;
        p->drawText(box, Qt::AlignLeft | Qt::AlignVCenter, scale_.tickLabel(ticks[i]));
        labelled.push_back(box);
    }

    double y = bottom + 8;
    if (uncertain) {
        const QRectF sw(x, y + 1, barW, line - 2);
        paintUncertain(p, sw);
        p->setPen(QPen(QColor(0x90, 0x90, 0x90), 0.8));
        p->drawRect(sw);
        p->setPen(QColor(0x30, 0x30, 0x30));
        for (const QString& text : grid_->uncertainLabel) {
            p->drawText(QRectF(x + barW + 6, y, labelW, line), Qt::AlignLeft | Qt::AlignVCenter, text);
            y += line;
        }
        y += 2;
    }
    for (CellState s : states) {
        const StateLook look = lookOf(s);
        const QRectF sw(x, y + 1, barW, line - 2);
        paintSwatch(p, sw, look);
        if (s == CellState::Running) {
            p->setPen(QPen(QColor(0xe0, 0x8e, 0x00), 2));
            p->drawRect(sw.adjusted(1, 1, -1, -1));
        }
        p->setPen(QColor(0x30, 0x30, 0x30));
        p->drawText(QRectF(x + barW + 6, y, labelW, line), Qt::AlignLeft | Qt::AlignVCenter, toDisplayString(s));
        y += line + 2;
    }
    if (flags) {
        const QRectF sw(x, y + 1, barW, line - 2);
        p->fillRect(sw, QColor(0xf7, 0xf7, 0xf7));
        paintFlag(p, sw);
        p->setPen(QColor(0x30, 0x30, 0x30));
        p->drawText(QRectF(x + barW + 6, y, labelW, line), Qt::AlignLeft | Qt::AlignVCenter, grid_->flagLabel);
    }
}

} // namespace bertbench::ui

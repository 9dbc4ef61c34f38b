#include "ui/charts/LineChart.h"

#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"

#include <QAreaSeries>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QPainter>
#include <QToolTip>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

namespace bertbench::ui {

// Under the plot: "—— sdpa  - - - flash_attention_2  ▒ p10–p90" and "pad ━ 0  ━ 0.1 …".
class LineLegendItem : public BottomLegendItem {
public:
    static constexpr double kRowHeight = 16;

    explicit LineLegendItem(LineChart* chart) : BottomLegendItem(chart), chart_(chart) {}

    int rows() const {
        const LinePanelData& p = chart_->panel();
        return (p.candidateNames.size() > 1 || hasBand() || hasSame()) ? 2 : 1;
    }
    double height() const override { return rows() * kRowHeight + 6; }

    struct Entry {
        QPen pen;
        QBrush band;
        QString text;
        bool hollow = false;   // a hollow marker: a speedup whose 95 % interval holds 0
    };
    static constexpr double kSample = 26, kGap = 5, kSpacing = 14;

    QFont legendFont() const {
        QFont font = chart_->font();
        font.setPixelSize(11);
        return font;
    }
    // The rows: candidates' line styles (and the band) when there are several, then the pads.
    std::vector<std::vector<Entry>> entryRows() const {
        const LinePanelData& panel = chart_->panel();
        std::vector<std::vector<Entry>> rows;
        if (rows_() == 2) {
            std::vector<Entry> styles;
            for (int i = 0; i < panel.candidateNames.size(); ++i)
                styles.push_back({QPen(QColor(0x30, 0x30, 0x30), 2, LineChart::candidateStyle(i)), {}, panel.candidateNames[i]});
            if (hasBand()) styles.push_back({Qt::NoPen, QColor(0x60, 0x60, 0x60, 60), QStringLiteral("p10–p90")});
            if (hasSame())
                styles.push_back({QPen(QColor(0x30, 0x30, 0x30), 1.5), {}, QStringLiteral("same (95% CI ∋ 0)"), true});
            rows.push_back(styles);
        }
        std::vector<Entry> pads;
        for (int i = 0; i < panel.padLabels.size(); ++i)
            pads.push_back({QPen(LineChart::padColor(i, panel.padCount), 3), {}, panel.padLabels[i]});
        rows.push_back(pads);
        return rows;
    }
    double rowWidth(const std::vector<Entry>& row, const QString& lead, const QFontMetricsF& fm) const {
        double width = lead.isEmpty() ? 0 : fm.horizontalAdvance(lead) + kGap;
        for (const Entry& e : row) width += kSample + kGap + fm.horizontalAdvance(e.text) + kSpacing;
        return width - kSpacing;
    }
    // The widest row plus the side margins: what the chart's width must hold.
    double requiredWidth() const {
        const QFontMetricsF fm(legendFont());
        const auto rows = entryRows();
        double widest = 0;
        for (size_t r = 0; r < rows.size(); ++r)
            widest = std::max(widest, rowWidth(rows[r], r + 1 == rows.size() ? chart_->panel().rowsTitle : QString(), fm));
        return widest + 8;
    }

    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        const QFont font = legendFont();
        p->setFont(font);
        const QFontMetricsF fm(font);
        const QRectF area = boundingRect();
        constexpr double sample = kSample, gap = kGap, spacing = kSpacing;
        const std::vector<std::vector<Entry>> rows = entryRows();

        double y = area.top() + 3;
        for (size_t r = 0; r < rows.size(); ++r) {
            const bool padRow = r + 1 == rows.size();
            const QString lead = padRow ? chart_->panel().rowsTitle : QString();
            const double width = rowWidth(rows[r], lead, fm);
            double x = area.left() + std::max(4.0, (area.width() - width) / 2);
            p->setPen(QColor(0x30, 0x30, 0x30));
            if (!lead.isEmpty()) {
                p->drawText(QRectF(x, y, fm.horizontalAdvance(lead) + 2, kRowHeight), Qt::AlignVCenter, lead);
                x += fm.horizontalAdvance(lead) + gap;
            }
            for (const Entry& e : rows[r]) {
                const double mid = y + kRowHeight / 2;
                if (e.hollow) {
                    p->setRenderHint(QPainter::Antialiasing, true);
                    p->setPen(e.pen);
                    p->setBrush(Qt::white);
                    p->drawEllipse(QPointF(x + sample / 2, mid), 4, 4);
                    p->setBrush(Qt::NoBrush);
                } else if (e.band != QBrush()) {
                    p->fillRect(QRectF(x, mid - 5, sample, 10), e.band);
                } else {
                    p->setPen(e.pen);
                    p->drawLine(QPointF(x, mid), QPointF(x + sample, mid));
                }
                x += sample + gap;
                p->setPen(QColor(0x30, 0x30, 0x30));
                const double w = fm.horizontalAdvance(e.text) + 2;
                p->drawText(QRectF(x, y, w, kRowHeight), Qt::AlignVCenter, e.text);
                x += w - 2 + spacing;
            }
            y += kRowHeight;
        }
    }

private:
    int rows_() const { return rows(); }
    bool hasBand() const {
        for (const LineSeriesData& s : chart_->panel().series)
            for (const LinePoint& pt : s.points)
                if (pt.hasBand) return true;
        return false;
    }
    bool hasSame() const {
        for (const LineSeriesData& s : chart_->panel().series)
            for (const LinePoint& pt : s.points)
                if (pt.same) return true;
        return false;
    }

    LineChart* chart_;
};

LineChart::LineChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 10.5);
    setMargins(QMargins(4, 4, 4, 4));
    legend()->hide();   // LineLegendItem instead
    legendItem_ = new LineLegendItem(this);
    connect(this, &QGraphicsWidget::geometryChanged, this, [this] { legendItem_->relayout(); });

    xAxis_ = new QLogValueAxis(this);
    xAxis_->setBase(2);
    xAxis_->setLabelFormat(QStringLiteral("%g"));
    xAxis_->setTitleText(QStringLiteral("batch size (log₂ scale)"));
    xAxis_->setMinorTickCount(0);
    yAxis_ = new QValueAxis(this);
    yAxis_->setLabelFormat(QStringLiteral("%g"));
    for (QAbstractAxis* axis : std::initializer_list<QAbstractAxis*>{xAxis_, yAxis_}) {
        QFont f = axis->labelsFont();
        f.setPointSizeF(9);
        axis->setLabelsFont(f);
        axis->setTitleFont(f);
    }
    addAxis(xAxis_, Qt::AlignBottom);
    addAxis(yAxis_, Qt::AlignLeft);
}

QColor LineChart::padColor(int padIndex, int padCount) {
    // "plasma" from deep blue to orange (its yellow end is too pale on white).
    static constexpr std::array<QRgb, 5> stops{0xff0d0887, 0xff6a00a8, 0xffb12a90, 0xffe16462, 0xfff2a93b};
    const double t = padCount <= 1 ? 0 : double(padIndex) / (padCount - 1);
    const double x = t * (stops.size() - 1);
    const size_t i = std::min(size_t(x), stops.size() - 2);
    const double f = x - double(i);
    const QColor a(stops[i]), b(stops[i + 1]);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f), float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

Qt::PenStyle LineChart::candidateStyle(int candidateIndex) {
    static constexpr std::array<Qt::PenStyle, 4> styles{Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    return styles[size_t(candidateIndex) % styles.size()];
}

double LineChart::legendWidth() const { return legendItem_->requiredWidth(); }

void LineChart::setPanel(const LinePanelData& panel) {
    panel_ = panel;
    removeAllSeries();
    setMargins(QMargins(4, 4, 8, 4 + int(legendItem_->height())));
    legendItem_->relayout();
    setFittedTitle(this, panel.title);
    yAxis_->setTitleText(panel.yTitle);

    double lo = 0, hi = 0;   // the zero line is always in view
    for (const LineSeriesData& s : panel.series) {
        for (const LinePoint& p : s.points) {
            lo = std::min({lo, p.y, p.hasBand ? p.low : p.y});
            hi = std::max({hi, p.y, p.hasBand ? p.high : p.y});
        }
    }
    const double span = std::max(hi - lo, 1.0);
    yAxis_->setRange(lo - span * 0.05, hi + span * 0.05);
    yAxis_->applyNiceNumbers();
    xAxis_->setRange(panel.minBatch / 1.35, panel.maxBatch * 1.35);

    const auto attach = [this](QAbstractSeries* s) {
        addSeries(s);
        s->attachAxis(xAxis_);
        s->attachAxis(yAxis_);
    };
    const auto hideMarker = [this](QAbstractSeries* s) {
        for (QLegendMarker* m : legend()->markers(s)) m->setVisible(false);
    };

    auto* zero = new QLineSeries(this);
    zero->append(panel.minBatch / 1.35, 0);
    zero->append(panel.maxBatch * 1.35, 0);
    zero->setPen(QPen(QColor(0x90, 0x90, 0x90), 1, Qt::DashLine));
    attach(zero);
    hideMarker(zero);

    // Bands first, so every line is drawn over every band.
    for (const LineSeriesData& s : panel.series) {
        if (std::none_of(s.points.begin(), s.points.end(), [](const LinePoint& p) { return p.hasBand; })) continue;
        auto* upper = new QLineSeries(this);
        auto* lower = new QLineSeries(this);
        for (const LinePoint& p : s.points) {
            upper->append(p.x, p.hasBand ? p.high : p.y);
            lower->append(p.x, p.hasBand ? p.low : p.y);
        }
        auto* band = new QAreaSeries(upper, lower);
        upper->setParent(band);
        lower->setParent(band);
        QColor c = padColor(s.padIndex, panel.padCount);
        c.setAlphaF(0.13f);
        band->setBrush(c);
        band->setPen(Qt::NoPen);
        band->setName(s.name + QStringLiteral(" p10–p90"));
        attach(band);
        hideMarker(band);
    }
    for (const LineSeriesData& s : panel.series) {
        auto* line = new QLineSeries(this);
        line->setName(s.name);
        for (const LinePoint& p : s.points) line->append(p.x, p.y);
        QPen pen(padColor(s.padIndex, panel.padCount), 2, candidateStyle(s.candidateIndex));
        pen.setCapStyle(Qt::RoundCap);
        line->setPen(pen);
        line->setPointsVisible(true);
        line->setMarkerSize(4.5);
        const QString name = s.name, unit = panel.yTitle.contains(QLatin1Char('%')) ? QStringLiteral(" %") : QString();
        connect(line, &QLineSeries::hovered, this, [name, unit, points = s.points](const QPointF& at, bool state) {
            if (!state || points.empty()) return;
            // The nearest measured point (the hover position lies anywhere along the line).
            const LinePoint* best = &points.front();
            for (const LinePoint& pt : points)
                if (std::fabs(std::log2(pt.x / at.x())) < std::fabs(std::log2(best->x / at.x()))) best = &pt;
            QString text = QStringLiteral("%1<br>batch %2: <b>%3%4</b>")
                               .arg(name.toHtmlEscaped())
                               .arg(best->x)
                               .arg(best->y, 0, 'f', 1)
                               .arg(unit);
            if (best->ci.valid())
                text += QStringLiteral("<br>95% interval %1 … %2%3%4")
                            .arg(best->ci.lo, 0, 'f', 1)
                            .arg(best->ci.hi, 0, 'f', 1)
                            .arg(unit, best->same ? QStringLiteral(": <b>same</b> (holds 0)") : QString());
            if (best->hasBand) text += QStringLiteral("<br>p10–p90 band %1 … %2").arg(best->low, 0, 'f', 1).arg(best->high, 0, 'f', 1);
            QToolTip::showText(QCursor::pos(), text);
        });
        attach(line);
        // Points whose speedup's 95 % interval holds 0: hollow markers over the line's own.
        if (std::any_of(s.points.begin(), s.points.end(), [](const LinePoint& p) { return p.same; })) {
            auto* same = new QScatterSeries(this);
            same->setName(s.name + QStringLiteral(" same"));
            same->setMarkerShape(QScatterSeries::MarkerShapeCircle);
            same->setMarkerSize(8);
            same->setColor(Qt::white);
            same->setBorderColor(padColor(s.padIndex, panel.padCount));
            for (const LinePoint& p : s.points)
                if (p.same) same->append(p.x, p.y);
            attach(same);
            hideMarker(same);
        }
    }
}

} // namespace bertbench::ui

#include "ui/charts/OfflineChart.h"

#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QPainter>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

#include "ui/charts/ChartBasics.h"
#include "ui/charts/FittedTitle.h"

namespace bertbench::ui {

namespace {

// Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
constexpr std::array<QRgb, 7> kPalette{0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000};

// What ran, its best (the ringed point) and its task agreement; the table has the rest.
QString legendText(const OfflineCurve& c) {
    QString text = c.backend + QLatin1Char(' ') + c.dtype;
    if (!c.failure.isEmpty()) return text + QStringLiteral(": did not run");
    if (c.bestBatch > 0) text += QStringLiteral(" · %1/s at %2").arg(rateText(c.bestSamplesPerS)).arg(c.bestBatch);
    if (std::isfinite(c.agreementPct)) text += QStringLiteral(" · %1 % agree").arg(c.agreementPct, 0, 'f', 1);
    return text;
}

} // namespace

// Under the plot: a line sample and its text per entry, in columns of equal width.
class OfflineLegendItem : public BottomLegendItem {
public:
    static constexpr double kRowHeight = 17, kSample = 26, kGap = 5, kColumnGap = 18, kPad = 6;
    struct Entry {
        QPen pen;
        QString text;
    };

    explicit OfflineLegendItem(QChart* chart) : BottomLegendItem(chart), chart_(chart) {}

    void setEntries(std::vector<Entry> entries) {
        entries_ = std::move(entries);
        relayout();
    }
    const std::vector<Entry>& entries() const { return entries_; }
    QFont font() const {
        QFont f = chart_->font();
        f.setPixelSize(11);
        return f;
    }
    double entryWidth() const {
        const QFontMetricsF fm(font());
        double widest = 0;
        for (const Entry& e : entries_) widest = std::max(widest, fm.horizontalAdvance(e.text));
        return entries_.empty() ? 0 : kSample + kGap + widest + 2;
    }
    int columns() const {
        const double width = chart_->size().width() - 2 * kPad;
        const double column = entryWidth() + kColumnGap;
        return std::max(1, std::min(int(entries_.size()), int((width + kColumnGap) / std::max(column, 1.0))));
    }
    int rows() const { return entries_.empty() ? 0 : int((entries_.size() + size_t(columns()) - 1) / size_t(columns())); }
    double height() const override { return rows() * kRowHeight + (entries_.empty() ? 0 : 2 * kPad); }
    void paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) override {
        p->setFont(font());
        const QRectF area = boundingRect();
        const int cols = columns();
        const double column = entryWidth() + kColumnGap;
        const double left = area.left() + std::max(kPad, (area.width() - (cols * column - kColumnGap)) / 2);
        for (size_t i = 0; i < entries_.size(); ++i) {
            const int r = int(i) / cols, c = int(i) % cols;
            const double x = left + c * column, y = area.top() + kPad + r * kRowHeight, mid = y + kRowHeight / 2;
            p->setPen(entries_[i].pen);
            p->drawLine(QPointF(x, mid), QPointF(x + kSample, mid));
            p->setPen(QColor(0x30, 0x30, 0x30));
            p->drawText(QRectF(x + kSample + kGap, y, column - kSample - kGap, kRowHeight), Qt::AlignVCenter,
                        entries_[i].text);
        }
    }

private:
    QChart* chart_;
    std::vector<Entry> entries_;
};

QColor OfflineChart::curveColor(int index) { return QColor(kPalette[size_t(index) % kPalette.size()]); }

OfflineChart::OfflineChart(QGraphicsItem* parent) : QChart(parent) {
    setUpChart(this, 12);
    legend()->hide();   // OfflineLegendItem instead
    legendItem_ = new OfflineLegendItem(this);
    connect(this, &QGraphicsWidget::geometryChanged, this, &OfflineChart::placeLegend);
    note_ = new PlotNote(this);
}

void OfflineChart::placeLegend() {
    legendItem_->relayout();
    setMargins(QMargins(6, 4, 12, 4 + int(std::ceil(legendItem_->height()))));
}

QStringList OfflineChart::legendEntries() const {
    QStringList texts;
    for (const OfflineLegendItem::Entry& e : legendItem_->entries()) texts << e.text;
    return texts;
}

double OfflineChart::legendEntryWidth() const { return legendItem_->entryWidth(); }

void OfflineChart::setComparison(const OfflineComparison& c) {
    clearSeriesAndAxes(this);
    std::vector<OfflineLegendItem::Entry> entries;
    setFittedTitle(this, c.title, c.device.isEmpty() ? c.subtitle : c.device + QStringLiteral(" · ") + c.subtitle);
    int lo = 0, hi = 0;
    double top = 0;
    for (const OfflineCurve& curve : c.curves)
        for (size_t i = 0; i < curve.batchSizes.size(); ++i) {
            lo = lo == 0 ? curve.batchSizes[i] : std::min(lo, curve.batchSizes[i]);
            hi = std::max(hi, curve.batchSizes[i]);
            top = std::max(top, curve.samplesPerS[i]);
        }
    const bool measured = hi > 0;
    note_->setNote(tr("No batch size was measured: the table says why."), !measured);
    if (!measured) {
        legendItem_->setEntries({});
        placeLegend();
        return;
    }
    for (const PublishedFigure& p : c.published) top = std::max(top, p.samplesPerS);

    auto* x = new QLogValueAxis;
    x->setBase(2);
    x->setLabelFormat(QStringLiteral("%d"));
    x->setTitleText(tr("batch size (samples, sorted by length)"));
    x->setRange(lo / 1.5, hi * 1.5);
    x->setMinorTickCount(0);
    auto* y = new QValueAxis;
    y->setTitleText(tr("samples/s (whole set)"));
    const double step = top > 4000 ? 1000 : std::pow(10.0, std::floor(std::log10(std::max(top, 1.0))));
    const double yMax = std::ceil(top * 1.08 / step) * step;
    y->setRange(0, yMax);
    y->setTickCount(std::clamp(int(std::lround(yMax / step)) + 1, 3, 12));
    y->setLabelFormat(QStringLiteral("%.0f"));
    addAxis(x, Qt::AlignBottom);
    addAxis(y, Qt::AlignLeft);
    auto add = [&](QXYSeries* series) {
        addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    };

    for (size_t k = 0; k < c.published.size(); ++k) {
        auto* line = new QLineSeries;
        line->append(lo / 1.5, c.published[k].samplesPerS);
        line->append(hi * 1.5, c.published[k].samplesPerS);
        QPen pen(QColor(k == 0 ? 0x555555 : 0x999999), 1.5, k == 0 ? Qt::DashLine : Qt::DotLine);
        line->setPen(pen);
        entries.push_back({pen, QStringLiteral("%1 · %2/s").arg(c.published[k].label, rateText(c.published[k].samplesPerS))});
        add(line);
    }
    for (size_t i = 0; i < c.curves.size(); ++i) {
        const OfflineCurve& curve = c.curves[i];
        const QColor color = curveColor(int(i));
        auto* line = new QLineSeries;
        line->setPen(QPen(color, 2.2));
        entries.push_back({QPen(color, 2.2), legendText(curve)});
        line->setPointsVisible(true);
        for (size_t t = 0; t < curve.batchSizes.size(); ++t) line->append(curve.batchSizes[t], curve.samplesPerS[t]);
        add(line);
        if (curve.bestBatch <= 0) continue;
        auto* best = new QScatterSeries;   // the best size, ringed
        best->setMarkerSize(15);
        best->setColor(Qt::transparent);
        best->setBorderColor(color);
        best->setPen(QPen(color, 2));
        best->append(curve.bestBatch, curve.bestSamplesPerS);
        add(best);
    }
    legendItem_->setEntries(std::move(entries));
    placeLegend();
}

} // namespace bertbench::ui

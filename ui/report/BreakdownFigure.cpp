#include "ui/report/BreakdownFigure.h"
#include "ui/report/FigureHeader.h"

#include <QCoreApplication>
#include <QGraphicsScene>
#include <QPainter>
#include <algorithm>

#include "ui/charts/BreakdownBarChart.h"
#include "ui/charts/ShareAreaChart.h"
#include "ui/models/Breakdown.h"
#include "ui/models/RowText.h"
#include "ui/report/ReportRenderer.h"

namespace bertbench::ui {
namespace {

constexpr double kMargin = 16, kShareW = 420, kShareH = 300, kBarsH = 360;

} // namespace

BreakdownFigure::BreakdownFigure(const Run& run, Task task, std::optional<Cell> cell)
    : scene_(std::make_unique<QGraphicsScene>()) {
    const RunAxes axes = axesOf(run);
    if (!cell) cell = firstBreakdownCell(run, axes, task);
    const RowLookup rows(run);
    std::vector<std::string> backends{run.spec.baseline};
    backends.insert(backends.end(), axes.candidates.begin(), axes.candidates.end());
    const double width = std::max<double>(900, kShareW * double(backends.size()));

    bars_ = new BreakdownBarChart;
    bars_->setBreakdown(cell ? cellBreakdown(run, rows, axes.candidates, *cell) : CellBreakdown{});
    scene_->addItem(bars_);
    bars_->setGeometry(QRectF(0, 0, width, kBarsH));
    for (size_t i = 0; i < backends.size(); ++i) {
        auto* shares = new ShareAreaChart;
        if (cell) shares->setShares(breakdownShares(run, rows, axes, task, backends[i], cell->seqLen, cell->pad));
        scene_->addItem(shares);
        shares->setGeometry(QRectF(double(i) * (width / double(backends.size())), kBarsH, width / double(backends.size()), kShareH));
    }

    std::vector<std::string> candidates = axes.candidates;
    title_ = QStringLiteral("BertBench — per-op breakdown — ") + runHeadline(run, task, candidates);
    subtitle_ = deviceText(run);
    if (!run.environment.startTime.empty()) subtitle_ += QStringLiteral(" · ") + qstr(run.environment.startTime);
    footer_ = QStringLiteral("bars: one separate profiling forward per backend, after the timed ones; \"%1\" = the plain "
                             "forward's median minus the sum of the parts (◆ marks that median) · areas: each category's "
                             "share of max(median, Σ parts)")
                  .arg(otherCategoryLabel());
    const double titleH = 58, footerH = 36;
    chartsArea_ = QRectF(kMargin, kMargin + titleH, width, kBarsH + kShareH);
    size_ = QSizeF(width + 2 * kMargin, kMargin + titleH + chartsArea_.height() + footerH + kMargin);
    QCoreApplication::processEvents();   // charts lay out their axes on the next event-loop turn
}

BreakdownFigure::~BreakdownFigure() { scene_.reset(); }

void BreakdownFigure::paint(QPainter& p) {
    paintSceneFigure(p, size_, kMargin, title_, subtitle_, *scene_, chartsArea_, footer_);
}

bool BreakdownFigure::save(const QString& path, qreal scale, QString* error) {
    return saveDrawing(path, size_, scale, [this](QPainter& p) { paint(p); }, error);
}

} // namespace bertbench::ui

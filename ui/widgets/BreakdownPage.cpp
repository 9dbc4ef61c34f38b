#include "ui/widgets/BreakdownPage.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "ui/charts/BreakdownBarChart.h"
#include "ui/charts/ShareAreaChart.h"
#include "ui/models/Breakdown.h"
#include "ui/models/RowText.h"
#include "ui/widgets/ChartView.h"

namespace bertbench::ui {

BreakdownPage::BreakdownPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* selectors = new QHBoxLayout;
    const auto combo = [&](const QString& label, const QString& name) {
        selectors->addWidget(new QLabel(label));
        auto* box = new QComboBox;
        box->setObjectName(name);
        connect(box, &QComboBox::activated, this, &BreakdownPage::selectorsChanged);
        selectors->addWidget(box);
        selectors->addSpacing(8);
        return box;
    };
    batch_ = combo(tr("Batch"), QStringLiteral("breakdownBatch"));
    seqLen_ = combo(tr("Seq len"), QStringLiteral("breakdownSeqLen"));
    pad_ = combo(tr("Pad"), QStringLiteral("breakdownPad"));
    hint_ = new QLabel(tr("or click a cell on the Heatmaps tab · the bars: the selected cell · the areas: "
                          "each backend's shares against batch size at this seq len and pad"));
    hint_->setStyleSheet(QStringLiteral("color: #666;"));
    hint_->setWordWrap(true);
    selectors->addWidget(hint_, 1);
    layout->addLayout(selectors);

    barView_ = track(new ChartView(new BreakdownBarChart));
    barView_->setObjectName(QStringLiteral("breakdownBars"));
    barView_->setMinimumHeight(300);
    layout->addWidget(barView_, 3);
    auto* shares = new QWidget;
    shareGrid_ = new QGridLayout(shares);
    shareGrid_->setContentsMargins(0, 0, 0, 0);
    shareGrid_->setSpacing(2);
    layout->addWidget(shares, 2);
}

ChartView* BreakdownPage::track(ChartView* view) {
    connect(view, &ChartView::picked, this, [this](ChartView* v) { picked_ = v; });
    connect(view, &ChartView::saveImageRequested, this, &BreakdownPage::chartSaveRequested);
    return view;
}

void BreakdownPage::setRun(const Run* run, const RunAxes& axes, Task task) {
    const bool axesChanged = !(axes == axes_) || task != task_;
    run_ = run;
    axes_ = axes;
    task_ = task;
    if (axesChanged) {
        // Keep the cell when it is still on the axes, else the first with a breakdown.
        const std::vector<AxisRow> yRows = axisRows(axes_);
        const auto on = [&](const Cell& c) {
            return c.task == task_ && std::count(axes_.batchSizes.begin(), axes_.batchSizes.end(), c.batchSize) &&
                   std::count(axes_.seqLens.begin(), axes_.seqLens.end(), c.seqLen) &&
                   std::any_of(yRows.begin(), yRows.end(), [&](const AxisRow& r) { return r.matches(c); });
        };
        if (!cell_ || !on(*cell_)) {
            chosen_ = false;
            cell_ = run_ ? firstBreakdownCell(*run_, axes_, task_) : std::nullopt;
        }
        fillSelectors();
    } else if (!chosen_ && run_) {
        // A live run: the default cell moves to the largest measured one as rows arrive.
        if (const std::optional<Cell> best = firstBreakdownCell(*run_, axes_, task_); best && !(cell_ && *cell_ == *best)) {
            cell_ = best;
            fillSelectors();
        }
    }
    refresh();
}

void BreakdownPage::setCell(const Cell& cell) {
    chosen_ = true;
    if (cell_ && *cell_ == cell) return;
    cell_ = cell;
    fillSelectors();
    refresh();
    emit cellChanged(cell);
}

void BreakdownPage::fillSelectors() {
    filling_ = true;
    batch_->clear();
    for (int b : axes_.batchSizes) batch_->addItem(QString::number(b), b);
    seqLen_->clear();
    for (int s : axes_.seqLens) seqLen_->addItem(QString::number(s), s);
    pad_->clear();
    const std::vector<AxisRow> yRows = axisRows(axes_);
    for (size_t i = 0; i < yRows.size(); ++i) pad_->addItem(axisRowLabel(yRows[i]), int(i));
    if (cell_) {
        batch_->setCurrentIndex(batch_->findData(cell_->batchSize));
        seqLen_->setCurrentIndex(seqLen_->findData(cell_->seqLen));
        for (size_t i = 0; i < yRows.size(); ++i)
            if (yRows[i].matches(*cell_)) pad_->setCurrentIndex(int(i));
    }
    filling_ = false;
}

void BreakdownPage::selectorsChanged() {
    if (filling_ || batch_->currentIndex() < 0 || seqLen_->currentIndex() < 0 || pad_->currentIndex() < 0) return;
    const std::vector<AxisRow> yRows = axisRows(axes_);
    const size_t y = size_t(pad_->currentData().toInt());
    if (y >= yRows.size()) return;
    setCell(Cell{task_, batch_->currentData().toInt(), seqLen_->currentData().toInt(), yRows[y].pad, std::string(),
                 yRows[y].batching});
}

void BreakdownPage::refresh() {
    auto* bars = barChart();
    if (!run_ || !cell_) {
        bars->setBreakdown(CellBreakdown{});
        return;
    }
    const RowLookup rows(*run_);
    bars->setBreakdown(cellBreakdown(*run_, rows, axes_.candidates, *cell_));

    std::vector<std::string> backends{run_->spec.baseline};
    backends.insert(backends.end(), axes_.candidates.begin(), axes_.candidates.end());
    while (shareViews_.size() > backends.size()) {
        if (picked_ == shareViews_.back()) picked_ = nullptr;
        delete shareViews_.back();
        shareViews_.pop_back();
    }
    while (shareViews_.size() < backends.size()) {
        ChartView* v = track(new ChartView(new ShareAreaChart));
        v->setMinimumSize(260, 220);
        shareGrid_->addWidget(v, 0, int(shareViews_.size()));
        shareViews_.push_back(v);
    }
    for (size_t i = 0; i < backends.size(); ++i)
        static_cast<ShareAreaChart*>(shareViews_[i]->chart())
            ->setShares(breakdownShares(*run_, rows, axes_, task_, backends[i], cell_->seqLen, cell_->pad));
}

BreakdownBarChart* BreakdownPage::barChart() const { return static_cast<BreakdownBarChart*>(barView_->chart()); }

std::vector<ShareAreaChart*> BreakdownPage::shareCharts() const {
    std::vector<ShareAreaChart*> charts;
    for (ChartView* v : shareViews_) charts.push_back(static_cast<ShareAreaChart*>(v->chart()));
    return charts;
}

QChart* BreakdownPage::currentChart() const { return picked_ ? picked_->chart() : barView_->chart(); }

} // namespace bertbench::ui

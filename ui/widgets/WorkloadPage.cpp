#include "ui/widgets/WorkloadPage.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "core/workload/Workload.h"
#include "ui/charts/LengthHistogramChart.h"
#include "ui/models/BatchingComparison.h"
#include "ui/models/LengthHistogram.h"
#include "ui/models/RowText.h"
#include "ui/widgets/ChartView.h"

namespace bertbench::ui {

WorkloadPage::WorkloadPage(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("workloadPage"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    identity_ = new QLabel;
    identity_->setObjectName(QStringLiteral("workloadIdentity"));
    identity_->setWordWrap(true);
    identity_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(identity_);
    charts_ = new QVBoxLayout;
    layout->addLayout(charts_, 1);
    comparisonTitle_ = new QLabel(tr("<b>Random vs sorted batches</b> — the same rows, batched two ways: "
                                     "tokens/s (real tokens per second) under each, and what sorting bought"));
    comparisonTitle_->setWordWrap(true);
    layout->addWidget(comparisonTitle_);
    comparison_ = new QTableWidget;
    comparison_->setObjectName(QStringLiteral("batchingComparison"));
    comparison_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    comparison_->verticalHeader()->hide();
    comparison_->setAlternatingRowColors(true);
    comparison_->setHorizontalHeaderLabels({});
    layout->addWidget(comparison_, 1);
}

void WorkloadPage::fillComparison(const Run& run) {
    const std::vector<BatchingComparisonRow> rows = batchingComparison(run);
    comparisonTitle_->setVisible(!rows.empty());
    comparison_->setVisible(!rows.empty());
    const QStringList headers{tr("task"),          tr("batch"),          tr("max len"), tr("backend"),
                              tr("tokens/s random"), tr("tokens/s sorted"), tr("sorted gain"),
                              tr("pad random"),    tr("pad sorted")};
    comparison_->clear();
    comparison_->setColumnCount(int(headers.size()));
    comparison_->setHorizontalHeaderLabels(headers);
    comparison_->setRowCount(int(rows.size()));
    const auto rate = [](double v) {
        if (!(v > 0)) return QStringLiteral("–");
        return v >= 1e6 ? QString::number(v / 1e6, 'f', 2) + QStringLiteral(" M") : QString::number(v / 1e3, 'f', 1) + QStringLiteral(" k");
    };
    const auto pad = [](double v) { return v >= 0 ? QString::number(v, 'f', 3) : QStringLiteral("–"); };
    for (size_t i = 0; i < rows.size(); ++i) {
        const BatchingComparisonRow& r = rows[i];
        const double gain = r.gainPct();
        const QStringList cells{qstr(toString(r.task)),
                                QString::number(r.batchSize),
                                QString::number(r.seqLen),
                                qstr(r.backend) + (r.baseline ? tr(" (baseline)") : QString()),
                                rate(r.tokensPerSRandom),
                                rate(r.tokensPerSSorted),
                                std::isfinite(gain) ? QString::asprintf("%+.1f %%", gain) : QStringLiteral("–"),
                                pad(r.padRandom),
                                pad(r.padSorted)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c != 0 && c != 3) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == 6 && std::isfinite(gain))
                item->setForeground(gain >= 0 ? QColor(0x1f, 0x5f, 0x9e) : QColor(0xb0, 0x3a, 0x2e));
            comparison_->setItem(int(i), c, item);
        }
    }
    comparison_->resizeColumnsToContents();
}

QChart* WorkloadPage::firstChart() const { return views_.empty() ? nullptr : views_.front()->chart(); }

void WorkloadPage::setRun(const Run& run) {
    const WorkloadRecord& w = run.workload;
    shown_ = w.recorded();
    // Redrawn only when the run's workload or its lengths axis changes (rows stream in live).
    std::string key = w.sha256 + "|" + std::to_string(w.models.size()) + "|" + std::to_string(run.rows.size());
    for (int s : run.spec.seqLens) key += "," + std::to_string(s);
    if (key == key_) return;
    key_ = key;
    for (ChartView* v : views_) {
        charts_->removeWidget(v);
        delete v;
    }
    views_.clear();
    fillComparison(run);
    if (!shown_) {
        identity_->setText(tr("This run used the synthetic lengths."));
        return;
    }
    QString text = tr("<b>%1</b> (%2, %3 bytes) · batched %4, %5 batches a cell, each padded to its longest row")
                       .arg(QFileInfo(qstr(w.file)).fileName().toHtmlEscaped(), qstr(toString(w.kind)),
                            QLocale(QLocale::English).toString(qint64(w.bytes)))
                       .arg([&] {
                           QStringList names;
                           for (Batching b : run.spec.workload.batching) names << qstr(toString(b));
                           return names.join(QStringLiteral(" and "));
                       }())
                       .arg(run.spec.workload.batchesPerCell);
    text += tr("<br>%1 · SHA-256 <tt>%2</tt>").arg(qstr(w.file).toHtmlEscaped(), qstr(w.sha256));
    identity_->setText(text);
    // One chart a distinct tokenizer (models sharing one share its chart).
    std::vector<std::string> tokenizers;
    for (const WorkloadLengths& m : w.models) {
        if (std::find(tokenizers.begin(), tokenizers.end(), m.tokenizer) != tokenizers.end()) continue;
        tokenizers.push_back(m.tokenizer);
        auto* chart = new LengthHistogramChart;
        chart->setHistogram(runLengthHistogram(w, run.spec.seqLens, m.model));
        auto* view = new ChartView(chart);
        view->setMinimumHeight(260);
        charts_->addWidget(view, 1);
        views_.push_back(view);
    }
}

} // namespace bertbench::ui

#include "ui/widgets/OfflineView.h"

#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "ui/charts/OfflineChart.h"
#include "ui/widgets/ChartView.h"

namespace bertbench::ui {

namespace {

QTableWidgetItem* cell(const QString& text, bool bold, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    item->setTextAlignment(align);
    if (bold) {
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
    }
    return item;
}

} // namespace

OfflineView::OfflineView(const std::vector<OfflineFile>& files, QStringList* problems, QWidget* parent)
    : QWidget(parent) {
    comparison_ = compareOffline(files, problems);
    QStringList names;
    for (const OfflineFile& f : files) {
        paths_ << f.path;
        names << QFileInfo(f.path).fileName();
    }
    tabTitle_ = tr("Offline · %1").arg(names.size() == 1 ? QFileInfo(files.front().path).dir().dirName() + QLatin1Char('/') + names.front()
                                                         : tr("%1 files").arg(names.size()));

    chart_ = new OfflineChart;
    chart_->setComparison(comparison_);
    auto* chartView = new ChartView(chart_);
    chartView->setMinimumSize(560, 360);
    connect(chartView, &ChartView::saveImageRequested, this, &OfflineView::chartSaveRequested);

    table_ = new QTableWidget;
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->setVisible(false);
    table_->setAlternatingRowColors(true);
    fillTable();

    QStringList notes;
    notes << tr("Files: %1").arg(names.join(QStringLiteral(", ")));
    notes << tr("A pass = one forward of every sorted batch; samples/s = samples / median pass (device time, "
                "host work between batches not counted). Bold: each backend's best batch size.");
    if (!comparison_.publishedSource.isEmpty()) notes << tr("Dashed: %1.").arg(comparison_.publishedSource);
    notes_ = new QLabel(notes.join(QLatin1Char('\n')));
    notes_->setWordWrap(true);
    notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(chartView);
    split->addWidget(table_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(notes_);
}

QChart* OfflineView::chart() const { return chart_; }

void OfflineView::fillTable() {
    const QStringList headers{tr("backend"), tr("ran"), tr("file"), tr("batch"), tr("batches"), tr("pad %"),
                              tr("pass ms"), tr("samples/s"), tr("real tokens/s"), tr("peak MB"), tr("agreement %"),
                              tr("status")};
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    int rows = 0;
    for (const OfflineCurve& c : comparison_.curves) rows += std::max<int>(1, int(c.trials.size()));
    table_->setRowCount(rows);
    int r = 0;
    const Qt::Alignment left = Qt::AlignLeft | Qt::AlignVCenter;
    for (size_t i = 0; i < comparison_.curves.size(); ++i) {
        const OfflineCurve& c = comparison_.curves[i];
        auto identity = [&](int row, bool bold) {
            QTableWidgetItem* name = cell(c.backend, bold, left);
            name->setForeground(OfflineChart::curveColor(int(i)));
            table_->setItem(row, 0, name);
            table_->setItem(row, 1, cell(c.dtype, bold, left));
            table_->setItem(row, 2, cell(c.file, false, left));
        };
        if (c.trials.empty()) {
            identity(r, false);
            table_->setItem(r, 11, cell(c.failure.isEmpty() ? tr("no batch size tried") : c.failure, false, left));
            ++r;
            continue;
        }
        for (const OfflineTrial& t : c.trials) {
            const bool ok = t.status == RowStatus::Ok;
            const bool best = ok && t.batchSize == c.bestBatch;
            identity(r, best);
            table_->setItem(r, 3, cell(QString::number(t.batchSize), best));
            table_->setItem(r, 4, cell(QString::number(t.batches), best));
            table_->setItem(r, 5, cell(QString::number(t.padFraction * 100, 'f', 1), best));
            if (ok) {
                table_->setItem(r, 6, cell(QString::number(t.passMs.medianMs, 'f', 1), best));
                table_->setItem(r, 7, cell(rateText(t.samplesPerS), best));
                table_->setItem(r, 8, cell(rateText(t.realTokensPerS), best));
                table_->setItem(r, 9, cell(QString::number(t.peakMemMb, 'f', 0), best));
            }
            if (best && std::isfinite(c.agreementPct))
                table_->setItem(r, 10, cell(QString::number(c.agreementPct, 'f', 2), best));
            const QString status = QString::fromStdString(toString(t.status)) +
                                   (t.message.empty() ? QString() : QStringLiteral(": ") + QString::fromStdString(t.message));
            table_->setItem(r, 11, cell(status, false, left));
            ++r;
        }
    }
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setStretchLastSection(true);
}

} // namespace bertbench::ui

#pragma once
// A tab for offline.json files (`bertbench-cli offline`): the offline figure (OfflineChart) over
// a table of every batch size each backend tried — batches, pad, median pass, samples/s, real
// tokens/s, peak memory, status — the best size of each in bold, and its task agreement. Files of
// the same cell opened together share one tab (one line per backend and data type).
#include <QWidget>
#include <vector>

#include "ui/models/OfflineComparison.h"

QT_BEGIN_NAMESPACE
class QChart;
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace bertbench::ui {

class OfflineChart;

class OfflineView : public QWidget {
    Q_OBJECT
public:
    // `problems` gets a line for each file of another cell than the first (left out).
    explicit OfflineView(const std::vector<OfflineFile>& files, QStringList* problems = nullptr,
                         QWidget* parent = nullptr);

    const OfflineComparison& comparison() const { return comparison_; }
    QChart* chart() const;
    QTableWidget* table() const { return table_; }
    QString tabTitle() const { return tabTitle_; }
    QStringList sourcePaths() const { return paths_; }

signals:
    void chartSaveRequested(QChart* chart);

private:
    void fillTable();

    OfflineComparison comparison_;
    OfflineChart* chart_ = nullptr;
    QTableWidget* table_ = nullptr;
    QLabel* notes_ = nullptr;
    QString tabTitle_;
    QStringList paths_;
};

} // namespace bertbench::ui

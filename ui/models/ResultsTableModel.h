#pragma once
// Every row of a run as a table: cell, status, both latencies (median, p10, p90), peaks,
// speedup, memory saved, output error; then energy (saved %, J per forward, J per 1k tokens),
// efficiency (TFLOP/s, tokens/s, % of GEMM peak), throttled, compile ms, GPU; the message last.
// Fields a row did not record show "—". Sorts numerically through SortRole.
#include <QAbstractTableModel>
#include <vector>

#include "core/sweep/ResultRow.h"

namespace bertbench::ui {

class ResultsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        TaskColumn, CandidateColumn, BatchColumn, SeqLenColumn, PadColumn, StatusColumn,
        SpeedupColumn, MemSavedColumn, VerdictColumn, SpeedupCiColumn, ForwardsColumn,
        BaselineMedianColumn, BaselineP10Column, BaselineP90Column,
        CandidateMedianColumn, CandidateP10Column, CandidateP90Column,
        BaselinePeakColumn, CandidatePeakColumn, MaxAbsErrorColumn, RelErrorColumn,
        RealTokensColumn,
        EnergySavedColumn, BaselineJoulesColumn, CandidateJoulesColumn, CandidateJoulesPer1kColumn,
        CandidateTflopsColumn, CandidateTokensPerSColumn, CandidatePeakPctColumn, ThrottledColumn,
        CandidateCompileMsColumn, GpuColumn,
        MessageColumn, ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 10;

    explicit ResultsTableModel(QObject* parent = nullptr);

    void setRows(std::vector<ResultRow> rows);
    void appendRow(const ResultRow& row);
    const std::vector<ResultRow>& rows() const { return rows_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<ResultRow> rows_;
};

} // namespace bertbench::ui

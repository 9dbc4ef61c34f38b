#include "ui/models/ResultsTableModel.h"

#include <QBrush>
#include <QColor>
#include <cmath>

#include "ui/models/RowText.h"

namespace bertbench::ui {
namespace {

QVariant number(double v, int decimals) {
    if (!std::isfinite(v)) return QStringLiteral("n/a");
    return QString::number(v, 'f', decimals);
}

QVariant raw(const ResultRow& r, int column) {
    using C = ResultsTableModel;
    const bool ok = r.status == RowStatus::Ok;
    switch (column) {
    case C::TaskColumn: return qstr(toString(r.cell.task));
    case C::CandidateColumn: return qstr(r.candidate.backend);
    case C::BatchColumn: return r.cell.batchSize;
    case C::SeqLenColumn: return r.cell.seqLen;
    case C::PadColumn: return r.cell.pad;
    case C::StatusColumn: return qstr(toString(r.status));
    case C::SpeedupColumn: return ok ? QVariant(r.speedupPercent()) : QVariant();
    case C::MemSavedColumn: return ok ? QVariant(r.memorySavedPercent()) : QVariant();
    case C::BaselineMedianColumn: return r.baseline.latency.medianMs;
    case C::BaselineP10Column: return r.baseline.hasStats ? QVariant(r.baseline.latency.p10Ms) : QVariant();
    case C::BaselineP90Column: return r.baseline.hasStats ? QVariant(r.baseline.latency.p90Ms) : QVariant();
    case C::CandidateMedianColumn: return r.candidate.latency.medianMs;
    case C::CandidateP10Column: return r.candidate.hasStats ? QVariant(r.candidate.latency.p10Ms) : QVariant();
    case C::CandidateP90Column: return r.candidate.hasStats ? QVariant(r.candidate.latency.p90Ms) : QVariant();
    case C::BaselinePeakColumn: return r.baseline.peakMemMb;
    case C::CandidatePeakColumn: return r.candidate.peakMemMb;
    case C::MaxAbsErrorColumn: return r.maxAbsError >= 0 ? QVariant(r.maxAbsError) : QVariant();
    case C::RelErrorColumn: return r.relError >= 0 ? QVariant(r.relError) : QVariant();
    case C::RealTokensColumn: return r.realTokens > 0 ? QVariant(qint64(r.realTokens)) : QVariant();
    case C::MessageColumn: return qstr(r.message);
    default: return {};
    }
}

QVariant display(const ResultRow& r, int column) {
    using C = ResultsTableModel;
    const QVariant v = raw(r, column);
    if (!v.isValid()) return QStringLiteral("—");
    switch (column) {
    case C::PadColumn: return padLabel(r.cell.pad);
    case C::SpeedupColumn:
    case C::MemSavedColumn: return formatCellValue(v.toDouble(), ValueKind::Percent);
    case C::BaselineMedianColumn:
    case C::BaselineP10Column:
    case C::BaselineP90Column:
    case C::CandidateMedianColumn:
    case C::CandidateP10Column:
    case C::CandidateP90Column: return number(v.toDouble(), 3);
    case C::BaselinePeakColumn:
    case C::CandidatePeakColumn: return number(v.toDouble(), 1);
    case C::MaxAbsErrorColumn:
    case C::RelErrorColumn: return QString::number(v.toDouble(), 'g', 3);
    default: return v;
    }
}

} // namespace

ResultsTableModel::ResultsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ResultsTableModel::setRows(std::vector<ResultRow> rows) {
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

void ResultsTableModel::appendRow(const ResultRow& row) {
    const int at = int(rows_.size());
    beginInsertRows({}, at, at);
    rows_.push_back(row);
    endInsertRows();
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rows_.size());
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(rows_.size())) return {};
    const ResultRow& r = rows_[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(r, index.column());
    case SortRole: return raw(r, index.column());
    case Qt::ToolTipRole: return rowTooltip(r);
    case Qt::TextAlignmentRole:
        return index.column() <= CandidateColumn || index.column() == StatusColumn ||
                       index.column() == MessageColumn
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn && r.status != RowStatus::Ok)
            return QBrush(r.status == RowStatus::Cancelled ? QColor(0x80, 0x80, 0x80) : QColor(0xb0, 0x20, 0x20));
        return {};
    default: return {};
    }
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    struct Header {
        const char* name;
        const char* tip;
    };
    static const Header headers[ColumnCount] = {
        {"task", nullptr}, {"candidate", nullptr}, {"batch", "batch size"}, {"seq len", "max sequence length"},
        {"pad", "pad fraction"}, {"status", nullptr},
        {"speedup %", "(t_baseline / t_candidate − 1) × 100, median latencies"},
        {"mem saved %", "(peak_baseline / peak_candidate − 1) × 100"},
        {"base ms", "baseline median latency, ms"}, {"base p10", "baseline p10 latency, ms"},
        {"base p90", "baseline p90 latency, ms"}, {"cand ms", "candidate median latency, ms"},
        {"cand p10", "candidate p10 latency, ms"}, {"cand p90", "candidate p90 latency, ms"},
        {"base MB", "baseline peak memory, MB (1e6 bytes)"}, {"cand MB", "candidate peak memory, MB (1e6 bytes)"},
        {"max abs err", "largest |candidate − baseline| over real positions"},
        {"rel err", "‖candidate − baseline‖ / ‖baseline‖ over real positions"},
        {"real tokens", "non-padding tokens in the batch"}, {"message", nullptr}};
    if (section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) return QString::fromUtf8(headers[section].name);
    if (role == Qt::ToolTipRole && headers[section].tip) return QString::fromUtf8(headers[section].tip);
    return {};
}

} // namespace bertbench::ui

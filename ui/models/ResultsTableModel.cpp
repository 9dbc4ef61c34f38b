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

QVariant positive(double v) { return v >= 0 && std::isfinite(v) ? QVariant(v) : QVariant(); }

QVariant raw(const ResultRow& r, int column) {
    using C = ResultsTableModel;
    const bool ok = r.status == RowStatus::Ok;
    switch (column) {
    case C::TaskColumn: return qstr(toString(r.cell.task));
    case C::CandidateColumn: return qstr(r.candidate.backend);
    case C::BatchColumn: return r.cell.batchSize;
    case C::SeqLenColumn: return r.cell.seqLen;
    // A data workload's row: the pad its batches had (its policy shows beside it).
    case C::PadColumn: return r.cell.batching != Batching::None && std::isfinite(r.realisedPad) ? r.realisedPad : r.cell.pad;
    case C::StatusColumn: return qstr(toString(r.status));
    case C::SpeedupColumn: return ok ? QVariant(r.speedupPercent()) : QVariant();
    case C::MemSavedColumn: return ok ? QVariant(r.memorySavedPercent()) : QVariant();
    case C::VerdictColumn: return ok && r.verdict != Verdict::Unknown ? QVariant(qstr(toString(r.verdict))) : QVariant();
    case C::SpeedupCiColumn: return ok && r.speedupCiPct.valid() ? QVariant(r.speedupCiPct.lo) : QVariant();
    case C::ForwardsColumn: return r.candidate.latency.samples > 0 ? QVariant(r.candidate.latency.samples) : QVariant();
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
    case C::EnergySavedColumn: return ok && std::isfinite(r.energySavedPercent()) ? QVariant(r.energySavedPercent()) : QVariant();
    case C::BaselineJoulesColumn: return r.baseline.energy.available ? positive(r.baseline.energy.joulesPerForward) : QVariant();
    case C::CandidateJoulesColumn: return r.candidate.energy.available ? positive(r.candidate.energy.joulesPerForward) : QVariant();
    case C::CandidateJoulesPer1kColumn:
        return r.candidate.energy.available ? positive(r.candidate.energy.joulesPer1kTokens) : QVariant();
    case C::CandidateTflopsColumn: return r.candidate.efficiency.recorded ? positive(r.candidate.efficiency.achievedTflops) : QVariant();
    case C::CandidateTokensPerSColumn: return r.candidate.efficiency.recorded ? positive(r.candidate.efficiency.tokensPerS) : QVariant();
    case C::CandidatePeakPctColumn: return r.candidate.efficiency.recorded ? positive(r.candidate.efficiency.pctOfPeak) : QVariant();
    case C::ThrottledColumn:
        if (!r.baseline.energy.available && !r.candidate.energy.available) return {};
        return (r.baseline.energy.throttled || r.candidate.energy.throttled) ? QStringLiteral("throttled") : QStringLiteral("no");
    case C::CandidateCompileMsColumn: return r.candidate.compileMs >= 0 ? QVariant(r.candidate.compileMs) : QVariant();
    case C::GpuColumn: {
        const QString gpu = gpuText(r.gpu);
        return gpu.isEmpty() ? QVariant() : QVariant(gpu);
    }
    case C::MessageColumn: return qstr(r.message);
    default: return {};
    }
}

QVariant display(const ResultRow& r, int column) {
    using C = ResultsTableModel;
    const QVariant v = raw(r, column);
    if (!v.isValid()) return QStringLiteral("—");
    switch (column) {
    case C::PadColumn:
        if (r.cell.batching != Batching::None)
            return QStringLiteral("%1 %2").arg(qstr(toString(r.cell.batching)), v.toDouble() >= 0 ? QString::number(v.toDouble(), 'f', 3) : QString());
        return padLabel(r.cell.pad);
    case C::SpeedupColumn:
    case C::MemSavedColumn: return formatCellValue(v.toDouble(), ValueKind::Percent);
    case C::SpeedupCiColumn:   // sorted by its low end
        return formatCellValue(r.speedupCiPct.lo, ValueKind::Percent) + QStringLiteral(" … ") +
               formatCellValue(r.speedupCiPct.hi, ValueKind::Percent);
    case C::ForwardsColumn:
        return QStringLiteral("%1/%2").arg(r.baseline.latency.samples).arg(r.candidate.latency.samples);
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
    case C::EnergySavedColumn: return formatCellValue(v.toDouble(), ValueKind::Percent);
    case C::BaselineJoulesColumn:
    case C::CandidateJoulesColumn:
    case C::CandidateJoulesPer1kColumn: return QString::number(v.toDouble(), 'g', 4);
    case C::CandidateTflopsColumn: return number(v.toDouble(), 2);
    case C::CandidateTokensPerSColumn: return number(v.toDouble(), 0);
    case C::CandidatePeakPctColumn: return number(v.toDouble(), 1);
    case C::CandidateCompileMsColumn: return number(v.toDouble(), 0);
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
                       index.column() == MessageColumn || index.column() == GpuColumn || index.column() == ThrottledColumn ||
                       index.column() == VerdictColumn
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn && r.status != RowStatus::Ok)
            return QBrush(r.status == RowStatus::Cancelled ? QColor(0x80, 0x80, 0x80) : QColor(0xb0, 0x20, 0x20));
        if (index.column() == ThrottledColumn && (r.baseline.energy.throttled || r.candidate.energy.throttled))
            return QBrush(QColor(0xb3, 0x5c, 0x00));
        if ((index.column() == SpeedupColumn || index.column() == VerdictColumn) && r.verdict == Verdict::Same)
            return QBrush(QColor(0x80, 0x80, 0x80));   // no effect shown: greyed, as the heatmaps do
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
        {"pad", "pad fraction; a data workload's row: its batching policy and the pad its batches had"},
        {"status", nullptr},
        {"speedup %", "(t_baseline / t_candidate − 1) × 100, median latencies"},
        {"mem saved %", "(peak_baseline / peak_candidate − 1) × 100"},
        {"verdict", "faster / slower: the speedup's 95 % interval lies above / below 0; same: it holds 0"},
        {"95% interval", "the speedup's 95 % interval, % (each median's order-statistic interval, combined)"},
        {"forwards", "timed forwards, baseline / candidate"},
        {"base ms", "baseline median latency, ms"}, {"base p10", "baseline p10 latency, ms"},
        {"base p90", "baseline p90 latency, ms"}, {"cand ms", "candidate median latency, ms"},
        {"cand p10", "candidate p10 latency, ms"}, {"cand p90", "candidate p90 latency, ms"},
        {"base MB", "baseline peak memory, MB (1e6 bytes)"}, {"cand MB", "candidate peak memory, MB (1e6 bytes)"},
        {"max abs err", "largest |candidate − baseline| over real positions"},
        {"rel err", "‖candidate − baseline‖ / ‖baseline‖ over real positions"},
        {"real tokens", "non-padding tokens in the batch"},
        {"energy saved %", "(J_baseline / J_candidate − 1) × 100, energy per forward (NVML)"},
        {"base J", "baseline energy per forward, joules"}, {"cand J", "candidate energy per forward, joules"},
        {"cand J/1k tok", "candidate energy per 1,000 real tokens, joules"},
        {"cand TFLOP/s", "candidate model FLOPs on real tokens / median latency"},
        {"cand tok/s", "candidate real tokens per second"},
        {"cand % peak", "candidate TFLOP/s as % of this GPU's GEMM probe"},
        {"throttled", "the SM clock dropped by more than 10 % during a timed window"},
        {"compile ms", "candidate compile time for the cell (torch.compile), excluded from latency"},
        {"GPU", "the GPU that measured the row (multi-GPU runs)"},
        {"message", nullptr}};
    if (section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) return QString::fromUtf8(headers[section].name);
    if (role == Qt::ToolTipRole && headers[section].tip) return QString::fromUtf8(headers[section].tip);
    return {};
}

} // namespace bertbench::ui

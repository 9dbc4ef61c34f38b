#include "ui/models/HeatmapGridModel.h"

namespace bertbench::ui {
namespace {

bool sameCell(const HeatmapCell& a, const HeatmapCell& b) {
    return a.state == b.state && a.value == b.value && a.tooltip == b.tooltip && a.flagged == b.flagged;
}

} // namespace

HeatmapGridModel::HeatmapGridModel(QObject* parent) : QAbstractTableModel(parent) {}

void HeatmapGridModel::setGrid(HeatmapGrid grid) {
    const bool sameShape = grid.xLabels == grid_.xLabels && grid.yLabels == grid_.yLabels;
    if (!sameShape) {
        beginResetModel();
        grid_ = std::move(grid);
        endResetModel();
        return;
    }
    const bool decorationsChanged = grid.title != grid_.title || grid.subtitle != grid_.subtitle || grid.kind != grid_.kind ||
                                    grid.unit != grid_.unit || grid.palette != grid_.palette || grid.xTitle != grid_.xTitle ||
                                    grid.yTitle != grid_.yTitle;
    int first = -1, last = -1;
    for (size_t i = 0; i < grid.cells.size(); ++i) {
        if (sameCell(grid.cells[i], grid_.cells[i])) continue;
        if (first < 0) first = int(i);
        last = int(i);
    }
    grid_ = std::move(grid);
    if (decorationsChanged) emit headerDataChanged(Qt::Horizontal, 0, grid_.columns() - 1);
    if (first >= 0) {
        // One rectangle spanning the changed cells: views redraw once per update.
        const int cols = grid_.columns();
        emit dataChanged(index(first / cols, 0), index(last / cols, cols - 1));
    }
}

int HeatmapGridModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : grid_.rows();
}

int HeatmapGridModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : grid_.columns();
}

QVariant HeatmapGridModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= grid_.rows() || index.column() >= grid_.columns())
        return {};
    const HeatmapCell& cell = grid_.at(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return cell.state == CellState::Ok ? formatCellValue(cell.value, grid_.kind)
                                           : toDisplayString(cell.state);
    case Qt::ToolTipRole: return cell.tooltip;
    case ValueRole: return cell.state == CellState::Ok ? QVariant(cell.value) : QVariant();
    case StateRole: return int(cell.state);
    case FlaggedRole: return cell.flagged;
    default: return {};
    }
}

QVariant HeatmapGridModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    const QStringList& labels = orientation == Qt::Horizontal ? grid_.xLabels : grid_.yLabels;
    return section >= 0 && section < labels.size() ? QVariant(labels[section]) : QVariant();
}

} // namespace bertbench::ui

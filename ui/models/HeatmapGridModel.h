#pragma once
// A HeatmapGrid as a table model: row = y (row 0 = the bottom row of the chart), column = x.
// HeatmapChart draws it; a QTableView could show it; tests read values through data().
#include <QAbstractTableModel>

#include "ui/models/HeatmapGrid.h"

namespace bertbench::ui {

class HeatmapGridModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { ValueRole = Qt::UserRole + 1, StateRole, FlaggedRole };

    explicit HeatmapGridModel(QObject* parent = nullptr);

    // Emits dataChanged for the cells that changed when the shape stays, else resets.
    // Title or scale changes emit headerDataChanged so views redraw their decorations.
    void setGrid(HeatmapGrid grid);
    const HeatmapGrid& grid() const { return grid_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    HeatmapGrid grid_;
};

} // namespace bertbench::ui

#pragma once
// Filters the results table by free text (any column), status, task and candidate; sorts by
// the raw numbers (ResultsTableModel::SortRole), not their text.
#include <QSortFilterProxyModel>

namespace bertbench::ui {

class ResultsFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ResultsFilterProxy(QObject* parent = nullptr);

    void setText(const QString& text);         // case-insensitive substring of any column
    void setStatus(const QString& status);     // "" = any; "ok", "oom", "error", "cancelled", "failed"
    void setTask(const QString& task);         // "" = any
    void setCandidate(const QString& candidate);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString text_, status_, task_, candidate_;
};

} // namespace bertbench::ui

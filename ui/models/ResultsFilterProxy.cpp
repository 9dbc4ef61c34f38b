#include "ui/models/ResultsFilterProxy.h"

#include "ui/models/ResultsTableModel.h"

namespace bertbench::ui {

ResultsFilterProxy::ResultsFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ResultsTableModel::SortRole);
}

void ResultsFilterProxy::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateRowsFilter();
}

void ResultsFilterProxy::setStatus(const QString& status) {
    status_ = status;
    invalidateRowsFilter();
}

void ResultsFilterProxy::setTask(const QString& task) {
    task_ = task;
    invalidateRowsFilter();
}

void ResultsFilterProxy::setCandidate(const QString& candidate) {
    candidate_ = candidate;
    invalidateRowsFilter();
}

bool ResultsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& parent) const {
    const QAbstractItemModel* m = sourceModel();
    const auto text = [&](int column) {
        return m->index(sourceRow, column, parent).data(Qt::DisplayRole).toString();
    };
    if (!status_.isEmpty()) {
        const QString s = text(ResultsTableModel::StatusColumn);
        if (status_ == QLatin1String("failed") ? (s == QLatin1String("ok")) : (s != status_)) return false;
    }
    if (!task_.isEmpty() && text(ResultsTableModel::TaskColumn) != task_) return false;
    if (!candidate_.isEmpty() && text(ResultsTableModel::CandidateColumn) != candidate_) return false;
    if (text_.isEmpty()) return true;
    for (int c = 0; c < m->columnCount(parent); ++c)
        if (text(c).contains(text_, Qt::CaseInsensitive)) return true;
    return false;
}

bool ResultsFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const QVariant l = left.data(sortRole()), r = right.data(sortRole());
    // Missing values (failed rows) sort after every number.
    if (!l.isValid() || !r.isValid()) return l.isValid() && !r.isValid();
    return QVariant::compare(l, r) == QPartialOrdering::Less;
}

} // namespace bertbench::ui

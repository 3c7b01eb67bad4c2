#include "AuditFilterModel.h"

#include "AuditModel.h"

namespace dbops::ui {

AuditFilterModel::AuditFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    // A table is kept while one of its parts is: the filter looks into the tree
    // (Qt 5.10 and later, so the same call in both flavors).
    setRecursiveFilteringEnabled(true);
    setSortRole(AuditModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void AuditFilterModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

void AuditFilterModel::setOnlyProblems(bool onlyProblems)
{
    if (onlyProblems == m_onlyProblems)
        return;
    m_onlyProblems = onlyProblems;
    invalidateFilter();
}

bool AuditFilterModel::isProblem(AuditItem::Status status)
{
    return status != AuditItem::Status::Exists;
}

bool AuditFilterModel::matchesText(const QModelIndex& sourceIndex) const
{
    return sourceIndex.data(AuditModel::FilterTextRole).toString().contains(m_text, Qt::CaseInsensitive);
}

bool AuditFilterModel::passesStatus(const QModelIndex& sourceIndex) const
{
    if (!m_onlyProblems)
        return true;
    return isProblem(static_cast<AuditItem::Status>(sourceIndex.data(AuditModel::StatusRole).toInt()));
}

bool AuditFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!passesStatus(index))
        return false;
    if (m_text.isEmpty())
        return true;
    // A part is also shown when its table's name matches.  (Qt 6's
    // autoAcceptChildRows would do this, but Qt 5.15 has no such property.)
    return matchesText(index) || (sourceParent.isValid() && matchesText(sourceParent));
}

} // namespace dbops::ui

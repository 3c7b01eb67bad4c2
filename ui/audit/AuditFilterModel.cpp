#include "AuditFilterModel.h"

#include "AuditModel.h"

namespace dbops::ui {

AuditFilterModel::AuditFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    // The tree is two levels deep and filterAcceptsRow() looks into a table's
    // parts itself, straight from the report: QSortFilterProxyModel's recursive
    // filtering would go through QModelIndex and QVariant for every part.
    setRecursiveFilteringEnabled(false);
    setSortRole(AuditModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void AuditFilterModel::setSourceModel(QAbstractItemModel* sourceModel)
{
    m_audit = qobject_cast<const AuditModel*>(sourceModel);
    Q_ASSERT(m_audit || !sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void AuditFilterModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    refilter();
}

void AuditFilterModel::setOnlyProblems(bool onlyProblems)
{
    if (onlyProblems == m_onlyProblems)
        return;
    m_onlyProblems = onlyProblems;
    refilter();
}

void AuditFilterModel::refilter()
{
    // While the base class moves its mappings to the new filter (emitting row
    // signals as it goes), hasChildren() must answer from those mappings.
    m_refiltering = true;
    invalidateFilter();
    m_refiltering = false;
}

bool AuditFilterModel::isProblem(AuditItem::Status status)
{
    return status != AuditItem::Status::Exists;
}

bool AuditFilterModel::matchesText(const QString& name) const
{
    return m_text.isEmpty() || name.contains(m_text, Qt::CaseInsensitive);
}

bool AuditFilterModel::passesStatus(AuditItem::Status status) const
{
    return !m_onlyProblems || isProblem(status);
}

bool AuditFilterModel::acceptsPart(const AuditItem& part, const QString& groupTitle) const
{
    // A part is also shown when its table's name matches.
    return passesStatus(part.status) && (matchesText(part.name) || matchesText(groupTitle));
}

bool AuditFilterModel::acceptsAnyPart(int groupRow) const
{
    const int parts = m_audit->partCount(groupRow);
    if (parts == 0 || (m_text.isEmpty() && !m_onlyProblems))
        return parts > 0;
    const QString title = m_text.isEmpty() ? QString() : m_audit->groupTitle(groupRow);
    for (int i = 0; i < parts; ++i) {
        if (acceptsPart(m_audit->part(groupRow, i), title))
            return true;
    }
    return false;
}

bool AuditFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_audit)
        return true;
    if (sourceParent.isValid())
        return acceptsPart(
            m_audit->part(sourceParent.row(), sourceRow), m_audit->groupTitle(sourceParent.row()));
    // A table stays while it matches itself or one of its parts does.
    const QModelIndex group = m_audit->index(sourceRow, 0);
    if (passesStatus(m_audit->statusAt(group))
        && (m_text.isEmpty() || matchesText(m_audit->groupTitle(sourceRow))))
        return true;
    return acceptsAnyPart(sourceRow);
}

bool AuditFilterModel::hasChildren(const QModelIndex& parent) const
{
    // The base class would build (and sort) the parent's mapping to answer,
    // and a tree view asks this of every top-level row when it lays out.
    if (!parent.isValid() || !m_audit || m_refiltering)
        return QSortFilterProxyModel::hasChildren(parent);
    const QModelIndex source = mapToSource(parent);
    if (!m_audit->isGroup(source) || source.column() != 0)
        return false;
    return acceptsAnyPart(source.row());
}

bool AuditFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (m_audit && left.column() == AuditModel::StatusColumn && right.column() == AuditModel::StatusColumn)
        return AuditModel::severityRank(m_audit->statusAt(left))
            < AuditModel::severityRank(m_audit->statusAt(right));
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace dbops::ui

#pragma once

#include "catalog/AuditReport.h"

#include <QSortFilterProxyModel>

namespace dbops::ui {

/// Filters an AuditModel by object name and to "only problems", keeping the
/// tree: a table stays while any of its parts matches, and a table whose name
/// matches shows its parts (so typing a table's name lists its columns).
///
/// "Only problems" keeps MISSING, DIFFERS and EXTRA, everything that is not
/// EXISTS.  EXTRA is not a failure (AuditReport::hasProblems() ignores it),
/// but a DBA looking at drift wants to see the index someone created by hand
/// on production; it is also what `dbops audit --only-problems` and the
/// exported reports leave in, so the panel and its exports agree.
class AuditFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit AuditFilterModel(QObject* parent = nullptr);

    /// Case-insensitive substring of the object's name (a table's is "schema.table").
    void setFilterText(const QString& text);
    QString filterText() const { return m_text; }

    void setOnlyProblems(bool onlyProblems);
    bool onlyProblems() const { return m_onlyProblems; }

    /// Whether "only problems" keeps a row with this status.
    static bool isProblem(AuditItem::Status status);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool matchesText(const QModelIndex& sourceIndex) const;
    bool passesStatus(const QModelIndex& sourceIndex) const;

    QString m_text;
    bool m_onlyProblems = false;
};

} // namespace dbops::ui

#pragma once

#include "catalog/AuditReport.h"

#include <QSortFilterProxyModel>

namespace dbops::ui {

class AuditModel;

/// Filters an AuditModel by object name and to "only problems", keeping the
/// tree: a table stays while any of its parts matches, and a table whose name
/// matches shows its parts (so typing a table's name lists its columns).
///
/// Built for 2,000-table reports: a table's parts are filtered and sorted only
/// when the table is expanded (hasChildren() answers from the report without
/// mapping them), and the Status sort compares ranks, not QVariants.
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

    bool hasChildren(const QModelIndex& parent = QModelIndex()) const override;
    void setSourceModel(QAbstractItemModel* sourceModel) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    bool matchesText(const QString& name) const;
    bool passesStatus(AuditItem::Status status) const;
    bool acceptsPart(const AuditItem& part, const QString& groupTitle) const;
    /// Whether any part of a group passes the filter: the group's row count
    /// once mapped, known without mapping it.
    bool acceptsAnyPart(int groupRow) const;

    void refilter();

    const AuditModel* m_audit = nullptr;
    bool m_refiltering = false;

    QString m_text;
    bool m_onlyProblems = false;
};

} // namespace dbops::ui

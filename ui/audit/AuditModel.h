#pragma once

#include "catalog/AuditReport.h"
#include "worker/AuditOutline.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QIcon>
#include <QVector>

namespace dbops::ui {

/// A schema audit as a two-level tree: the top level has one row per table or
/// view ("public.equity_changes") and one "Schema objects" row per schema for
/// what belongs to no table (enums, free-standing sequences); their children
/// are the columns, constraints, indexes and owned sequences.
///
/// A table row shows the table's own status, except when the table EXISTS:
/// then it shows the worst status among its parts (MISSING, then DIFFERS,
/// then EXTRA), so a table with one missing column does not look fine while
/// collapsed.  Sorting: SortRole gives MISSING < DIFFERS < EXTRA < EXISTS in
/// the Status column, so an ascending sort puts problems first.
class AuditModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column
    {
        ObjectColumn,
        KindColumn,
        StatusColumn,
        ExpectedColumn,
        ActualColumn,
        ColumnCount
    };

    enum Role
    {
        StatusRole = Qt::UserRole + 1, ///< int (AuditItem::Status): the row's status (a group's: see above)
        KindRole, ///< int (AuditItem::Kind), -1 for a "Schema objects" group
        IsGroupRole, ///< bool: a top-level row
        SortRole, ///< what the column sorts by (status: severity rank, names: lower case)
        FilterTextRole, ///< QString: the object's name as the text filter matches it
    };

    explicit AuditModel(QObject* parent = nullptr);
    ~AuditModel() override;

    /// Groups the report here; the console passes the outline its worker built.
    void setReport(const AuditReport& report);
    /// `outline` must be AuditOutline::build(report) (the worker's).
    void setReport(const AuditReport& report, const AuditOutline& outline);
    /// Back to "no report" (hasReport() false).
    void clear();
    const AuditReport& report() const { return m_report; }
    const AuditOutline& outline() const { return m_outline; }
    /// setReport() was called since construction or clear(): an empty report
    /// (nothing expected, nothing there) still counts as one.
    bool hasReport() const { return m_hasReport; }

    /// "7 tables MISSING (with 77 columns, …), 18 columns MISSING, …"
    /// (AuditReport::totalsText()); empty without a report.
    QString headerSummary() const;

    /// The report item a row shows: the table or view itself for a group row
    /// that has one, nullptr for a "Schema objects" group.
    const AuditItem* itemAt(const QModelIndex& index) const;
    bool isGroup(const QModelIndex& index) const;
    /// The status a row shows (for a group: see the class comment).
    AuditItem::Status statusAt(const QModelIndex& index) const;
    /// Whether a group row is a table or view that is MISSING or EXTRA as a
    /// whole (its parts then all share its status).
    bool isWholeTableGroup(const QModelIndex& index) const;
    /// A group row's title as shown and filtered: "public.users", "Schema objects (public)".
    QString groupTitle(int groupRow) const;
    /// The items under a group row (its children), without going through QModelIndex.
    int partCount(int groupRow) const;
    const AuditItem& part(int groupRow, int partRow) const;

    QIcon statusIcon(AuditItem::Status status) const;
    /// The colour of a status's icon; text uses a lighter shade on dark palettes.
    static QColor statusColor(AuditItem::Status status);
    /// 0 for MISSING (the worst) … 3 for EXISTS, as AuditItem::allStatuses() orders them.
    static int severityRank(AuditItem::Status status);
    /// A status's name with what it means, for tooltips and legends.
    static QString statusDescription(AuditItem::Status status);

    QModelIndex index(int row, int column, const QModelIndex& parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    /// One top-level row: a table or view with its parts, or a schema's free objects.
    using Group = AuditOutline::Group;

    /// The group a row belongs to, and the item it shows (-1: a group without owner item).
    const Group* groupOf(const QModelIndex& index) const;
    int itemIndexOf(const QModelIndex& index) const;
    QString groupTitle(const Group& group) const;
    QString groupKindName(const Group& group) const;
    QString partsSummary(const Group& group) const;
    QVariant displayData(const QModelIndex& index) const;
    QVariant sortData(const QModelIndex& index) const;
    QString toolTip(const QModelIndex& index) const;

    AuditReport m_report;
    AuditOutline m_outline;
    bool m_hasReport = false;
    QVector<QIcon> m_statusIcons; ///< by AuditItem::Status
};

} // namespace dbops::ui

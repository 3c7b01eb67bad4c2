#pragma once

#include "catalog/AuditReport.h"

#include <QVector>

namespace dbops {

/// An audit report grouped the way the console's tree shows it: one group per
/// table or view, and one per schema for what belongs to no table (enums,
/// free-standing sequences), with the group's parts and the status its row
/// shows; plus the totals of the panel's headline.  Built in the database
/// worker next to the report, so the GUI thread only displays a ready tree (a
/// 2,000-table report has some 60,000 items).  Indexes point into the
/// report's items, so an outline belongs to the one report it was built from.
struct AuditOutline
{
    struct Group
    {
        QString schema;
        QString table; ///< empty: the schema's "Schema objects"
        int owner = -1; ///< index of the table/view item itself, -1 if not listed
        QVector<int> parts; ///< indexes of the other items, in report order
        /// The table's own status, or while it EXISTS the worst among its parts
        /// (MISSING, then DIFFERS, then EXTRA): a table with one missing column
        /// does not look fine while collapsed.
        AuditItem::Status status = AuditItem::Status::Exists;
    };

    QVector<Group> groups;
    /// AuditReport::totalsText() of the items that are not EXISTS; empty when there are none.
    QString notAsExpectedTotals;
    /// AuditReport::totalsText() of the items that EXIST; empty when there are none.
    QString asExpectedTotals;
    bool hasMissing = false; ///< an item is MISSING
    bool hasDiffers = false; ///< an item DIFFERS
    int itemCount = 0; ///< report.items.size() when built, to tell a mismatched pair

    static AuditOutline build(const AuditReport& report);
    /// 0 for MISSING (the worst) … 3 for EXISTS, as AuditItem::allStatuses() orders them.
    static int severityRank(AuditItem::Status status);
};

} // namespace dbops

#pragma once

#include "catalog/AuditReport.h"

#include <QList>
#include <QString>

namespace dbops {

/// One owner of the audit tree (a table with its columns, constraints,
/// indexes and owned sequences; a view; a schema's free enums and sequences)
/// written as DDL twice: as the migrations expect it and as the database has
/// it.  Built from the audit's items alone, so it needs neither snapshot and
/// the console can build it on the GUI thread for the row a user selects.
/// Both sides list the parts in the report's order (kind, then name), so a
/// line diff lines them up.
struct ObjectDefinition
{
    enum class Side
    {
        Expected,
        Actual
    };

    QString title; ///< "table public.users", "view public.v", "schema objects (public)"
    QString expected; ///< empty: the migrations do not have it
    QString actual; ///< empty: the database does not have it

    /// `items`: one owner's items as the report orders them (an AuditOutline::Group's owner and parts).
    static ObjectDefinition of(const QList<AuditItem>& items);
    /// One side's DDL; empty when that side has none of the items.
    static QString text(const QList<AuditItem>& items, Side side);
    /// CREATE TABLE with the columns and constraints `side` has of `table`'s
    /// parts in `items` (the table item itself is not needed).
    static QString tableStatement(
        const QString& schema, const QString& table, const QList<AuditItem>& items, Side side);
};

} // namespace dbops

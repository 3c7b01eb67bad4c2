#pragma once

#include <QList>
#include <QString>

namespace dbops {

/// One schema object in an audit: where it belongs, whether the database has
/// it as the migrations say, and both sides when they differ.
struct AuditItem
{
    enum class Kind
    {
        Table,
        View,
        Column,
        Constraint,
        Index,
        Sequence,
        Enum
    };
    enum class Status
    {
        Exists, ///< as expected
        Missing, ///< expected, not in the database
        Extra, ///< in the database, not expected (not a failure: other tools may own it)
        Differs, ///< in both, but not the same
    };

    Kind objectKind = Kind::Table;
    QString schema;
    QString table; ///< the owner the item is grouped under; empty for schema-level objects (enums, free
                   ///< sequences)
    QString name;
    Status status = Status::Exists;
    QString expected; ///< what the migrations say, as text; empty when not expected
    QString actual; ///< what the database has, as text; empty when absent
    /// Listed with its table, which is MISSING or EXTRA as a whole: the
    /// totals count it under the table ("7 tables MISSING (with 77 columns ...)").
    bool withTable = false;

    bool isProblem() const { return status == Status::Missing || status == Status::Differs; }

    static QString kindName(Kind kind); ///< "table", "column" ...
    static QString kindPlural(Kind kind, int count); ///< "1 index", "3 indexes"
    static QString statusName(Status status); ///< "EXISTS", "MISSING", "EXTRA", "DIFFERS"
    static const QList<Kind>& allKinds();
    static const QList<Status>& allStatuses(); ///< problems first: MISSING, DIFFERS, EXTRA, EXISTS
};

/// An audit's items, ordered for reading: by schema, then by owner (schema
/// level first), the owner itself before its parts.
struct AuditReport
{
    QList<AuditItem> items;

    int count(AuditItem::Status status) const;
    int count(AuditItem::Status status, AuditItem::Kind kind) const;
    /// Something is MISSING or DIFFERS (EXTRA alone is fine).
    bool hasProblems() const
    {
        return count(AuditItem::Status::Missing) + count(AuditItem::Status::Differs) > 0;
    }
    /// Items that stand on their own, not with a whole MISSING or EXTRA table.
    int countOwn(AuditItem::Status status) const;
    /// "7 tables MISSING (with 77 columns, 38 constraints, 11 indexes), 18 columns MISSING,
    /// 1 column DIFFERS, 9 tables EXISTS ...": problems first; the parts of a
    /// whole missing or extra table are counted with it.
    QString totalsText() const;
};

} // namespace dbops

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

/// The counts behind a report's totals, by status, kind and whether the item
/// is listed with its whole table: what the verdict and the totals line need,
/// kept while a report streams past (AuditReportStream) without its items.
class AuditTotals
{
public:
    void add(const AuditItem& item)
    {
        ++m_counts[static_cast<int>(item.status)][static_cast<int>(item.objectKind)][item.withTable ? 1 : 0];
    }

    int count(AuditItem::Status status) const;
    int count(AuditItem::Status status, AuditItem::Kind kind) const;
    int countOwn(AuditItem::Status status) const;
    int countOf(AuditItem::Status status, AuditItem::Kind kind, bool withTable) const
    {
        return m_counts[static_cast<int>(status)][static_cast<int>(kind)][withTable ? 1 : 0];
    }
    bool hasProblems() const
    {
        return count(AuditItem::Status::Missing) + count(AuditItem::Status::Differs) > 0;
    }
    /// AuditReport::totalsText() of the items counted.
    QString text() const;

private:
    static constexpr int kStatuses = static_cast<int>(AuditItem::Status::Differs) + 1;
    static constexpr int kKinds = static_cast<int>(AuditItem::Kind::Enum) + 1;
    int m_counts[kStatuses][kKinds][2] = {};
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
    AuditTotals totals() const;
};

} // namespace dbops

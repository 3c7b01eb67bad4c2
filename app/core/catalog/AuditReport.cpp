#include "catalog/AuditReport.h"

#include <QStringList>

namespace dbops {

QString AuditItem::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Table:
        return QStringLiteral("table");
    case Kind::View:
        return QStringLiteral("view");
    case Kind::Column:
        return QStringLiteral("column");
    case Kind::Constraint:
        return QStringLiteral("constraint");
    case Kind::Index:
        return QStringLiteral("index");
    case Kind::Sequence:
        return QStringLiteral("sequence");
    case Kind::Enum:
        return QStringLiteral("enum");
    }
    return {};
}

QString AuditItem::kindPlural(Kind kind, int count)
{
    const QString singular = kindName(kind);
    if (count == 1)
        return QStringLiteral("1 ") + singular;
    return QString::number(count) + QLatin1Char(' ') + singular
        + (kind == Kind::Index ? QStringLiteral("es") : QStringLiteral("s"));
}

QString AuditItem::statusName(Status status)
{
    switch (status) {
    case Status::Exists:
        return QStringLiteral("EXISTS");
    case Status::Missing:
        return QStringLiteral("MISSING");
    case Status::Extra:
        return QStringLiteral("EXTRA");
    case Status::Differs:
        return QStringLiteral("DIFFERS");
    }
    return {};
}

const QList<AuditItem::Kind>& AuditItem::allKinds()
{
    static const QList<Kind> kinds { Kind::Table, Kind::View, Kind::Column, Kind::Constraint, Kind::Index,
        Kind::Sequence, Kind::Enum };
    return kinds;
}

const QList<AuditItem::Status>& AuditItem::allStatuses()
{
    static const QList<Status> statuses { Status::Missing, Status::Differs, Status::Extra, Status::Exists };
    return statuses;
}

int AuditReport::count(AuditItem::Status status) const
{
    int n = 0;
    for (const AuditItem& item : items)
        n += item.status == status ? 1 : 0;
    return n;
}

int AuditReport::count(AuditItem::Status status, AuditItem::Kind kind) const
{
    int n = 0;
    for (const AuditItem& item : items)
        n += item.status == status && item.objectKind == kind ? 1 : 0;
    return n;
}

int AuditReport::countOwn(AuditItem::Status status) const
{
    int n = 0;
    for (const AuditItem& item : items)
        n += item.status == status && !item.withTable ? 1 : 0;
    return n;
}

QString AuditReport::totalsText() const
{
    return totals().text();
}

AuditTotals AuditReport::totals() const
{
    AuditTotals totals;
    for (const AuditItem& item : items)
        totals.add(item);
    return totals;
}

int AuditTotals::count(AuditItem::Status status) const
{
    int n = 0;
    for (AuditItem::Kind kind : AuditItem::allKinds())
        n += count(status, kind);
    return n;
}

int AuditTotals::count(AuditItem::Status status, AuditItem::Kind kind) const
{
    return countOf(status, kind, false) + countOf(status, kind, true);
}

int AuditTotals::countOwn(AuditItem::Status status) const
{
    int n = 0;
    for (AuditItem::Kind kind : AuditItem::allKinds())
        n += countOf(status, kind, false);
    return n;
}

QString AuditTotals::text() const
{
    QStringList parts;
    for (AuditItem::Status status : AuditItem::allStatuses()) {
        for (AuditItem::Kind kind : AuditItem::allKinds()) {
            const int n = countOf(status, kind, false);
            if (n == 0)
                continue;
            QString part = AuditItem::kindPlural(kind, n) + QLatin1Char(' ') + AuditItem::statusName(status);
            if (kind == AuditItem::Kind::Table) {
                QStringList contents;
                for (AuditItem::Kind partKind :
                    { AuditItem::Kind::Column, AuditItem::Kind::Constraint, AuditItem::Kind::Index }) {
                    if (const int m = countOf(status, partKind, true))
                        contents.append(AuditItem::kindPlural(partKind, m));
                }
                if (!contents.isEmpty())
                    part
                        += QStringLiteral(" (with ") + contents.join(QStringLiteral(", ")) + QLatin1Char(')');
            }
            parts.append(part);
        }
    }
    return parts.isEmpty() ? QStringLiteral("no schema objects") : parts.join(QStringLiteral(", "));
}

} // namespace dbops

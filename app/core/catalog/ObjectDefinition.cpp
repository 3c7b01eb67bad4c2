#include "catalog/ObjectDefinition.h"

#include "catalog/DdlText.h"

namespace dbops {

namespace {

using Kind = AuditItem::Kind;
using Side = ObjectDefinition::Side;

bool onSide(const AuditItem& item, Side side)
{
    return side == Side::Expected ? item.status != AuditItem::Status::Extra
                                  : item.status != AuditItem::Status::Missing;
}

const QString& sideText(const AuditItem& item, Side side)
{
    return side == Side::Expected ? item.expected : item.actual;
}

const AuditItem* ownerTable(const QList<AuditItem>& items)
{
    for (const AuditItem& item : items) {
        if (item.objectKind == Kind::Table)
            return &item;
    }
    return nullptr;
}

} // namespace

QString ObjectDefinition::tableStatement(
    const QString& schema, const QString& table, const QList<AuditItem>& items, Side side)
{
    QStringList lines;
    for (const AuditItem& item : items) {
        if (!onSide(item, side) || item.table != table || item.schema != schema)
            continue;
        if (item.objectKind == Kind::Column)
            lines.append(DdlText::columnDefinition(item.name, sideText(item, side)));
        else if (item.objectKind == Kind::Constraint)
            lines.append(DdlText::constraintClause(item.name, sideText(item, side)));
    }
    if (lines.isEmpty())
        return QStringLiteral("CREATE TABLE %1 ();").arg(DdlText::qualified(schema, table));
    return QStringLiteral("CREATE TABLE %1 (\n    %2\n);")
        .arg(DdlText::qualified(schema, table), lines.join(QStringLiteral(",\n    ")));
}

QString ObjectDefinition::text(const QList<AuditItem>& items, Side side)
{
    QStringList statements;
    const AuditItem* table = ownerTable(items);
    if (table && onSide(*table, side))
        statements.append(tableStatement(table->schema, table->name, items, side));
    for (const AuditItem& item : items) {
        if (!onSide(item, side) || item.objectKind == Kind::Table || item.objectKind == Kind::Column
            || item.objectKind == Kind::Constraint)
            continue;
        statements.append(DdlText::createStatement(item, sideText(item, side)));
    }
    return statements.join(QLatin1Char('\n'));
}

ObjectDefinition ObjectDefinition::of(const QList<AuditItem>& items)
{
    ObjectDefinition definition;
    if (!items.isEmpty()) {
        const AuditItem& first = items.first();
        if (first.objectKind == Kind::Table || first.objectKind == Kind::View)
            definition.title = QStringLiteral("%1 %2.%3")
                                   .arg(AuditItem::kindName(first.objectKind), first.schema, first.table);
        else if (first.table.isEmpty())
            definition.title = QStringLiteral("schema objects (%1)").arg(first.schema);
        else
            definition.title = QStringLiteral("%1.%2").arg(first.schema, first.table);
    }
    definition.expected = text(items, Side::Expected);
    definition.actual = text(items, Side::Actual);
    return definition;
}

} // namespace dbops

#include "catalog/CorrectiveSql.h"

#include "catalog/CatalogSnapshot.h"
#include "catalog/DdlText.h"
#include "catalog/ObjectDefinition.h"
#include "catalog/SchemaDiff.h"

#include <QSet>

namespace dbops {

namespace {

using Kind = AuditItem::Kind;
using Status = AuditItem::Status;

/// A column's describe() taken apart: "type [GENERATED … AS IDENTITY]
/// [GENERATED ALWAYS AS (expr) STORED] NULL|NOT NULL [DEFAULT expr]".
struct ColumnParts
{
    QString type;
    QString identity; ///< "ALWAYS", "BY DEFAULT" or empty
    QString generated; ///< "GENERATED ALWAYS AS (expr) STORED" or empty
    bool notNull = false;
    QString defaultExpression;

    static ColumnParts parse(const QString& text)
    {
        ColumnParts parts;
        int typeEnd = static_cast<int>(text.size());
        for (const char* marker : { " GENERATED ", " NOT NULL", " NULL" }) {
            const int at = static_cast<int>(text.indexOf(QLatin1String(marker)));
            if (at >= 0 && at < typeEnd)
                typeEnd = at;
        }
        parts.type = text.left(typeEnd);
        QString rest = text.mid(typeEnd);
        for (const char* identity : { "ALWAYS", "BY DEFAULT" }) {
            const QString clause = QStringLiteral(" GENERATED %1 AS IDENTITY").arg(QLatin1String(identity));
            if (rest.startsWith(clause)) {
                parts.identity = QLatin1String(identity);
                rest = rest.mid(clause.size());
            }
        }
        if (rest.startsWith(QLatin1String(" GENERATED ALWAYS AS ("))) {
            int end = static_cast<int>(rest.lastIndexOf(QLatin1String(") STORED")));
            if (end < 0)
                end = static_cast<int>(rest.lastIndexOf(QLatin1String(") VIRTUAL")));
            const int clauseEnd = static_cast<int>(rest.indexOf(QLatin1Char(' '), end + 2));
            parts.generated = rest.mid(1, (clauseEnd < 0 ? rest.size() : clauseEnd) - 1);
            rest = clauseEnd < 0 ? QString() : rest.mid(clauseEnd);
        }
        if (rest.startsWith(QLatin1String(" NOT NULL"))) {
            parts.notNull = true;
            rest = rest.mid(9);
        } else if (rest.startsWith(QLatin1String(" NULL"))) {
            rest = rest.mid(5);
        }
        if (rest.startsWith(QLatin1String(" DEFAULT ")))
            parts.defaultExpression = rest.mid(9);
        return parts;
    }
};

class Script
{
public:
    void object(const AuditItem& item)
    {
        QString where
            = item.table.isEmpty() || item.objectKind == Kind::Table || item.objectKind == Kind::View
            ? QStringLiteral("%1.%2").arg(item.schema, item.name)
            : QStringLiteral("%1.%2.%3").arg(item.schema, item.table, item.name);
        m_blocks.append(
            QStringLiteral("-- %1 %2 %3")
                .arg(AuditItem::kindName(item.objectKind), where, AuditItem::statusName(item.status)));
    }
    void note(const QString& text) { m_blocks.last() += QStringLiteral("\n-- ") + text; }
    void statement(const QString& sql) { m_blocks.last() += QLatin1Char('\n') + sql; }
    QString text() const
    {
        return m_blocks.isEmpty() ? QString() : m_blocks.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
    }

private:
    QStringList m_blocks;
};

QString tableName(const AuditItem& item)
{
    return DdlText::qualified(item.schema, item.table);
}

void alterColumn(Script& script, const AuditItem& item)
{
    const ColumnParts expected = ColumnParts::parse(item.expected);
    const ColumnParts actual = ColumnParts::parse(item.actual);
    const QString alter = QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 ")
                              .arg(tableName(item), DdlText::identifier(item.name));
    if (expected.generated != actual.generated) {
        if (expected.generated.isEmpty()) {
            script.statement(alter + QStringLiteral("DROP EXPRESSION;"));
        } else {
            // PostgreSQL 15 cannot give a column a generation expression: it is added anew.
            script.note(QStringLiteral("a generated column cannot be altered: dropped and added again"));
            script.statement(QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;")
                                 .arg(tableName(item), DdlText::identifier(item.name)));
            script.statement(DdlText::createStatement(item, item.expected));
            return;
        }
    }
    if (expected.type != actual.type)
        script.statement(alter + QStringLiteral("TYPE %1;").arg(expected.type));
    if (expected.identity != actual.identity) {
        if (expected.identity.isEmpty())
            script.statement(alter + QStringLiteral("DROP IDENTITY;"));
        else if (actual.identity.isEmpty())
            script.statement(alter + QStringLiteral("ADD GENERATED %1 AS IDENTITY;").arg(expected.identity));
        else
            script.statement(alter + QStringLiteral("SET GENERATED %1;").arg(expected.identity));
    }
    if (expected.defaultExpression != actual.defaultExpression && expected.generated.isEmpty()) {
        if (expected.defaultExpression.isEmpty())
            script.statement(alter + QStringLiteral("DROP DEFAULT;"));
        else
            script.statement(alter + QStringLiteral("SET DEFAULT %1;").arg(expected.defaultExpression));
    }
    if (expected.notNull != actual.notNull)
        script.statement(
            alter + (expected.notNull ? QStringLiteral("SET NOT NULL;") : QStringLiteral("DROP NOT NULL;")));
}

void alterConstraint(Script& script, const AuditItem& item)
{
    const QString renamedFrom = DdlText::renamedConstraintName(item.actual);
    if (!renamedFrom.isEmpty() && item.expected.startsWith(QLatin1String("CONSTRAINT "))) {
        script.statement(
            QStringLiteral("ALTER TABLE %1 RENAME CONSTRAINT %2 TO %3;")
                .arg(tableName(item), DdlText::identifier(renamedFrom), DdlText::identifier(item.name)));
        return;
    }
    script.statement(QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;")
                         .arg(tableName(item), DdlText::identifier(item.name)));
    script.statement(DdlText::createStatement(item, item.expected));
}

void alterIndex(Script& script, const AuditItem& item)
{
    if (item.expected.isEmpty()) {
        // An INVALID index nothing expects: rebuilt as it was meant to be.
        QString definition = item.actual;
        if (definition.endsWith(SchemaDiff::invalidIndexDetail()))
            definition.chop(SchemaDiff::invalidIndexDetail().size());
        script.statement(QStringLiteral("DROP INDEX %1;").arg(DdlText::qualified(item.schema, item.name)));
        script.statement(DdlText::createStatement(item, definition));
        return;
    }
    const QString actualName = DdlText::indexName(item.actual);
    if (!actualName.isEmpty() && actualName != item.name
        && SchemaDiff::normalizedIndexDefinition(CatalogIndex { item.name, item.expected })
            == SchemaDiff::normalizedIndexDefinition(CatalogIndex { actualName, item.actual })) {
        script.statement(
            QStringLiteral("ALTER INDEX %1 RENAME TO %2;")
                .arg(DdlText::qualified(item.schema, actualName), DdlText::identifier(item.name)));
        return;
    }
    script.statement(
        QStringLiteral("DROP INDEX %1;")
            .arg(DdlText::qualified(item.schema, actualName.isEmpty() ? item.name : actualName)));
    script.statement(DdlText::createStatement(item, item.expected));
}

void alterSequence(Script& script, const AuditItem& item)
{
    QString options = DdlText::sequenceOptions(item.expected);
    if (!options.endsWith(QLatin1String(" CYCLE")))
        options += QStringLiteral(" NO CYCLE");
    const QString column = DdlText::sequenceOwnerColumn(item.expected);
    options += column.isEmpty()
        ? QStringLiteral(" OWNED BY NONE")
        : QStringLiteral(" OWNED BY %1.%2").arg(tableName(item), DdlText::identifier(column));
    script.statement(
        QStringLiteral("ALTER SEQUENCE %1 AS %2;").arg(DdlText::qualified(item.schema, item.name), options));
}

void alterEnum(Script& script, const AuditItem& item)
{
    const QStringList expected = DdlText::enumLabels(item.expected);
    const QStringList actual = DdlText::enumLabels(item.actual);
    // Labels can only be added: the database's must appear in the expected order.
    int next = 0;
    for (const QString& label : actual) {
        next = static_cast<int>(expected.indexOf(label, next));
        if (next < 0) {
            script.note(QStringLiteral("labels cannot be removed or reordered in place: the type must be "
                                       "created again with the expected labels and its columns converted"));
            script.note(DdlText::createStatement(item, item.expected));
            return;
        }
        ++next;
    }
    const QString type = DdlText::qualified(item.schema, item.name);
    for (int i = 0; i < expected.size(); ++i) {
        if (actual.contains(expected.at(i)))
            continue;
        const QString position = i == 0
            ? QStringLiteral(" BEFORE %1").arg(DdlText::literal(expected.at(1)))
            : QStringLiteral(" AFTER %1").arg(DdlText::literal(expected.at(i - 1)));
        script.statement(
            QStringLiteral("ALTER TYPE %1 ADD VALUE %2%3;")
                .arg(type, DdlText::literal(expected.at(i)), expected.size() > 1 ? position : QString()));
    }
}

void replaceView(Script& script, const AuditItem& item)
{
    const QString view = DdlText::qualified(item.schema, item.name);
    if (DdlText::isMaterializedView(item.expected) || DdlText::isMaterializedView(item.actual)) {
        script.statement(
            QStringLiteral("DROP %1 %2;")
                .arg(DdlText::isMaterializedView(item.actual) ? QStringLiteral("MATERIALIZED VIEW")
                                                              : QStringLiteral("VIEW"),
                    view));
        script.statement(DdlText::createStatement(item, item.expected));
        return;
    }
    script.statement(
        QStringLiteral("CREATE OR REPLACE VIEW %1 AS\n%2;").arg(view, DdlText::viewQuery(item.expected)));
}

QString dropStatement(const AuditItem& item)
{
    switch (item.objectKind) {
    case Kind::Table:
        return QStringLiteral("DROP TABLE %1;").arg(DdlText::qualified(item.schema, item.name));
    case Kind::View:
        return QStringLiteral("DROP %1 %2;")
            .arg(DdlText::isMaterializedView(item.actual) ? QStringLiteral("MATERIALIZED VIEW")
                                                          : QStringLiteral("VIEW"),
                DdlText::qualified(item.schema, item.name));
    case Kind::Column:
        return QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;")
            .arg(tableName(item), DdlText::identifier(item.name));
    case Kind::Constraint:
        return QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;")
            .arg(tableName(item), DdlText::identifier(item.name));
    case Kind::Index:
        return QStringLiteral("DROP INDEX %1;").arg(DdlText::qualified(item.schema, item.name));
    case Kind::Sequence:
        return QStringLiteral("DROP SEQUENCE %1;").arg(DdlText::qualified(item.schema, item.name));
    case Kind::Enum:
        return QStringLiteral("DROP TYPE %1;").arg(DdlText::qualified(item.schema, item.name));
    }
    return {};
}

QString tableKey(const QString& schema, const QString& table)
{
    return schema + QChar(0) + table;
}

} // namespace

QString CorrectiveSql::forItems(const QList<AuditItem>& items)
{
    // Whole tables whose parts come with them, and the sequences a MISSING
    // table's column defaults may use: created before any table.
    QSet<QString> wholeTables;
    for (const AuditItem& item : items) {
        if (item.objectKind == Kind::Table && item.status != Status::Exists)
            wholeTables.insert(tableKey(item.schema, item.name));
    }
    // An identity column makes its sequence itself.
    QSet<QString> identityColumns;
    for (const AuditItem& item : items) {
        if (item.objectKind == Kind::Column && item.expected.contains(QLatin1String(" AS IDENTITY")))
            identityColumns.insert(tableKey(item.schema, item.table) + QChar(0) + item.name);
    }
    Script script;
    QStringList ownedLater;
    for (const AuditItem& item : items) {
        if (item.objectKind != Kind::Sequence || item.status != Status::Missing)
            continue;
        script.object(item);
        if (identityColumns.contains(
                tableKey(item.schema, item.table) + QChar(0) + DdlText::sequenceOwnerColumn(item.expected))) {
            script.note(QStringLiteral("made by its identity column"));
            continue;
        }
        script.statement(
            QStringLiteral("CREATE SEQUENCE %1 AS %2;")
                .arg(DdlText::qualified(item.schema, item.name), DdlText::sequenceOptions(item.expected)));
        const QString column = DdlText::sequenceOwnerColumn(item.expected);
        if (!column.isEmpty())
            ownedLater.append(QStringLiteral("ALTER SEQUENCE %1 OWNED BY %2.%3;")
                                  .arg(DdlText::qualified(item.schema, item.name), tableName(item),
                                      DdlText::identifier(column)));
    }
    for (const AuditItem& item : items) {
        if (item.status == Status::Exists
            || (item.objectKind == Kind::Sequence && item.status == Status::Missing))
            continue;
        if (item.withTable && wholeTables.contains(tableKey(item.schema, item.table)))
            continue;
        script.object(item);
        if (item.status == Status::Extra) {
            script.note(QStringLiteral("EXTRA: other tools may own it; this drops it%1")
                            .arg(item.objectKind == Kind::Table || item.objectKind == Kind::Column
                                    ? QStringLiteral(" and its data")
                                    : QString()));
            script.statement(dropStatement(item));
            continue;
        }
        if (item.status == Status::Missing) {
            if (item.objectKind != Kind::Table) {
                script.statement(DdlText::createStatement(item, item.expected));
                continue;
            }
            script.statement(ObjectDefinition::tableStatement(
                item.schema, item.name, items, ObjectDefinition::Side::Expected));
            for (const AuditItem& part : items) {
                if (part.withTable && part.objectKind == Kind::Index && part.schema == item.schema
                    && part.table == item.name)
                    script.statement(DdlText::createStatement(part, part.expected));
            }
            continue;
        }
        switch (item.objectKind) {
        case Kind::Column:
            alterColumn(script, item);
            break;
        case Kind::Constraint:
            alterConstraint(script, item);
            break;
        case Kind::Index:
            alterIndex(script, item);
            break;
        case Kind::Sequence:
            alterSequence(script, item);
            break;
        case Kind::Enum:
            alterEnum(script, item);
            break;
        case Kind::View:
            replaceView(script, item);
            break;
        case Kind::Table:
            break;
        }
    }
    QString text = script.text();
    if (!ownedLater.isEmpty())
        text += QStringLiteral("\n-- the sequences belong to their columns once the tables exist\n")
            + ownedLater.join(QLatin1Char('\n')) + QLatin1Char('\n');
    return text;
}

} // namespace dbops

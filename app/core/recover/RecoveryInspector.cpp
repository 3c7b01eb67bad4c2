#include "recover/RecoveryInspector.h"

#include "catalog/DdlText.h"
#include "connection/DatabaseConnection.h"
#include "database/VersionTable.h"
#include "migrations/RevisionGraph.h"
#include "sql/SchemaChanges.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace dbops {

namespace {

using Kind = SchemaChange::Kind;

/// A relation as to_regclass and DDL read it: schema-qualified when the
/// migration writes a schema, else found through the search path as it was.
QString relation(const QString& schema, const QString& name)
{
    return schema.isEmpty() ? DdlText::identifier(name) : DdlText::qualified(schema, name);
}

Result<bool> yes(DatabaseConnection& connection, const QString& sql, const QVariantList& values)
{
    Result<QVariant> value = connection.scalar(sql, values);
    if (!value)
        return value.error();
    return value.value().toBool();
}

Result<QString> text(DatabaseConnection& connection, const QString& sql, const QVariantList& values)
{
    Result<QVariant> value = connection.scalar(sql, values);
    if (!value)
        return value.error();
    return value.value().isNull() ? QString() : value.value().toString();
}

QString jsonArray(const QStringList& list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

/// The key columns of an index or constraint, as names, in order.
const QLatin1String kKeyColumns(
    "ARRAY(SELECT a.attname::text FROM unnest(%1::int2[]) WITH ORDINALITY AS k(attnum, n)"
    " JOIN pg_catalog.pg_attribute AS a ON a.attrelid = %2 AND a.attnum = k.attnum"
    " ORDER BY k.n)"
    " = ARRAY(SELECT pg_catalog.jsonb_array_elements_text($2::text::jsonb))");

/// The name PostgreSQL gave the index or key constraint an unnamed statement
/// creates: the newest one on the table with the same key columns (and, for
/// a constraint, the same kind); empty when there is none.  nullopt: an
/// unnamed object this cannot find (an expression index, a CHECK).
std::optional<Result<QString>> unnamedObject(DatabaseConnection& connection, const SchemaChange& change)
{
    if (change.columns.isEmpty())
        return std::nullopt;
    const QString table = relation(change.schema, change.table);
    if (change.kind == Kind::CreateIndex) {
        // Not an index a constraint owns: CREATE INDEX ON t (id) is not t's primary key.
        return text(connection,
            QStringLiteral(
                "SELECT c.relname::text FROM pg_catalog.pg_index AS x"
                " JOIN pg_catalog.pg_class AS c ON c.oid = x.indexrelid"
                " WHERE x.indrelid = pg_catalog.to_regclass($1::text) AND NOT 0 = ANY (x.indkey::int2[])"
                "   AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint AS k"
                "                    WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)"
                "   AND %1 ORDER BY c.oid DESC LIMIT 1")
                .arg(QString(kKeyColumns).arg(QStringLiteral("x.indkey"), QStringLiteral("x.indrelid"))),
            { table, jsonArray(change.columns) });
    }
    const QString contype = change.detail == QLatin1String("primary key") ? QStringLiteral("p")
        : change.detail == QLatin1String("unique constraint")             ? QStringLiteral("u")
        : change.detail == QLatin1String("foreign key")                   ? QStringLiteral("f")
                                                                          : QString();
    if (contype.isEmpty())
        return std::nullopt;
    return text(connection,
        QStringLiteral(
            "SELECT c.conname::text FROM pg_catalog.pg_constraint AS c"
            " WHERE c.conrelid = pg_catalog.to_regclass($1::text) AND c.contype = $3::text::\"char\""
            "   AND %1 ORDER BY c.oid DESC LIMIT 1")
            .arg(QString(kKeyColumns).arg(QStringLiteral("c.conkey"), QStringLiteral("c.conrelid"))),
        { table, jsonArray(change.columns), contype });
}

/// Whether the object exists and how to drop it; nullopt: not an object this checks.
std::optional<Result<bool>> exists(DatabaseConnection& connection, const SchemaChange& change)
{
    const QString table = relation(change.schema, change.table);
    switch (change.kind) {
    case Kind::CreateTable:
    case Kind::CreateView:
    case Kind::CreateSequence:
        return yes(
            connection, QStringLiteral("SELECT pg_catalog.to_regclass($1::text) IS NOT NULL"), { table });
    case Kind::CreateIndex:
        if (change.name.isEmpty())
            return std::nullopt;
        return yes(connection, QStringLiteral("SELECT pg_catalog.to_regclass($1::text) IS NOT NULL"),
            { relation(change.schema, change.name) });
    case Kind::AddColumn:
        return yes(connection,
            QStringLiteral("SELECT EXISTS (SELECT FROM pg_catalog.pg_attribute"
                           " WHERE attrelid = pg_catalog.to_regclass($1::text) AND attname = $2::text"
                           " AND attnum > 0 AND NOT attisdropped)"),
            { table, change.name });
    case Kind::AddConstraint:
        if (change.name.isEmpty())
            return std::nullopt;
        return yes(connection,
            QStringLiteral("SELECT EXISTS (SELECT FROM pg_catalog.pg_constraint"
                           " WHERE conrelid = pg_catalog.to_regclass($1::text) AND conname = $2::text)"),
            { table, change.name });
    case Kind::CreateType:
        return yes(connection, QStringLiteral("SELECT pg_catalog.to_regtype($1::text) IS NOT NULL"),
            { relation(change.schema, change.name) });
    case Kind::CreateSchema:
        return yes(connection,
            QStringLiteral("SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1::text)"),
            { change.schema });
    case Kind::CreateFunction:
        if (!change.arguments.isEmpty())
            return yes(connection, QStringLiteral("SELECT pg_catalog.to_regprocedure($1::text) IS NOT NULL"),
                { QString(relation(change.schema, change.name) + change.arguments) });
        // An aggregate, a procedure or a %TYPE argument: a routine of that name.
        return yes(connection,
            QStringLiteral("SELECT EXISTS (SELECT FROM pg_catalog.pg_proc AS p WHERE p.proname = $2::text"
                           " AND CASE WHEN $1::text = '' THEN pg_catalog.pg_function_is_visible(p.oid)"
                           " ELSE p.pronamespace = pg_catalog.to_regnamespace($1::text) END)"),
            { change.schema, change.name });
    default:
        return std::nullopt;
    }
}

QString dropStatement(const SchemaChange& change)
{
    const QString table = relation(change.schema, change.table);
    switch (change.kind) {
    case Kind::CreateTable:
        return QStringLiteral("DROP TABLE %1;").arg(table);
    case Kind::CreateView:
        return change.detail == QLatin1String("materialized view")
            ? QStringLiteral("DROP MATERIALIZED VIEW %1;").arg(table)
            : QStringLiteral("DROP VIEW %1;").arg(table);
    case Kind::CreateSequence:
        return QStringLiteral("DROP SEQUENCE %1;").arg(table);
    case Kind::CreateIndex:
        return QStringLiteral("DROP INDEX %1;").arg(relation(change.schema, change.name));
    case Kind::AddColumn:
        return QStringLiteral("ALTER TABLE %1 DROP COLUMN %2;").arg(table, DdlText::identifier(change.name));
    case Kind::AddConstraint:
        return QStringLiteral("ALTER TABLE %1 DROP CONSTRAINT %2;")
            .arg(table, DdlText::identifier(change.name));
    case Kind::CreateType:
        return QStringLiteral("DROP %1 %2;")
            .arg(change.detail == QLatin1String("domain") ? QStringLiteral("DOMAIN") : QStringLiteral("TYPE"),
                relation(change.schema, change.name));
    case Kind::CreateSchema:
        return QStringLiteral("DROP SCHEMA %1;").arg(DdlText::identifier(change.schema));
    case Kind::CreateFunction:
        // Without the signature, which of the overloads is unknown.
        if (change.arguments.isEmpty())
            return {};
        return QStringLiteral("DROP FUNCTION %1%2;")
            .arg(relation(change.schema, change.name), change.arguments);
    default:
        return {};
    }
}

/// The newest record of `database`, and the revision its run failed on.
void readJournal(RecoveryReport& report, const QList<JournalRecord>& journal)
{
    for (auto record = journal.crbegin(); record != journal.crend(); ++record) {
        if (record->target == report.database) {
            report.lastRun = *record;
            break;
        }
    }
    if (!report.lastRun || report.lastRun->outcome == QLatin1String("success"))
        return;
    for (const JournalRecord::Step& step : report.lastRun->steps) {
        if (step.outcome != QLatin1String("applied")) {
            report.failedRevision = step.revision;
            return;
        }
    }
}

/// The applied revisions oldest first: file order reversed from newest first.
QStringList appliedInOrder(const RevisionGraph& graph, const QStringList& heads)
{
    const QStringList ancestors = graph.ancestorsOf(heads);
    QStringList ordered;
    const QStringList newestFirst = graph.historyOrder();
    for (auto id = newestFirst.crbegin(); id != newestFirst.crend(); ++id) {
        if (ancestors.contains(*id))
            ordered.append(*id);
    }
    return ordered;
}

} // namespace

Result<QList<InvalidIndex>> RecoveryInspector::invalidIndexes(DatabaseConnection& connection)
{
    Result<QSqlQuery> rows = connection.exec(QStringLiteral(
        "SELECT n.nspname, t.relname, i.relname, pg_catalog.pg_get_indexdef(x.indexrelid)"
        "  FROM pg_catalog.pg_index AS x"
        "  JOIN pg_catalog.pg_class AS i ON i.oid = x.indexrelid"
        "  JOIN pg_catalog.pg_class AS t ON t.oid = x.indrelid"
        "  JOIN pg_catalog.pg_namespace AS n ON n.oid = i.relnamespace"
        " WHERE NOT x.indisvalid"
        "   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
        " ORDER BY 1, 2, 3"));
    if (!rows)
        return rows.error();
    QList<InvalidIndex> indexes;
    while (rows.value().next())
        indexes.append(InvalidIndex { rows.value().value(0).toString(), rows.value().value(1).toString(),
            rows.value().value(2).toString(), rows.value().value(3).toString() });
    return indexes;
}

Result<RecoveryReport> RecoveryInspector::inspect(DatabaseConnection& connection, const RevisionGraph& graph,
    const QString& versionTable, const QString& database, const QList<JournalRecord>& journal)
{
    RecoveryReport report;
    report.database = database;
    report.versionTable = versionTable;
    readJournal(report, journal);

    Result<VersionState> state = VersionTable::read(connection, versionTable);
    if (!state)
        return state.error();
    report.versionTableExists = state.value().tableExists;
    report.heads = state.value().revisions;

    Result<MigrationPlan> plan = graph.upgradePlan(report.heads, QStringLiteral("heads"));
    if (plan) {
        report.appliedRevisions = appliedInOrder(graph, report.heads);
        report.pendingRevisions = plan.value().revisions();
    } else {
        report.planProblem = plan.error().message;
    }

    // The journal lists the steps that ran to the end: a run that failed
    // without naming a step stopped in the first revision still pending.
    if (report.lastRun && report.lastRun->outcome != QLatin1String("success")
        && report.failedRevision.isEmpty() && !report.pendingRevisions.isEmpty())
        report.failedRevision = report.pendingRevisions.constFirst();
    if (report.pendingRevisions.contains(report.failedRevision))
        report.checkedRevision = report.failedRevision;
    else if (!report.pendingRevisions.isEmpty())
        report.checkedRevision = report.pendingRevisions.constFirst();
    if (!report.checkedRevision.isEmpty()) {
        const Revision& revision = graph.revision(report.checkedRevision);
        for (const SqlStatement& statement : revision.upgrade.statements) {
            for (SchemaChange change : SchemaChanges::of(statement.text)) {
                if (change.name.isEmpty()
                    && (change.kind == Kind::CreateIndex || change.kind == Kind::AddConstraint)) {
                    std::optional<Result<QString>> named = unnamedObject(connection, change);
                    if (!named)
                        continue;
                    if (!*named)
                        return named->error();
                    if (named->value().isEmpty()) {
                        report.checkedObjects.append(RecoveryObject { change, statement.line, false, {} });
                        continue;
                    }
                    change.name = named->value(); // the name the server gave it
                }
                std::optional<Result<bool>> found = exists(connection, change);
                if (!found)
                    continue;
                if (!*found)
                    return found->error();
                report.checkedObjects.append(
                    RecoveryObject { change, statement.line, found->value(), dropStatement(change) });
            }
        }
    }

    Result<QList<InvalidIndex>> invalid = invalidIndexes(connection);
    if (!invalid)
        return invalid.error();
    report.invalidIndexes = invalid.value();
    return report;
}

} // namespace dbops

#include "guarded/WriteImpact.h"

#include "connection/DatabaseConnection.h"
#include "migrations/RevisionGraph.h"
#include "sql/SchemaChanges.h"

#include <QSqlQuery>
#include <algorithm>

namespace dbops {

namespace {

QString quoted(const QString& identifier)
{
    QString text = identifier;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString relationName(const AffectedObject& object)
{
    return object.schema.isEmpty() ? quoted(object.table)
                                   : quoted(object.schema) + QLatin1Char('.') + quoted(object.table);
}

const QString kQueryCanceled = QStringLiteral("57014");
constexpr int kCountTimeoutMs = 3000;

} // namespace

void WriteImpact::collect(WriteReview& review, const RevisionGraph& graph)
{
    review.created.clear();
    review.dropped.clear();
    // An object the plan creates and later drops again (or the reverse)
    // is still listed under both: each is something the script does.
    for (const MigrationStep& step : std::as_const(review.plan.steps)) {
        const Revision& revision = graph.revision(step.revision);
        const MigrationSection& section = step.upgrade ? revision.upgrade : revision.downgrade;
        for (const SqlStatement& statement : section.statements) {
            if (!statement.noParse)
                collectStatement(review, statement.text, revision.id);
        }
    }
}

void WriteImpact::collectStatement(WriteReview& review, const QString& sql, const QString& revision)
{
    const QList<SchemaChange> changes = SchemaChanges::of(sql);
    for (const SchemaChange& change : changes) {
        AffectedObject object;
        object.description = change.describe();
        object.revision = revision;
        object.schema = change.schema;
        object.table = change.table;
        object.removesData = change.removesData();
        if (change.createsObject()) {
            object.exists = false;
            review.created.append(object);
            continue;
        }
        switch (change.kind) {
        case SchemaChange::Kind::DropTable:
            review.dropped.append(object);
            break;
        case SchemaChange::Kind::DropColumn:
            object.column = change.name;
            review.dropped.append(object);
            break;
        case SchemaChange::Kind::DropIndex:
        case SchemaChange::Kind::DropConstraint:
        case SchemaChange::Kind::DropView:
        case SchemaChange::Kind::DropType:
        case SchemaChange::Kind::DropSequence:
        case SchemaChange::Kind::DropFunction:
        case SchemaChange::Kind::DropSchema:
            object.table.clear(); // nothing to count
            review.dropped.append(object);
            break;
        default:
            break;
        }
    }
}

void WriteImpact::countRows(DatabaseConnection& connection, QList<AffectedObject>& objects)
{
    bool timeoutSet = false;
    for (AffectedObject& object : objects) {
        if (object.table.isEmpty() || !object.removesData)
            continue;
        const QString relation = relationName(object);
        Result<QVariant> exists = object.column.isEmpty()
            ? connection.scalar(QStringLiteral("SELECT pg_catalog.to_regclass($1) IS NOT NULL"), { relation })
            : connection.scalar(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute "
                                               "WHERE attrelid = pg_catalog.to_regclass($1) AND attname = $2 "
                                               "AND attnum > 0 AND NOT attisdropped)"),
                { relation, object.column });
        if (!exists)
            continue;
        object.exists = exists->toBool();
        if (!object.exists)
            continue;
        if (!timeoutSet) {
            // Counting a huge table must not hold the review for long.
            connection.exec(QStringLiteral("SET statement_timeout = %1").arg(kCountTimeoutMs));
            timeoutSet = true;
        }
        const QString sql = object.column.isEmpty()
            ? QStringLiteral("SELECT count(*) FROM %1").arg(relation)
            : QStringLiteral("SELECT count(%1) FROM %2").arg(quoted(object.column), relation);
        Result<QVariant> rows = connection.scalar(sql);
        if (rows) {
            object.rows = rows->toLongLong();
            continue;
        }
        if (rows.error().sqlState != kQueryCanceled)
            continue;
        Result<QVariant> estimate = connection.scalar(
            QStringLiteral("SELECT greatest(reltuples, 0)::bigint FROM pg_catalog.pg_class WHERE oid = "
                           "pg_catalog.to_regclass($1)"),
            { relation });
        if (estimate) {
            object.rows = estimate->toLongLong();
            object.rowsEstimated = true;
        }
    }
    if (timeoutSet)
        connection.exec(QStringLiteral("RESET statement_timeout"));
    // What loses data first, the most rows first; then the rest in script order.
    std::stable_sort(objects.begin(), objects.end(), [](const AffectedObject& a, const AffectedObject& b) {
        const bool aLoses = a.removesData && a.exists;
        const bool bLoses = b.removesData && b.exists;
        if (aLoses != bLoses)
            return aLoses;
        return aLoses && a.rows > b.rows;
    });
}

} // namespace dbops

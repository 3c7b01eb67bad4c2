#include "verify/AppliedChecksums.h"

#include "connection/DatabaseConnection.h"
#include "verify/RevisionChecksum.h"

#include <QSqlQuery>

namespace dbops {

const QString AppliedChecksums::kTableName = QStringLiteral("dbops_applied_revisions");

namespace {

std::optional<Error> failure(const Error& error, const QString& what)
{
    Error named = error;
    named.message = QStringLiteral("%1: %2").arg(what, error.message);
    return named;
}

} // namespace

Result<AppliedChecksums::Location> AppliedChecksums::locate(
    DatabaseConnection& connection, const QString& versionTable)
{
    // Beside the version table, wherever the search path found it; the name
    // is built by the server (quote_ident), never from user text.
    Result<QSqlQuery> q = connection.exec(
        QStringLiteral(
            "SELECT pg_catalog.quote_ident(n.nspname) || '.' || $2::text, "
            "       pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) || '.' || $2::text) "
            "IS NOT NULL "
            "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            " WHERE c.oid = pg_catalog.to_regclass($1::text)"),
        { versionTable, kTableName });
    if (!q)
        return q.error();
    Location location;
    if (q.value().next()) {
        location.table = q.value().value(0).toString();
        location.exists = q.value().value(1).toBool();
    }
    return location;
}

Result<AppliedChecksumTable> AppliedChecksums::read(
    DatabaseConnection& connection, const QString& versionTable)
{
    Result<Location> location = locate(connection, versionTable);
    if (!location)
        return location.error();
    AppliedChecksumTable table;
    table.table = location->table;
    table.exists = location->exists;
    if (!table.exists)
        return table;
    Result<QSqlQuery> rows = connection.exec(
        QStringLiteral("SELECT revision, sha256, normalisation, "
                       "       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                       "       applied_by, dbops_version, coalesce(accepted_reason, '') "
                       "  FROM %1 ORDER BY revision")
            .arg(table.table));
    if (!rows)
        return rows.error();
    while (rows.value().next()) {
        const QSqlQuery& row = rows.value();
        AppliedChecksum applied;
        applied.revision = row.value(0).toString();
        applied.sha256 = row.value(1).toString();
        applied.normalisation = row.value(2).toInt();
        applied.appliedAt = row.value(3).toString();
        applied.appliedBy = row.value(4).toString();
        applied.dbopsVersion = row.value(5).toString();
        applied.acceptedReason = row.value(6).toString();
        table.rows.insert(applied.revision, applied);
    }
    return table;
}

std::optional<Error> AppliedChecksums::recordApplied(DatabaseConnection& connection,
    const QString& versionTable, const QString& revision, const QString& sha256)
{
    const QString what = QStringLiteral("recording the checksum of revision %1").arg(revision);
    Result<Location> location = locate(connection, versionTable);
    if (!location)
        return failure(location.error(), what);
    if (location->table.isEmpty())
        return failure(
            Error::database(QStringLiteral("the version table %1 does not exist").arg(versionTable)), what);
    if (!location->exists) {
        Result<QSqlQuery> created = connection.exec(
            QStringLiteral("CREATE TABLE %1 (revision text PRIMARY KEY, sha256 text NOT NULL, "
                           "normalisation integer NOT NULL, "
                           "applied_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(), "
                           "applied_by text NOT NULL DEFAULT CURRENT_USER, dbops_version text NOT NULL, "
                           "accepted_reason text)")
                .arg(location->table));
        if (!created)
            return failure(created.error(), what);
    }
    Result<QSqlQuery> recorded = connection.exec(
        QStringLiteral("INSERT INTO %1 (revision, sha256, normalisation, dbops_version) "
                       "VALUES ($1::text, $2::text, $3::integer, $4::text) "
                       "ON CONFLICT (revision) DO UPDATE SET sha256 = EXCLUDED.sha256, "
                       "normalisation = EXCLUDED.normalisation, applied_at = EXCLUDED.applied_at, "
                       "applied_by = EXCLUDED.applied_by, dbops_version = EXCLUDED.dbops_version, "
                       "accepted_reason = NULL")
            .arg(location->table),
        { revision, sha256, RevisionChecksum::kNormalisation, QStringLiteral(DBOPS_VERSION) });
    if (!recorded)
        return failure(recorded.error(), what);
    return std::nullopt;
}

std::optional<Error> AppliedChecksums::recordRemoved(
    DatabaseConnection& connection, const QString& versionTable, const QString& revision)
{
    const QString what = QStringLiteral("removing the checksum of revision %1").arg(revision);
    Result<Location> location = locate(connection, versionTable);
    if (!location)
        return failure(location.error(), what);
    if (!location->exists)
        return std::nullopt; // nothing was recorded (applied before dbops kept checksums)
    Result<QSqlQuery> removed = connection.exec(
        QStringLiteral("DELETE FROM %1 WHERE revision = $1::text").arg(location->table), { revision });
    if (!removed)
        return failure(removed.error(), what);
    return std::nullopt;
}

std::optional<Error> AppliedChecksums::recordAccepted(DatabaseConnection& connection,
    const QString& versionTable, const QString& revision, const QString& sha256, const QString& reason)
{
    if (std::optional<Error> error = recordApplied(connection, versionTable, revision, sha256))
        return error;
    Result<Location> location = locate(connection, versionTable);
    if (!location)
        return failure(location.error(), QStringLiteral("accepting the change of revision %1").arg(revision));
    Result<QSqlQuery> noted
        = connection.exec(QStringLiteral("UPDATE %1 SET accepted_reason = $2::text WHERE revision = $1::text")
                              .arg(location->table),
            { revision, reason });
    if (!noted)
        return failure(noted.error(), QStringLiteral("accepting the change of revision %1").arg(revision));
    return std::nullopt;
}

std::optional<Error> AppliedChecksums::dropTable(DatabaseConnection& connection, const QString& versionTable)
{
    // The version table is gone by now, so the side table is found by name
    // in the same place: the version table's schema, or the search path.
    const QString schema = versionTable.contains(QLatin1Char('.'))
        ? versionTable.section(QLatin1Char('.'), 0, -2) + QLatin1Char('.')
        : QString();
    const QString what = QStringLiteral("dropping %1%2").arg(schema, kTableName);
    Result<QVariant> exists
        = connection.scalar(QStringLiteral("SELECT pg_catalog.to_regclass($1::text) IS NOT NULL"),
            { QString(schema + kTableName) });
    if (!exists)
        return failure(exists.error(), what);
    if (!exists->toBool())
        return std::nullopt;
    Result<QSqlQuery> dropped = connection.exec(QStringLiteral("DROP TABLE %1%2").arg(schema, kTableName));
    if (!dropped)
        return failure(dropped.error(), what);
    return std::nullopt;
}

} // namespace dbops

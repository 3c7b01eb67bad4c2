#include "catalog/SchemaAudit.h"

#include "catalog/CatalogReader.h"
#include "catalog/LocalShadowServer.h"
#include "catalog/SchemaDiff.h"
#include "catalog/ShadowDatabase.h"
#include "catalog/ShadowReplay.h"
#include "migrations/MigrationRepository.h"

#include <QFileInfo>

namespace dbops {

QString SchemaAudit::headSnapshotPath(const MigrationRepository& repository)
{
    return repository.directory() + QStringLiteral("/schema/head.json");
}

QString SchemaAudit::ShadowServer::describe() const
{
    return local ? local->describe() : settings.describe();
}

Result<SchemaAudit::ShadowServer> SchemaAudit::shadowServer(
    const ConnectionTarget& target, const QString& explicitUrl, int targetServerVersion)
{
    ShadowServer server;
    if (!explicitUrl.isEmpty()) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(explicitUrl);
        if (!settings)
            return Error::input(QStringLiteral("--shadow: %1").arg(settings.error().message));
        server.settings = ShadowDatabase::serverSettings(*settings);
        return server;
    }
    if (target.profile && !target.profile->shadowUrl.isEmpty()) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(target.profile->shadowUrl);
        if (!settings)
            return Error::input(QStringLiteral("profile '%1': shadow URL: %2")
                                    .arg(target.profile->name, settings.error().message));
        server.settings = ShadowDatabase::serverSettings(*settings);
        return server;
    }
    if (target.isReadOnly()) {
        // CREATE and DROP DATABASE are writes: never on a read-only profile's server.
        Result<std::unique_ptr<LocalShadowServer>> local
            = LocalShadowServer::start(targetServerVersion / 10000);
        if (!local) {
            Error error = local.error();
            error.message = QStringLiteral("profile '%1' is read-only: the shadow replay never writes to its "
                                           "server, and no throwaway local server could be started: %2")
                                .arg(target.profile->name, error.message);
            error.hint = QStringLiteral("install the PostgreSQL server package (Debian: postgresql) for a "
                                        "throwaway local server, or give --shadow URL, or set the profile's "
                                        "shadow URL: dbops profile edit '%1' --shadow URL")
                             .arg(target.profile->name);
            return error;
        }
        server.local = std::move(local).value();
        server.settings = server.local->settings();
        return server;
    }
    server.settings = target.settings;
    server.settings.setValue(QStringLiteral("dbname"), QStringLiteral("postgres"));
    return server;
}

Result<CatalogSnapshot> SchemaAudit::expectedAt(const MigrationRepository& repository, const QString& target,
    const ConnectionTarget& connectionTarget, const QString& shadowUrl, int targetServerVersion)
{
    const RevisionGraph& graph = repository.graph();
    Result<QStringList> revisions = graph.resolve(target);
    if (!revisions)
        return revisions.error();
    QStringList wanted = *revisions;
    QStringList heads = graph.heads();
    wanted.sort();
    heads.sort();
    const QString path = headSnapshotPath(repository);
    if (wanted == heads && QFileInfo::exists(path))
        return CatalogSnapshot::readFile(path);
    Result<ShadowServer> server = shadowServer(connectionTarget, shadowUrl, targetServerVersion);
    if (!server)
        return server.error();
    ShadowReplay::Options options;
    options.versionTable = connectionTarget.versionTable;
    // `server` (and a local server in it) lives until the replay has been read.
    return ShadowReplay::snapshotAt(server->settings, graph, target, options);
}

Result<AuditReport> SchemaAudit::compare(
    DatabaseConnection& connection, const CatalogSnapshot& expected, const QString& versionTable)
{
    Result<CatalogSnapshot> actual = readActual(connection, expected.schemas, versionTable);
    if (!actual)
        return actual.error();
    return SchemaDiff::compare(expected, *actual);
}

Result<CatalogSnapshot> SchemaAudit::readActual(DatabaseConnection& connection, const QStringList& schemas,
    const QString& versionTable, std::function<const CatalogSnapshot*()> sharedWith)
{
    CatalogReader::Options options;
    options.sharedWith = std::move(sharedWith);
    options.schemas = schemas;
    options.excludedTables = QStringList { versionTable, QStringLiteral("dbops_journal"),
        QStringLiteral("dbops_applied_revisions") };
    return CatalogReader::read(connection, options);
}

QStringList SchemaAudit::missingObjects(const AuditReport& report)
{
    QStringList list;
    for (const AuditItem& item : report.items) {
        if (item.status != AuditItem::Status::Missing || item.withTable)
            continue;
        const QString owner
            = item.table.isEmpty() || item.table == item.name ? QString() : item.table + QLatin1Char('.');
        list.append(AuditItem::kindName(item.objectKind) + QLatin1Char(' ') + owner + item.name);
    }
    return list;
}

} // namespace dbops

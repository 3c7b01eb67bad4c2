#include "catalog/SchemaAudit.h"

#include "catalog/CatalogReader.h"
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

Result<ConnectionSettings> SchemaAudit::shadowServer(
    const ConnectionTarget& target, const QString& explicitUrl)
{
    if (!explicitUrl.isEmpty()) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(explicitUrl);
        if (!settings)
            return Error::input(QStringLiteral("--shadow: %1").arg(settings.error().message));
        return ShadowDatabase::serverSettings(*settings);
    }
    if (target.profile && !target.profile->shadowUrl.isEmpty()) {
        Result<ConnectionSettings> settings = ConnectionSettings::parse(target.profile->shadowUrl);
        if (!settings)
            return Error::input(QStringLiteral("profile '%1': shadow URL: %2")
                                    .arg(target.profile->name, settings.error().message));
        return ShadowDatabase::serverSettings(*settings);
    }
    ConnectionSettings settings = target.settings;
    settings.setValue(QStringLiteral("dbname"), QStringLiteral("postgres"));
    return settings;
}

Result<CatalogSnapshot> SchemaAudit::expectedAt(const MigrationRepository& repository, const QString& target,
    const ConnectionTarget& connectionTarget, const QString& shadowUrl)
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
    Result<ConnectionSettings> server = shadowServer(connectionTarget, shadowUrl);
    if (!server)
        return server.error();
    ShadowReplay::Options options;
    options.versionTable = connectionTarget.versionTable;
    return ShadowReplay::snapshotAt(*server, graph, target, options);
}

Result<AuditReport> SchemaAudit::compare(
    DatabaseConnection& connection, const CatalogSnapshot& expected, const QString& versionTable)
{
    Result<CatalogSnapshot> actual = readActual(connection, expected.schemas, versionTable);
    if (!actual)
        return actual.error();
    return SchemaDiff::compare(expected, *actual);
}

Result<CatalogSnapshot> SchemaAudit::readActual(
    DatabaseConnection& connection, const QStringList& schemas, const QString& versionTable)
{
    CatalogReader::Options options;
    options.schemas = schemas;
    options.excludedTables = QStringList { versionTable, QStringLiteral("dbops_journal") };
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

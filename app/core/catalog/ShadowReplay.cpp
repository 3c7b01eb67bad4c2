#include "catalog/ShadowReplay.h"

#include "catalog/ShadowDatabase.h"
#include "connection/DatabaseConnection.h"
#include "migrations/RevisionGraph.h"
#include "render/SqlScriptRenderer.h"

namespace dbops {

std::optional<Error> ShadowReplay::apply(DatabaseConnection& connection, const RenderedScript& script)
{
    for (const ScriptItem& item : script.items) {
        if (!item.isExecutable())
            continue;
        Result<QSqlQuery> result = connection.exec(item.sql);
        if (result)
            continue;
        Error error = result.error();
        const QString what = item.revision.isEmpty()
            ? QStringLiteral("'%1'").arg(item.sql.section(QLatin1Char('\n'), 0, 0))
            : QStringLiteral("revision %1").arg(item.revision);
        error.message
            = QStringLiteral("replaying %1 on the shadow database failed: %2").arg(what, error.message);
        if (!item.filePath.isEmpty()) {
            // The server counts lines inside the statement; the file, from the top.
            const int lineInStatement = connection.lastErrorLine();
            error.file = item.filePath;
            error.line = item.line + std::max(0, lineInStatement - 1);
            if (lineInStatement > 0 && connection.lastErrorColumn() > 0)
                error.column = lineInStatement == 1 ? item.column + connection.lastErrorColumn() - 1
                                                    : connection.lastErrorColumn();
        }
        return error;
    }
    return std::nullopt;
}

Result<CatalogSnapshot> ShadowReplay::snapshotAt(const ConnectionSettings& server, const RevisionGraph& graph,
    const QString& target, const Options& options)
{
    Result<MigrationPlan> plan = graph.upgradePlan({}, target);
    if (!plan)
        return plan.error();
    SqlScriptRenderer::Options renderOptions;
    renderOptions.versionTable = options.versionTable;
    const RenderedScript script = SqlScriptRenderer::render(*plan, graph, renderOptions);

    Result<std::unique_ptr<ShadowDatabase>> shadow = ShadowDatabase::create(server);
    if (!shadow)
        return shadow.error();
    // From here on the database goes with `shadow`, whichever way we leave.
    Result<DatabaseConnection*> connection = shadow.value()->connection();
    if (!connection)
        return connection.error();
    if (std::optional<Error> failed = apply(**connection, script))
        return *failed;

    CatalogReader::Options readOptions;
    readOptions.schemas = options.schemas;
    readOptions.excludedTables = QStringList { options.versionTable, QStringLiteral("dbops_journal") };
    // The database is dropped next: no second server process that may still be ending then.
    readOptions.helperConnection = false;
    Result<CatalogSnapshot> snapshot = CatalogReader::read(**connection, readOptions);
    if (!snapshot)
        return snapshot;
    if (std::optional<Error> notDropped = shadow.value()->drop())
        return *notDropped;
    CatalogSnapshot result = std::move(snapshot).value();
    result.revisions = plan->endHeads;
    result.sort();
    return result;
}

} // namespace dbops

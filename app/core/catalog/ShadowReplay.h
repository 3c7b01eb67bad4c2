#pragma once

#include "catalog/CatalogReader.h"
#include "catalog/CatalogSnapshot.h"
#include "common/Result.h"
#include "connection/ConnectionSettings.h"
#include "render/RenderedScript.h"

#include <optional>

namespace dbops {

class DatabaseConnection;
class RevisionGraph;

/// What the migrations build: replays them from base on a throwaway database
/// (ShadowDatabase) and reads the result.  The expected side of an audit and
/// the source of `migrations/schema/head.json`.
class ShadowReplay
{
public:
    struct Options
    {
        QString versionTable = QStringLiteral("alembic_version");
        QStringList schemas { QStringLiteral("public") };
    };

    /// Upgrades a fresh shadow database of `server` from base to `target` (a
    /// revision specifier, e.g. "heads") with exactly the renderer's script,
    /// reads its catalog and drops it again, also when a migration fails.
    /// The snapshot's `revisions` are the heads the replay reached.
    static Result<CatalogSnapshot> snapshotAt(const ConnectionSettings& server, const RevisionGraph& graph,
        const QString& target, const Options& options);
    static Result<CatalogSnapshot> snapshotAt(
        const ConnectionSettings& server, const RevisionGraph& graph, const QString& target)
    {
        return snapshotAt(server, graph, target, Options());
    }

    /// Runs the executable items of `script` in order, BEGIN and COMMIT as
    /// they are.  The error names the revision's file:line (the line of the
    /// failing part when the server says) and keeps the SQLSTATE.
    static std::optional<Error> apply(DatabaseConnection& connection, const RenderedScript& script);
};

} // namespace dbops

#pragma once

#include "common/Result.h"
#include "migrations/MigrationPlan.h"
#include "migrations/RevisionGraph.h"
#include "render/RenderedScript.h"

namespace dbops {

enum class TransactionMode
{
    All, ///< one transaction for the whole plan (Alembic's default)
    PerRevision, ///< each revision commits with its version-table update
};

/// Turns a plan into SQL in Alembic's offline (`--sql`) format.  The single
/// source of SQL for `dbops sql`, the console's preview and the runner.
class SqlScriptRenderer
{
public:
    struct Options
    {
        TransactionMode transactionMode = TransactionMode::All;
        QString versionTable = QStringLiteral("alembic_version");
        /// When starting from base: create the version table (false when it
        /// exists but is empty, as after a downgrade by a tool that kept it).
        bool createVersionTable = true;
        /// Run settings, emitted as SET LOCAL after each BEGIN (SET before
        /// a stretch of autocommit statements); 0 leaves them out.  `dbops sql`
        /// omits them; a run renders them, so its --sql shows exactly what runs.
        int lockTimeoutMs = 0;
        int statementTimeoutMs = 0;
    };

    static RenderedScript render(
        const MigrationPlan& plan, const RevisionGraph& graph, const Options& options);
    static RenderedScript render(const MigrationPlan& plan, const RevisionGraph& graph)
    {
        return render(plan, graph, Options());
    }

    /// Moves the version table from `currentHeads` to `targetHeads` without
    /// running migrations (`dbops stamp`).
    static RenderedScript renderStamp(const QStringList& currentHeads, bool versionTableExists,
        const QStringList& targetHeads, const Options& options);

    /// A version table name is an identifier, optionally schema-qualified.
    /// A recovery step's statements (RecoveryWrite), headed by `comments`:
    /// in one transaction, or each on its own in autocommit (CONCURRENTLY),
    /// with the run's lock and statement timeouts as every script has them.
    /// The statements name no revision and never touch the version table.
    static RenderedScript renderRecovery(const QStringList& comments, const QStringList& statements,
        bool inTransaction, const Options& options);

    static bool isValidVersionTable(const QString& name);
    static Result<TransactionMode> parseTransactionMode(const QString& text);
};

} // namespace dbops

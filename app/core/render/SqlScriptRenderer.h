#pragma once

#include "common/Result.h"
#include "migrations/MigrationPlan.h"
#include "migrations/RevisionGraph.h"
#include "render/RenderedScript.h"

namespace dbops {

enum class TransactionMode {
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
    };

    static RenderedScript render(const MigrationPlan& plan, const RevisionGraph& graph, const Options& options);
    static RenderedScript render(const MigrationPlan& plan, const RevisionGraph& graph)
    {
        return render(plan, graph, Options());
    }

    /// A version table name is an identifier, optionally schema-qualified.
    static bool isValidVersionTable(const QString& name);
    static Result<TransactionMode> parseTransactionMode(const QString& text);
};

} // namespace dbops

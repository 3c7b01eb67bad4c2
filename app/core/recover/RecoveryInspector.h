#pragma once

#include "common/Result.h"
#include "recover/RecoveryReport.h"

namespace dbops {

class DatabaseConnection;
class RevisionGraph;

/// Reads, never writes, what `dbops recover` reports: the version table, the
/// journal's newest run on this database, which objects of the first pending
/// (the failed) revision exist already (to_regclass, pg_attribute,
/// pg_constraint, to_regtype) and the INVALID indexes.
class RecoveryInspector
{
public:
    /// `graph`'s revisions must have their SQL (MigrationRepository::ensureSql);
    /// `journal` is every record (the newest one whose target is `database` counts).
    static Result<RecoveryReport> inspect(DatabaseConnection& connection, const RevisionGraph& graph,
        const QString& versionTable, const QString& database, const QList<JournalRecord>& journal);

    /// Every INVALID index outside the system schemas.
    static Result<QList<InvalidIndex>> invalidIndexes(DatabaseConnection& connection);
};

} // namespace dbops

#pragma once

#include "common/Result.h"
#include "migrations/Revision.h"

namespace dbops {

/// Reads one migration file (see docs/migration-format.md): the `-- key: value`
/// headers and the upgrade / downgrade sections, split into statements.
/// Structural problems are errors naming file:line; SQL syntax is checked later
/// by MigrationValidator, so listing history stays fast.
class MigrationFileParser
{
public:
    static Result<Revision> parseFile(const QString& path);
    static Result<Revision> parseText(const QString& text, const QString& path);

    /// Revision ids and labels: letters, digits and '_', at most 32 characters
    /// (the width of Alembic's version column), and not a reserved word.
    static bool isValidRevisionId(const QString& id);
    static bool isValidBranchLabel(const QString& label);
};

} // namespace dbops

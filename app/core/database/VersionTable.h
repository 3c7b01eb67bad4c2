#pragma once

#include "common/Result.h"

#include <QStringList>

namespace dbops {

class DatabaseConnection;

/// What the Alembic-compatible version table says.
struct VersionState
{
    bool tableExists = false;
    QStringList revisions; ///< one row per head; empty at base
    int columnWidth = 0; ///< version_num's varchar width, 0 if unknown
};

/// Reads and locates the version table (default `alembic_version`, found
/// through the search path like Alembic does, or schema-qualified).
class VersionTable
{
public:
    static Result<VersionState> read(DatabaseConnection& connection, const QString& table);
};

} // namespace dbops

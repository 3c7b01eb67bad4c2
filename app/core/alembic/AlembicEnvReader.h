#pragma once

#include "common/Result.h"

#include <QString>

namespace dbops {

/// Reads an Alembic env.py without running it, for the one setting dbops
/// needs from it: the version table that `context.configure(version_table=...,
/// version_table_schema=...)` names.  Only string literals can be known; any
/// other value leaves Alembic's default, alembic_version.
class AlembicEnvReader
{
public:
    static QString defaultVersionTable() { return QStringLiteral("alembic_version"); }

    /// "[schema.]name" of the version table; the default when env.py does not
    /// exist or names none as a literal.  An error (at env.py:line) when
    /// env.py is not UTF-8, cannot be tokenized, gives two different literal
    /// tables, or names a table or schema that is not a plain lower-case
    /// identifier (SqlScriptRenderer::isValidVersionTable): the name goes
    /// into the SQL dbops prints and runs.
    static Result<QString> versionTable(const QString& envPyPath);
};

} // namespace dbops

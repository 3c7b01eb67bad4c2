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
    /// exist or names none as a literal.  An error only when env.py cannot be
    /// tokenized or gives two different literal tables.
    static Result<QString> versionTable(const QString& envPyPath);
};

} // namespace dbops

#pragma once

#include "sql/SqlStatement.h"

#include <QList>
#include <QString>

namespace dbops {

/// One data check (migrations/checks/*.sql): a single read-only query that
/// returns rows (check text, expected text, actual text, ok boolean).
/// Checks describe what the data must look like after the migrations, which
/// the schema alone cannot say (seed rows, flags a data fix changed).
struct CheckDefinition
{
    QString name; ///< from `-- check: NAME`, unique in the repository
    QString description;
    QString filePath;
    int nameLine = 1; ///< line of the `-- check:` header, for errors
    SqlStatement query; ///< line and offset are file positions
};

/// One data fix (migrations/fixes/*.sql): change statements and a
/// postcondition query, run together in one transaction.  A fix must be
/// idempotent: running it again changes nothing and still passes.
struct FixDefinition
{
    QString name; ///< from `-- fix: NAME`, unique in the repository
    QString description;
    QString repairs; ///< the check this fix makes pass
    QString filePath;
    int nameLine = 1;
    int repairsLine = 0;
    SqlStatementList changes; ///< `-- +change`, in order
    SqlStatement postcondition; ///< `-- +postcondition`: one query returning one boolean
};

using CheckDefinitionList = QList<CheckDefinition>;
using FixDefinitionList = QList<FixDefinition>;

} // namespace dbops
